/**
 * A campaign's results against its goals (the article's phase 1) from per-day counts: the period its
 * goals are judged over, each goal's progress, the worst status, and the per-month series the
 * campaigns pages and the overview chart. Pure: the dashboard loads the day counts and passes `now`.
 */
import { DAY_MS } from "@leadtrail/scoring";
import {
  type CampaignGoal,
  type CampaignPeriod,
  GOAL_METRICS,
  type GoalMetric,
  type GoalStatus,
  goalProgress,
  type MonthCount,
  monthlyCounts,
} from "./goals.ts";

/** One day's counts of a campaign's attributed leads (a lead created that day, an MQL that day, …). */
export type DayCounts = { day: number } & Record<GoalMetric, number>;

/** Leads, MQLs, SQLs and wins of a set of attributed leads. */
export type Counts = Record<GoalMetric, number>;

/** What of a campaign its results need. */
export interface CampaignPlan {
  startsAt: number | null;
  endsAt: number | null;
  createdAt: number;
  goals: readonly CampaignGoal[];
}

/** One goal of a campaign and where it stands. */
export interface GoalView {
  metric: GoalMetric;
  per: "month" | "period";
  target: number;
  actual: number;
  projection: number | null;
  expectedByNow: number;
  status: GoalStatus;
  windowStart: number;
  windowEnd: number;
}

/** Start of the UTC month containing `at`, and of the next one. */
export function utcMonthOf(at: number): { start: number; end: number } {
  const d = new Date(at);
  return {
    start: Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1),
    end: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1),
  };
}

/**
 * The period a campaign's goals are judged over. Without a start day it runs from the month it
 * was created in; without an end day it is open, judged up to the end of the current month.
 */
export function campaignPeriod(
  c: Pick<CampaignPlan, "startsAt" | "endsAt" | "createdAt">,
  now: number,
): CampaignPeriod {
  const start = c.startsAt ?? utcMonthOf(c.createdAt).start;
  const end = c.endsAt ?? Math.max(utcMonthOf(now).end, start + DAY_MS);
  return { start, end };
}

/** The times of a metric's events (a day's count as that many times at the day's start). */
export function metricTimes(days: readonly DayCounts[], metric: GoalMetric): number[] {
  const times: number[] = [];
  for (const d of days) for (let i = 0; i < d[metric]; i++) times.push(d.day);
  return times;
}

/** The counts of a set of days added up. */
export function sumCounts(days: readonly DayCounts[]): Counts {
  const counts: Counts = { leads: 0, mqls: 0, sqls: 0, won: 0 };
  for (const d of days) for (const metric of GOAL_METRICS) counts[metric] += d[metric];
  return counts;
}

/** Progress against every goal of a campaign at `now`. */
export function goalViews(campaign: CampaignPlan, days: readonly DayCounts[], now: number): GoalView[] {
  const period = campaignPeriod(campaign, now);
  return campaign.goals.map((goal) => {
    const p = goalProgress(goal, metricTimes(days, goal.metric), period, now);
    return {
      metric: goal.metric,
      per: goal.per,
      target: p.window.target,
      actual: p.actual,
      projection: p.projection,
      expectedByNow: p.expectedByNow,
      status: p.status,
      windowStart: p.window.start,
      windowEnd: p.window.end,
    };
  });
}

/** The worst status among a campaign's goals (what the list shows), null without goals. */
export function overallStatus(goals: readonly Pick<GoalView, "status">[]): GoalStatus | null {
  const order: GoalStatus[] = ["missed", "behind", "on_track", "not_started", "met"];
  for (const status of order) if (goals.some((g) => g.status === status)) return status;
  return null;
}

/** The last `count` calendar months up to `now`'s, as a period (for per-month series). */
export function recentMonths(now: number, count = 12): CampaignPeriod {
  const end = utcMonthOf(now).end;
  const first = new Date(end);
  return { start: Date.UTC(first.getUTCFullYear(), first.getUTCMonth() - count, 1), end };
}

/** Monthly series of a campaign's leads, MQLs, SQLs and wins over its period (up to now), with its monthly goals as lines. */
export function campaignMonths(campaign: CampaignPlan, days: readonly DayCounts[], now: number) {
  const period = campaignPeriod(campaign, now);
  const series = Object.fromEntries(
    GOAL_METRICS.map((metric) => [metric, monthlyCounts(metricTimes(days, metric), period, now)]),
  ) as Record<GoalMetric, MonthCount[]>;
  const labels = series.leads.map((m) => m.month);
  return {
    labels,
    series: GOAL_METRICS.map((metric) => ({ metric, data: series[metric].map((m) => m.count) })),
    // A monthly goal drawn as a line beside its metric.
    goals: campaign.goals
      .filter((g) => g.per === "month")
      .map((g) => ({ metric: g.metric, data: labels.map(() => g.target) })),
  };
}

/**
 * A campaign's monthly goal of `metric` per month of `months` (the overview's goal line): the
 * target in the months the campaign runs, 0 outside them; null when it has no such goal.
 */
export function monthlyGoalLine(
  campaign: CampaignPlan,
  metric: GoalMetric,
  months: readonly Pick<MonthCount, "start">[],
  now: number,
): number[] | null {
  const target = campaign.goals.find((g) => g.metric === metric && g.per === "month")?.target;
  if (target === undefined) return null;
  const period = campaignPeriod(campaign, now);
  return months.map((m) => (m.start < period.end && utcMonthOf(m.start).end > period.start ? target : 0));
}
