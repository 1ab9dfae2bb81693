import type { Database } from "../../client.ts";
import { type DashboardFilter, daysOf, rollupSlice, selectRows } from "./filters.ts";

/** Headline numbers of a period. `visitors` sums daily unique visitors (what rollups can count). */
export interface BehaviourTotals {
  visitors: number;
  visits: number;
  pageviews: number;
  engagedMs: number;
  bounces: number;
  /** Bounces per visit, 0–1; 0 when there were no visits. */
  bounceRate: number;
  /** Engaged time per visit in ms. */
  engagedPerVisitMs: number;
}

const EMPTY_TOTALS = { visitors: 0, visits: 0, pageviews: 0, engagedMs: 0, bounces: 0 };

/** Totals for a period from the daily rollups (the campaign/channel filter picks the slice). */
export async function behaviourTotals(db: Database, filter: DashboardFilter): Promise<BehaviourTotals> {
  const slice = rollupSlice(filter);
  const rows = await selectRows<typeof EMPTY_TOTALS>(
    db,
    `SELECT coalesce(sum(visitors), 0) AS visitors, coalesce(sum(visits), 0) AS visits,
            coalesce(sum(pageviews), 0) AS pageviews, coalesce(sum(engaged_ms), 0) AS engagedMs,
            coalesce(sum(bounces), 0) AS bounces
       FROM daily_stats
      WHERE site_id = ? AND dimension = ? AND day BETWEEN ? AND ? AND value = ?`,
    [filter.siteId, slice.dimension, filter.from, filter.to, slice.value],
  );
  return withRates(rows[0] ?? EMPTY_TOTALS);
}

/** Adds the derived rates to raw counters. */
export function withRates(t: typeof EMPTY_TOTALS): BehaviourTotals {
  return {
    ...t,
    bounceRate: t.visits > 0 ? t.bounces / t.visits : 0,
    engagedPerVisitMs: t.visits > 0 ? t.engagedMs / t.visits : 0,
  };
}

/** One day of a behaviour time series. */
export interface SeriesPoint {
  day: string;
  visitors: number;
  visits: number;
  pageviews: number;
  engagedMs: number;
  bounces: number;
}

/** Daily series over the filter's range, every day present (zeros where nothing happened). */
export async function behaviourSeries(db: Database, filter: DashboardFilter): Promise<SeriesPoint[]> {
  const slice = rollupSlice(filter);
  const rows = await selectRows<SeriesPoint>(
    db,
    `SELECT day, visitors, visits, pageviews, engaged_ms AS engagedMs, bounces
       FROM daily_stats
      WHERE site_id = ? AND dimension = ? AND day BETWEEN ? AND ? AND value = ?`,
    [filter.siteId, slice.dimension, filter.from, filter.to, slice.value],
  );
  const byDay = new Map(rows.map((r) => [r.day, r]));
  return daysOf(filter).map(
    (day) => byDay.get(day) ?? { day, visitors: 0, visits: 0, pageviews: 0, engagedMs: 0, bounces: 0 },
  );
}

/** Dimensions a breakdown table can show (the rollup dimensions marketers read). */
export const BREAKDOWNS = [
  "channel",
  "utm_source",
  "utm_medium",
  "utm_campaign",
  "referrer",
  "landing",
  "exit",
  "path",
  "device",
  "browser",
  "os",
  "country",
] as const;
export type Breakdown = (typeof BREAKDOWNS)[number];

/** One row of a breakdown: a value of the dimension and its counters over the period. */
export interface BreakdownRow {
  value: string;
  visitors: number;
  visits: number;
  pageviews: number;
  bounces: number;
  engagedMs: number;
}

/** The top values of one dimension over the period, by visits, then visitors and page views. */
export async function behaviourBreakdown(
  db: Database,
  filter: DashboardFilter,
  dimension: Breakdown,
  limit = 10,
): Promise<BreakdownRow[]> {
  return selectRows<BreakdownRow>(
    db,
    `SELECT value, sum(visitors) AS visitors, sum(visits) AS visits, sum(pageviews) AS pageviews,
            sum(bounces) AS bounces, sum(engaged_ms) AS engagedMs
       FROM daily_stats
      WHERE site_id = ? AND dimension = ? AND day BETWEEN ? AND ?
      GROUP BY value
      ORDER BY visits DESC, visitors DESC, pageviews DESC, value
      LIMIT ?`,
    [filter.siteId, dimension, filter.from, filter.to, limit],
  );
}

/** The values a dimension had over the period, most visitors first: the options of a filter. */
export async function dimensionValues(
  db: Database,
  filter: Pick<DashboardFilter, "siteId" | "from" | "to">,
  dimension: Breakdown,
  limit = 50,
): Promise<string[]> {
  const rows = await selectRows<{ value: string }>(
    db,
    `SELECT value FROM daily_stats
      WHERE site_id = ? AND dimension = ? AND day BETWEEN ? AND ? AND value <> ''
      GROUP BY value ORDER BY sum(visitors) DESC, value LIMIT ?`,
    [filter.siteId, dimension, filter.from, filter.to, limit],
  );
  return rows.map((r) => r.value);
}
