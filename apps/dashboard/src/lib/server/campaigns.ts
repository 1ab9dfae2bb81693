import {
  type Campaign,
  type CampaignDayCount,
  type CampaignGoal,
  type CampaignInput,
  campaignDayCounts,
  type Database,
  findCampaign,
  listSiteCampaigns,
  listSites,
  personaNames,
  type Site,
  tzOffsetMinutes,
} from "@leadtrail/db";
import {
  type CampaignPeriod,
  costPer,
  GOAL_METRICS,
  type GoalMetric,
  type GoalStatus,
  goalProgress,
  monthlyCounts,
} from "@leadtrail/nurture";
import type { MessageKey } from "$lib/i18n/index.ts";
import { notFound } from "./access.ts";
import { isCalendarDay, parseId, strictNumber } from "./input.ts";

// Campaign goals and results (the article's phase 1) for the campaigns pages and the overview:
// leads are counted by their first-touch campaign (leads.campaign_id), MQLs, SQLs and wins by the
// stage history of those leads, progress with @leadtrail/nurture's pure goal logic.

const DAY_MS = 86_400_000;
const MAX_TARGET = 1_000_000;
const MAX_BUDGET = 1_000_000_000;

/** A form failure: the message key to show and the field it is about. */
export interface FormError {
  error: MessageKey;
  field: string;
}

type Parsed<T> = { ok: true; value: T } | ({ ok: false } & FormError);

const fail = (error: MessageKey, field: string): { ok: false } & FormError => ({ ok: false, error, field });

function str(form: FormData, name: string): string {
  return String(form.get(name) ?? "").trim();
}

/** A YYYY-MM-DD day as epoch ms (UTC midnight), null when empty, undefined when not a day. */
function dayMs(value: string): number | null | undefined {
  if (value === "") return null;
  // Only days that exist: Date.parse would roll 2026-02-30 over into March.
  if (!isCalendarDay(value)) return undefined;
  return Date.parse(`${value}T00:00:00Z`);
}

/** A utm_campaign value from a campaign name: lower case, words joined by dashes. */
export function slugify(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80);
}

const UTM_VALUE_RE = /^[\w.~+-]{1,100}$/;

/**
 * The campaign form, validated: name (required), channel, utm_campaign (from the name when empty;
 * letters, digits, `_ . ~ + -`), period (start/end days, end not before start), budget (≥ 0),
 * owner (one of `ownerIds`), and a goal per metric (`goal_<metric>` target, `goalPer_<metric>`
 * month or period; a period goal needs both days). The older single `mqlGoal` field is a monthly
 * MQL goal.
 */
export function parseCampaignForm(form: FormData, ownerIds: readonly number[]): Parsed<CampaignInput> {
  const name = str(form, "name");
  if (!name) return fail("campaigns.nameRequired", "name");
  if (name.length > 200) return fail("campaigns.tooLong", "name");
  const channel = str(form, "channel");
  if (channel.length > 100) return fail("campaigns.tooLong", "channel");
  const utmCampaign = str(form, "utmCampaign") || slugify(name);
  if (!UTM_VALUE_RE.test(utmCampaign)) return fail("campaigns.badUtm", "utmCampaign");
  const startsAt = dayMs(str(form, "startsOn"));
  const endDay = dayMs(str(form, "endsOn"));
  if (startsAt === undefined) return fail("campaigns.badDate", "startsOn");
  if (endDay === undefined) return fail("campaigns.badDate", "endsOn");
  // The form's end day is inclusive; the stored end is the instant after it.
  const endsAt = endDay === null ? null : endDay + DAY_MS;
  if (startsAt !== null && endsAt !== null && endsAt <= startsAt) return fail("campaigns.endBeforeStart", "endsOn");
  const budgetText = str(form, "budget");
  const budget = budgetText === "" ? null : strictNumber(budgetText.replace(",", "."));
  if (budget !== null && !(Number.isFinite(budget) && budget >= 0 && budget <= MAX_BUDGET)) {
    return fail("campaigns.badBudget", "budget");
  }
  const ownerText = str(form, "owner");
  const ownerId = ownerText === "" ? null : parseId(ownerText);
  if (ownerId !== null && (ownerId === undefined || !ownerIds.includes(ownerId)))
    return fail("campaigns.badOwner", "owner");

  const goals: CampaignGoal[] = [];
  const legacy = str(form, "mqlGoal");
  for (const metric of GOAL_METRICS) {
    const raw = str(form, `goal_${metric}`) || (metric === "mqls" ? legacy : "");
    if (raw === "") continue;
    const target = strictNumber(raw);
    if (!(Number.isInteger(target) && target > 0 && target <= MAX_TARGET))
      return fail("campaigns.badGoal", `goal_${metric}`);
    const per = str(form, `goalPer_${metric}`) || "month";
    if (per !== "month" && per !== "period") return fail("campaigns.badGoal", `goalPer_${metric}`);
    if (per === "period" && (startsAt === null || endsAt === null)) {
      return fail("campaigns.periodGoalNeedsDates", `goalPer_${metric}`);
    }
    goals.push({ metric, target, per });
  }
  return {
    ok: true,
    value: { name, channel: channel || null, utmCampaign, startsAt, endsAt, budget, ownerId, goals },
  };
}

