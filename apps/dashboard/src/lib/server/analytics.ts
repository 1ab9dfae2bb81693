import { type Bucket, type Database, dimensionValues, isoDay, kpiComparison, listSegments } from "@leadtrail/db";
import { publicFilter, type ResolvedFilter } from "./filters.ts";

/**
 * What every analytics page hands its FilterBar: the filter as shown and the options to pick from.
 * Segments are the site's personas; they slice lead-based widgets only (the funnel and the content
 * pipeline columns), so only those pages ask for them.
 */
export async function filterBarData(db: Database, resolved: ResolvedFilter, { segments: withSegments = false } = {}) {
  const { filter, site } = resolved;
  if (!site)
    return {
      filter: publicFilter(resolved),
      sites: resolved.sites,
      campaigns: [],
      channels: [],
      segments: [],
      timeZone: resolved.timeZone,
    };
  const [campaigns, channels, segments] = await Promise.all([
    dimensionValues(db, filter, "utm_campaign"),
    dimensionValues(db, filter, "channel"),
    withSegments ? listSegments(db, filter.siteId) : Promise.resolve([]),
  ]);
  return {
    filter: publicFilter(resolved),
    sites: resolved.sites,
    campaigns,
    channels,
    segments,
    timeZone: resolved.timeZone,
  };
}

/** The first day of the month eleven months before `day`'s month: a twelve-month window. */
export function twelveMonthsBefore(day: string): string {
  const d = new Date(`${day.slice(0, 7)}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - 11);
  return isoDay(d.getTime());
}

/** A chart label for a bucket: the local hour (HH:MM), the day or week's Monday, or YYYY-MM. */
export function bucketLabel(bucket: Bucket, granularity: string, timeZone: string): string {
  if (granularity === "hour" && bucket.startMs !== undefined) {
    return new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(
      bucket.startMs,
    );
  }
  return granularity === "month" ? bucket.key.slice(0, 7) : bucket.key;
}

/**
 * What the KPI cards and the period charts of a page need: both periods' figures, per bucket, with
 * the buckets' labels and the granularity the range picked.
 */
export async function periodKpis(db: Database, resolved: ResolvedFilter) {
  const { filter, period, timeZone } = resolved;
  const kpis = await kpiComparison(db, filter, period, timeZone);
  return {
    kpis: { current: kpis.current, previous: kpis.previous, series: kpis.series },
    previousSeries: kpis.previousSeries,
    previous: period.previous,
    granularity: period.granularity,
    labels: kpis.buckets.map((b) => bucketLabel(b, period.granularity, timeZone)),
  };
}
