/**
 * Campaign goals: leads, MQLs, SQLs or won deals per month or for the whole campaign period, with
 * progress (on track / behind) from a linear projection, plus cost per lead and leads per month —
 * the article's measure of lead management.
 */

export const GOAL_METRICS = ["leads", "mqls", "sqls", "won"] as const;
export type GoalMetric = (typeof GOAL_METRICS)[number];

/** A campaign goal: `target` of `metric` per calendar month, or for the whole period. */
export interface CampaignGoal {
  metric: GoalMetric;
  target: number;
  per: "month" | "period";
}

/** A campaign's period, half-open: from `start` (inclusive) to `end` (exclusive), epoch ms. */
export interface CampaignPeriod {
  start: number;
  end: number;
}

export interface GoalOptions {
  /** Months start at midnight in this fixed offset from UTC (60 for CET); default 0. */
  offsetMinutes?: number;
}

/** The stretch of time a goal is judged over and the target for it. */
export interface GoalWindow {
  start: number;
  end: number;
  /** The goal's target, prorated when the campaign covers only part of the month. */
  target: number;
}

export type GoalStatus = "not_started" | "on_track" | "behind" | "met" | "missed";

export interface GoalProgress {
  metric: GoalMetric;
  per: CampaignGoal["per"];
  window: GoalWindow;
  actual: number;
  /** Share of the window elapsed at `now`, 0–1. */
  elapsedShare: number;
  /** What a steady pace would have reached by now: target × elapsedShare. */
  expectedByNow: number;
  /** actual / elapsedShare while the window runs, actual once it ended; null before it starts or at its first instant. */
  projection: number | null;
  /** actual / target; null for a zero target. */
  share: number | null;
  status: GoalStatus;
}

const MINUTE_MS = 60_000;

/** Start of the calendar month containing `at`, and of the month after, in the given offset. */
function monthAround(at: number, offsetMinutes: number): { start: number; end: number } {
  const shift = offsetMinutes * MINUTE_MS;
  const local = new Date(at + shift);
  const y = local.getUTCFullYear();
  const m = local.getUTCMonth();
  return { start: Date.UTC(y, m, 1) - shift, end: Date.UTC(y, m + 1, 1) - shift };
}

/**
 * The window a goal is judged over at `now`. A period goal uses the whole period. A monthly goal uses
 * the current month clipped to the period — the first month before the campaign starts, the last
 * after it ends — and its target is prorated by the share of the month the campaign covers, so a
 * campaign starting on the 16th is not "behind" for missing half a month it never had.
 */
export function goalWindow(
  goal: CampaignGoal,
  period: CampaignPeriod,
  now: number,
  options: GoalOptions = {},
): GoalWindow {
  if (goal.per === "period") return { start: period.start, end: period.end, target: goal.target };
  const at = Math.min(Math.max(now, period.start), period.end - 1);
  const month = monthAround(at, options.offsetMinutes ?? 0);
  const start = Math.max(month.start, period.start);
  const end = Math.min(month.end, period.end);
  const share = (end - start) / (month.end - month.start);
  return { start, end, target: goal.target * share };
}

/**
 * Progress against a goal at `now`. `actual` is either the count in the goal's window (when the
 * caller counted it, e.g. in SQL over `goalWindow`) or the times of each lead/MQL/SQL/win, which are
 * counted here (those in the window and not after `now`). Linear projection: actual ÷ elapsed share.
 * Status: `met` once the target is reached, `missed` when the window ended short of it, otherwise
 * `on_track` when the projection reaches the target and `behind` when it does not; a zero target is
 * met as soon as the window starts.
 */
export function goalProgress(
  goal: CampaignGoal,
  actual: number | readonly number[],
  period: CampaignPeriod,
  now: number,
  options: GoalOptions = {},
): GoalProgress {
  const window = goalWindow(goal, period, now, options);
  const count =
    typeof actual === "number" ? actual : actual.filter((t) => t >= window.start && t < window.end && t <= now).length;
  const length = window.end - window.start;
  const elapsedShare = length <= 0 ? 1 : Math.min(1, Math.max(0, (now - window.start) / length));
  const share = window.target > 0 ? count / window.target : null;
  const base = {
    metric: goal.metric,
    per: goal.per,
    window,
    actual: count,
    elapsedShare,
    expectedByNow: window.target * elapsedShare,
    share,
  };
  if (now < window.start) return { ...base, projection: null, status: "not_started" };
  const ended = now >= window.end;
  const projection = ended ? count : elapsedShare > 0 ? count / elapsedShare : null;
  let status: GoalStatus;
  if (count >= window.target) status = "met";
  else if (ended) status = "missed";
  // At the window's first instant nothing can be behind yet.
  else status = projection === null || projection >= window.target ? "on_track" : "behind";
  return { ...base, projection, status };
}

/** Cost per lead (or per MQL, per win): cost ÷ count; null without a cost or without any. */
export function costPer(cost: number | null | undefined, count: number): number | null {
  if (cost === null || cost === undefined || !Number.isFinite(cost) || count <= 0) return null;
  return cost / count;
}

/** One calendar month of a campaign and how many of something happened in it. */
export interface MonthCount {
  /** "YYYY-MM" in the given offset. */
  month: string;
  start: number;
  count: number;
}

/**
 * Counts times per calendar month from the period's first month to the month of `now` (or the
 * period's last, if earlier), months without any included — the "leads generated per month" series.
 */
export function monthlyCounts(
  times: readonly number[],
  period: CampaignPeriod,
  now: number,
  options: GoalOptions = {},
): MonthCount[] {
  const offset = options.offsetMinutes ?? 0;
  const last = Math.min(now, period.end - 1);
  const months: MonthCount[] = [];
  if (last < period.start) return months;
  for (let at = period.start; at <= last; ) {
    const month = monthAround(at, offset);
    const local = new Date(month.start + offset * MINUTE_MS);
    const label = `${local.getUTCFullYear()}-${String(local.getUTCMonth() + 1).padStart(2, "0")}`;
    months.push({ month: label, start: month.start, count: 0 });
    at = month.end;
  }
  for (const t of times) {
    if (t < period.start || t >= period.end || t > now) continue;
    const start = monthAround(t, offset).start;
    const entry = months.find((m) => m.start === start);
    if (entry) entry.count += 1;
  }
  return months;
}