/**
 * The site's wall clock at `now` as a UTC time: campaign days (campaign_daily) are the site's local
 * days written as UTC midnights, so goals compare "this month" on the same footing. Pass its
 * result as `now` to the functions below.
 */
export function siteWallClock(site: Pick<Site, "timeZone">, now: number): number {
  return now + tzOffsetMinutes(site.timeZone, now) * 60_000;
}

/** Start of the UTC month containing `at`, and of the next one. */
function monthOf(at: number): { start: number; end: number } {
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
export function campaignPeriod(c: Pick<Campaign, "startsAt" | "endsAt" | "createdAt">, now: number): CampaignPeriod {
  const start = c.startsAt ?? monthOf(c.createdAt).start;
  const end = c.endsAt ?? Math.max(monthOf(now).end, start + DAY_MS);
  return { start, end };
}

/** The times of a metric's events (a day's count as that many times at the day's start). */
function timesOf(days: readonly CampaignDayCount[], metric: GoalMetric): number[] {
  const times: number[] = [];
  for (const d of days) for (let i = 0; i < d[metric]; i++) times.push(d.day);
  return times;
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

/** Leads, MQLs, SQLs and wins of a set of attributed leads. */
export interface Counts {
  leads: number;
  mqls: number;
  sqls: number;
  won: number;
}

function countsOf(days: readonly CampaignDayCount[]): Counts {
  const counts: Counts = { leads: 0, mqls: 0, sqls: 0, won: 0 };
  for (const d of days) for (const metric of GOAL_METRICS) counts[metric] += d[metric];
  return counts;
}

/** Progress against every goal of a campaign at `now`. */
export function goalViews(campaign: Campaign, days: readonly CampaignDayCount[], now: number): GoalView[] {
  const period = campaignPeriod(campaign, now);
  return campaign.goals.map((goal) => {
    const p = goalProgress(goal, timesOf(days, goal.metric), period, now);
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
export function overallStatus(goals: readonly GoalView[]): GoalStatus | null {
  const order: GoalStatus[] = ["missed", "behind", "on_track", "not_started", "met"];
  for (const status of order) if (goals.some((g) => g.status === status)) return status;
  return null;
}

/** A campaign as the list shows it. */
export interface CampaignSummary extends Counts {
  id: number;
  name: string;
  channel: string | null;
  utmCampaign: string | null;
  startsAt: number | null;
  endsAt: number | null;
  budget: number | null;
  costPerLead: number | null;
  goals: GoalView[];
  status: GoalStatus | null;
}

/** The last `count` calendar months up to `now`'s, as a period (for per-month series). */
export function recentMonths(now: number, count = 12): CampaignPeriod {
  const end = monthOf(now).end;
  const first = new Date(end);
  return { start: Date.UTC(first.getUTCFullYear(), first.getUTCMonth() - count, 1), end };
}

/** Every campaign of a site with its results and goal status, and its leads per month over the last year. */
export async function campaignSummaries(db: Database, site: Pick<Site, "id">, now: number) {
  const [campaigns, days] = await Promise.all([listSiteCampaigns(db, site.id), campaignDayCounts(db, site.id)]);
  const months = recentMonths(now);
  const byCampaign = new Map<number, CampaignDayCount[]>();
  for (const m of days) {
    const list = byCampaign.get(m.campaignId) ?? [];
    list.push(m);
    byCampaign.set(m.campaignId, list);
  }
  const summaries: CampaignSummary[] = campaigns.map((c) => {
    const own = byCampaign.get(c.id) ?? [];
    const counts = countsOf(own);
    const goals = goalViews(c, own, now);
    return {
      id: c.id,
      name: c.name,
      channel: c.channel,
      utmCampaign: c.utmCampaign,
      startsAt: c.startsAt,
      endsAt: c.endsAt,
      budget: c.budget,
      ...counts,
      costPerLead: costPer(c.budget, counts.leads),
      goals,
      status: overallStatus(goals),
    };
  });
  const leadsPerMonth = campaigns.map((c) => ({
    name: c.name,
    months: monthlyCounts(timesOf(byCampaign.get(c.id) ?? [], "leads"), months, now),
  }));
  return { campaigns: summaries, leadsPerMonth };
}

/** Monthly series of a campaign's leads, MQLs, SQLs and wins over its period (up to now). */
export function campaignMonths(campaign: Campaign, days: readonly CampaignDayCount[], now: number) {
  const period = campaignPeriod(campaign, now);
  const series = Object.fromEntries(
    GOAL_METRICS.map((metric) => [metric, monthlyCounts(timesOf(days, metric), period, now)]),
  ) as Record<GoalMetric, ReturnType<typeof monthlyCounts>>;
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

/** Results of a campaign by persona (leads without a persona under null). */
export async function resultsByPersona(
  db: Database,
  siteId: number,
  days: readonly CampaignDayCount[],
): Promise<({ persona: string | null } & Counts)[]> {
  const names = await personaNames(db, siteId);
  const groups = new Map<number | null, CampaignDayCount[]>();
  for (const m of days) {
    const key = m.personaId !== null && names.has(m.personaId) ? m.personaId : null;
    const list = groups.get(key) ?? [];
    list.push(m);
    groups.set(key, list);
  }
  return [...groups.entries()]
    .map(([id, list]) => ({ persona: id === null ? null : (names.get(id) ?? null), ...countsOf(list) }))
    .sort((a, b) => b.leads - a.leads || String(a.persona).localeCompare(String(b.persona)));
}

/** The campaign's detail: its goals, monthly series, results overall and by persona. */
export async function campaignDetail(db: Database, campaign: Campaign, now: number) {
  const days = await campaignDayCounts(db, campaign.siteId, campaign.id);
  const counts = countsOf(days);
  return {
    counts,
    costPerLead: costPer(campaign.budget, counts.leads),
    goals: goalViews(campaign, days, now),
    months: campaignMonths(campaign, days, now),
    personas: await resultsByPersona(db, campaign.siteId, days),
  };
}

/** A stored end instant as the inclusive end day the form shows; a start as its day. */
export function formDays(c: Pick<Campaign, "startsAt" | "endsAt">): { startsOn: string; endsOn: string } {
  const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
  return {
    startsOn: c.startsAt === null ? "" : iso(c.startsAt),
    endsOn: c.endsAt === null ? "" : iso(c.endsAt - DAY_MS),
  };
}

/**
 * The campaign of a URL's `[id]` with its site. The analytics roles see every site, so any site's
 * campaign may be opened; a malformed or missing id answers 404.
 */
export async function campaignOf(db: Database, idParam: string): Promise<{ campaign: Campaign; site: Site }> {
  const id = parseId(idParam);
  if (id === undefined) notFound();
  for (const site of await listSites(db)) {
    const campaign = await findCampaign(db, site.id, id);
    if (campaign) return { campaign, site };
  }
  notFound();
}

/**
 * The overview's goal widget: every campaign with goals, its progress against each (first-touch
 * leads, their stage history), and its leads and MQLs per month over the last year next to its
 * monthly lead and MQL goals.
 */
export async function goalOverview(db: Database, site: Pick<Site, "id">, now: number) {
  const [campaigns, days] = await Promise.all([listSiteCampaigns(db, site.id), campaignDayCounts(db, site.id)]);
  const months = recentMonths(now);
  return campaigns
    .filter((c) => c.goals.length > 0)
    .map((c) => {
      const own = days.filter((m) => m.campaignId === c.id);
      const leads = monthlyCounts(timesOf(own, "leads"), months, now);
      const mqls = monthlyCounts(timesOf(own, "mqls"), months, now);
      const period = campaignPeriod(c, now);
      // A monthly goal applies only in the months the campaign runs.
      const monthly = (metric: GoalMetric) => {
        const target = c.goals.find((g) => g.metric === metric && g.per === "month")?.target;
        if (target === undefined) return null;
        return leads.map((m) => (m.start < period.end && monthOf(m.start).end > period.start ? target : 0));
      };
      return {
        id: c.id,
        name: c.name,
        goals: goalViews(c, own, now),
        labels: leads.map((m) => m.month),
        leads: leads.map((m) => m.count),
        mqls: mqls.map((m) => m.count),
        leadGoal: monthly("leads"),
        mqlGoal: monthly("mqls"),
      };
    });
}
