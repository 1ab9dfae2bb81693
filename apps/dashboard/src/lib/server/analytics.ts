import { type Database, dimensionValues, isoDay, listSegments } from "@leadtrail/db";
import { publicFilter, type ResolvedFilter } from "./filters.ts";

/**
 * What every analytics page hands its FilterBar: the filter as shown and the options to pick from.
 * Segments are the site's personas; they slice lead-based widgets only (the funnel and the content
 * pipeline columns), so only those pages ask for them.
 */
export async function filterBarData(db: Database, resolved: ResolvedFilter, { segments: withSegments = false } = {}) {
  const { filter, site } = resolved;
  if (!site)
    return { filter: publicFilter(resolved), sites: resolved.sites, campaigns: [], channels: [], segments: [] };
  const [campaigns, channels, segments] = await Promise.all([
    dimensionValues(db, filter, "utm_campaign"),
    dimensionValues(db, filter, "channel"),
    withSegments ? listSegments(db, filter.siteId) : Promise.resolve([]),
  ]);
  return { filter: publicFilter(resolved), sites: resolved.sites, campaigns, channels, segments };
}

/** The first day of the month eleven months before `day`'s month: a twelve-month window. */
export function twelveMonthsBefore(day: string): string {
  const d = new Date(`${day.slice(0, 7)}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - 11);
  return isoDay(d.getTime());
}
