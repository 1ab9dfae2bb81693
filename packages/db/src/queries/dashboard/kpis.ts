import type { Database } from "../../client.ts";
import { startOfLocalDay } from "../../local-time.ts";
import { type DashboardFilter, rollupSlice, selectRows } from "./filters.ts";
import { type Bucket, bucketKeyOfDay, bucketsOf, type DayRange, type Period } from "./period.ts";

// The KPI cards at the top of the overview, behaviour and content pages: each figure for the
// period and the previous period, and its course over the period's chart buckets (the sparkline).
// Traffic, leads and MQLs come from `daily_stats` site totals (or the campaign/channel slice),
// hourly from `hourly_stats` (the same slice) for a one-day period; pipeline value from `lead_funnel` (won_at).

/** The figures of one period. Rates are derived from them (see `kpiRate`). */
export interface KpiTotals {
  visitors: number;
  pageviews: number;
  visits: number;
  engagedMs: number;
  leads: number;
  mqls: number;
  /** Deal values of the leads first won in the period. */
  pipelineValue: number;
}

/** The cards' data: both periods' totals and the current period's per-bucket figures. */
export interface KpiComparison {
  current: KpiTotals;
  previous: KpiTotals;
  /** The current period's chart buckets (see `bucketsOf`). */
  buckets: Bucket[];
  /** One entry per bucket of the current period, in order. */
  series: KpiTotals[];
  /** The previous period at the same granularity (it may have a bucket more or less). */
  previousSeries: KpiTotals[];
}

const COUNTERS = ["visitors", "pageviews", "visits", "engagedMs", "leads", "mqls"] as const;
const zero = (): KpiTotals => ({
  visitors: 0,
  pageviews: 0,
  visits: 0,
  engagedMs: 0,
  leads: 0,
  mqls: 0,
  pipelineValue: 0,
});

function add(into: KpiTotals, row: Partial<Record<keyof KpiTotals, unknown>>): void {
  for (const k of COUNTERS) into[k] += Number(row[k] ?? 0);
  into.pipelineValue += Number(row.pipelineValue ?? 0);
}

type DayRow = { day: string } & Record<(typeof COUNTERS)[number], number>;

/** SQL for the bucket key of `day` (see `bucketKeyOfDay`): the day, its ISO week's Monday, or its month's first. */
const BUCKET_SQL: Record<Period["granularity"], string> = {
  hour: "day",
  day: "day",
  week: "date(day, '-6 days', 'weekday 1')",
  month: "substr(day, 1, 7) || '-01'",
};

/** One slice's daily rollups of a range, summed per bucket in SQL (at most ~45 rows whatever the range). */
async function dailyRows(
  db: Database,
  filter: DashboardFilter,
  range: DayRange,
  granularity: Period["granularity"],
): Promise<DayRow[]> {
  const slice = rollupSlice(filter);
  return selectRows<DayRow>(
    db,
    `SELECT ${BUCKET_SQL[granularity]} AS day, sum(visitors) AS visitors, sum(pageviews) AS pageviews,
            sum(visits) AS visits, sum(engaged_ms) AS engagedMs, sum(leads) AS leads, sum(mqls) AS mqls
       FROM daily_stats
      WHERE site_id = ? AND dimension = ? AND day BETWEEN ? AND ? AND value = ?
      GROUP BY 1`,
    [filter.siteId, slice.dimension, range.from, range.to, slice.value],
  );
}

async function wonRows(
  db: Database,
  filter: DashboardFilter,
  startMs: number,
  endMs: number,
): Promise<{ at: number; value: number }[]> {
  // lead_funnel holds first touch (campaign, channel) per lead: the same slice as the traffic figures.
  return selectRows<{ at: number; value: number }>(
    db,
    `SELECT lf.won_at AS at, coalesce(l.deal_value, 0) AS value
       FROM lead_funnel lf JOIN leads l ON l.id = lf.lead_id
      WHERE lf.site_id = ? AND lf.won_at >= ? AND lf.won_at < ?
        AND (? IS NULL OR lf.campaign = ?) AND (? IS NULL OR lf.source = ?)`,
    [
      filter.siteId,
      startMs,
      endMs,
      filter.campaign ?? null,
      filter.campaign ?? null,
      filter.channel ?? null,
      filter.channel ?? null,
    ],
  );
}

