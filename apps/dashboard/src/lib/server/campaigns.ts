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
  type Counts,
  campaignMonths,
  costPer,
  GOAL_METRICS,
  type GoalStatus,
  type GoalView,
  goalViews,
  metricTimes,
  monthlyCounts,
  monthlyGoalLine,
  overallStatus,
  recentMonths,
  sumCounts,
} from "@leadtrail/nurture";
import { DAY_MS } from "@leadtrail/scoring";
import type { MessageKey } from "$lib/i18n/index.ts";
import { notFound } from "./errors.ts";
import { isCalendarDay, parseId, strictNumber } from "./input.ts";
import { formText } from "./validate.ts";

// Campaign goals and results (the article's phase 1) for the campaigns pages and the overview:
// leads are counted by their first-touch campaign (leads.campaign_id), MQLs, SQLs and wins by the
// stage history of those leads, progress and series with @leadtrail/nurture's pure goal logic
// (`campaign-results.ts`); this module loads the day counts and parses the form.

const MAX_TARGET = 1_000_000;
const MAX_BUDGET = 1_000_000_000;

/** A form failure: the message key to show and the field it is about. */
export interface FormError {
  error: MessageKey;
  field: string;
}

type Parsed<T> = { ok: true; value: T } | ({ ok: false } & FormError);

const fail = (error: MessageKey, field: string): { ok: false } & FormError => ({ ok: false, error, field });

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
  const name = formText(form, "name");
  if (!name) return fail("campaigns.nameRequired", "name");
  if (name.length > 200) return fail("campaigns.tooLong", "name");
  const channel = formText(form, "channel");
  if (channel.length > 100) return fail("campaigns.tooLong", "channel");
  const utmCampaign = formText(form, "utmCampaign") || slugify(name);
  if (!UTM_VALUE_RE.test(utmCampaign)) return fail("campaigns.badUtm", "utmCampaign");
  const startsAt = dayMs(formText(form, "startsOn"));
  const endDay = dayMs(formText(form, "endsOn"));
  if (startsAt === undefined) return fail("campaigns.badDate", "startsOn");
  if (endDay === undefined) return fail("campaigns.badDate", "endsOn");
  // The form's end day is inclusive; the stored end is the instant after it.
  const endsAt = endDay === null ? null : endDay + DAY_MS;
  if (startsAt !== null && endsAt !== null && endsAt <= startsAt) return fail("campaigns.endBeforeStart", "endsOn");
  const budgetText = formText(form, "budget");
  const budget = budgetText === "" ? null : strictNumber(budgetText.replace(",", "."));
  if (budget !== null && !(Number.isFinite(budget) && budget >= 0 && budget <= MAX_BUDGET)) {
    return fail("campaigns.badBudget", "budget");
  }
  const ownerText = formText(form, "owner");
  const ownerId = ownerText === "" ? null : parseId(ownerText);
  if (ownerId !== null && (ownerId === undefined || !ownerIds.includes(ownerId)))
    return fail("campaigns.badOwner", "owner");

  const goals: CampaignGoal[] = [];
  const legacy = formText(form, "mqlGoal");
  for (const metric of GOAL_METRICS) {
    const raw = formText(form, `goal_${metric}`) || (metric === "mqls" ? legacy : "");
    if (raw === "") continue;
    const target = strictNumber(raw);
    if (!(Number.isInteger(target) && target > 0 && target <= MAX_TARGET))
      return fail("campaigns.badGoal", `goal_${metric}`);
    const per = formText(form, `goalPer_${metric}`) || "month";
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
 * result as `now` to the goal functions (`goalViews`, `campaignMonths`, …).
 */
export function siteWallClock(site: Pick<Site, "timeZone">, now: number): number {
  return now + tzOffsetMinutes(site.timeZone, now) * 60_000;
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
    const counts = sumCounts(own);
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
    months: monthlyCounts(metricTimes(byCampaign.get(c.id) ?? [], "leads"), months, now),
  }));
  return { campaigns: summaries, leadsPerMonth };
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
    .map(([id, list]) => ({ persona: id === null ? null : (names.get(id) ?? null), ...sumCounts(list) }))
    .sort((a, b) => b.leads - a.leads || String(a.persona).localeCompare(String(b.persona)));
}

/** The campaign's detail: its goals, monthly series, results overall and by persona. */
export async function campaignDetail(db: Database, campaign: Campaign, now: number) {
  const days = await campaignDayCounts(db, campaign.siteId, campaign.id);
  const counts = sumCounts(days);
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
export async function campaignOfUrlId(db: Database, idParam: string): Promise<{ campaign: Campaign; site: Site }> {
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
      const leads = monthlyCounts(metricTimes(own, "leads"), months, now);
      const mqls = monthlyCounts(metricTimes(own, "mqls"), months, now);
      return {
        id: c.id,
        name: c.name,
        goals: goalViews(c, own, now),
        labels: leads.map((m) => m.month),
        leads: leads.map((m) => m.count),
        mqls: mqls.map((m) => m.count),
        leadGoal: monthlyGoalLine(c, "leads", leads, now),
        mqlGoal: monthlyGoalLine(c, "mqls", mqls, now),
      };
    });
}