/** The UTC instants [start, end) of a range of the site's local days. */
export function rangeBounds(range: DayRange, timeZone: string): { start: number; end: number } {
  const next = new Date(Date.parse(`${range.to}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  return { start: startOfLocalDay(timeZone, range.from), end: startOfLocalDay(timeZone, next) };
}

type HourRow = { hour: number } & Record<(typeof COUNTERS)[number], number>;

/** Sums day (or hour) rows and won deals into the buckets of one period. */
function bucketize(
  buckets: readonly Bucket[],
  granularity: Period["granularity"],
  timeZone: string,
  rows: { days: DayRow[]; hours: HourRow[]; won: { at: number; value: number }[] },
): KpiTotals[] {
  const series = buckets.map(() => zero());
  const index = new Map(buckets.map((b, i) => [b.key, i]));
  if (granularity === "hour") {
    const byHour = (at: number) => index.get(String(at - (at % 3_600_000)));
    for (const h of rows.hours) {
      const i = byHour(Number(h.hour));
      if (i !== undefined) add(series[i] as KpiTotals, h);
    }
    for (const w of rows.won) {
      const i = byHour(Number(w.at));
      if (i !== undefined) (series[i] as KpiTotals).pipelineValue += Number(w.value);
    }
    return series;
  }
  // The rows come summed per bucket already (`dailyRows`); the key is recomputed as a check.
  for (const r of rows.days) {
    const i = index.get(bucketKeyOfDay(r.day, granularity));
    if (i !== undefined) add(series[i] as KpiTotals, r);
  }
  // A won deal goes to the bucket whose first local day began last before it.
  const starts = buckets.map((b) => startOfLocalDay(timeZone, b.from));
  for (const w of rows.won) {
    let i = starts.length - 1;
    while (i > 0 && (starts[i] as number) > Number(w.at)) i--;
    if (series[i]) (series[i] as KpiTotals).pipelineValue += Number(w.value);
  }
  return series;
}

/**
 * The KPI figures of `period` and its previous period, and both per chart bucket. A handful of
 * indexed reads: at most a year of one slice's daily rows per period, the won leads of both
 * periods, and for a one-day period its (and the previous day's) 23–25 hourly rows.
 */
export async function kpiComparison(
  db: Database,
  filter: DashboardFilter,
  period: Period,
  timeZone: string,
): Promise<KpiComparison> {
  const buckets = bucketsOf(period, period.granularity, timeZone);
  const previousBuckets = bucketsOf(period.previous, period.granularity, timeZone);
  const cur = rangeBounds(period, timeZone);
  const prev = rangeBounds(period.previous, timeZone);
  const hourly = period.granularity === "hour";
  // The hourly rollup keeps the same campaign/channel slices as the daily one.
  const slice = rollupSlice(filter);
  const hourRows = (from: number, to: number) =>
    hourly
      ? selectRows<HourRow>(
          db,
          `SELECT hour, visitors, pageviews, visits, engaged_ms AS engagedMs, leads, mqls
             FROM hourly_stats WHERE site_id = ? AND dimension = ? AND value = ? AND hour >= ? AND hour < ?`,
          [filter.siteId, slice.dimension, slice.value, from, to],
        )
      : Promise.resolve([]);
  const [days, previousDays, won, previousWon, hours, previousHours] = await Promise.all([
    dailyRows(db, filter, period, period.granularity),
    dailyRows(db, filter, period.previous, period.granularity),
    wonRows(db, filter, cur.start, cur.end),
    wonRows(db, filter, prev.start, prev.end),
    hourRows(buckets[0]?.startMs ?? cur.start, cur.end),
    hourRows(previousBuckets[0]?.startMs ?? prev.start, prev.end),
  ]);
  const current = zero();
  const previous = zero();
  for (const r of days) add(current, r);
  for (const r of previousDays) add(previous, r);
  for (const w of won) current.pipelineValue += Number(w.value);
  for (const w of previousWon) previous.pipelineValue += Number(w.value);
  return {
    current,
    previous,
    buckets,
    series: bucketize(buckets, period.granularity, timeZone, { days, hours, won }),
    previousSeries: bucketize(previousBuckets, period.granularity, timeZone, {
      days: previousDays,
      hours: previousHours,
      won: previousWon,
    }),
  };
}

/** Leads that became MQL per lead created, 0–1 (0 without leads). */
export function leadToMqlRate(t: Pick<KpiTotals, "leads" | "mqls">): number {
  return t.leads > 0 ? t.mqls / t.leads : 0;
}

/**
 * The change from `previous` to `current` as a ratio (0.25 = +25 %), or null when the previous
 * figure is 0 (a change from nothing has no percentage: the cards show "—").
 */
export function relativeChange(current: number, previous: number): number | null {
  if (previous === 0) return null;
  return (current - previous) / previous;
}
