import { DAY_MS } from "@leadtrail/scoring";
import type { InValue } from "@libsql/client";
import type { Database } from "../../client.ts";

/**
 * What every dashboard widget is asked for: a site and an inclusive range of UTC days, plus the
 * optional campaign (utm_campaign), channel and segment (lead persona) the URL carries.
 */
export interface DashboardFilter {
  siteId: number;
  /** First day, YYYY-MM-DD (UTC, inclusive). */
  from: string;
  /** Last day, YYYY-MM-DD (UTC, inclusive). */
  to: string;
  campaign?: string | null;
  channel?: string | null;
  segment?: string | null;
}

/** Millisecond bounds [start, end) of a filter's days: events and stage changes compare against these. */
export function rangeMs(filter: Pick<DashboardFilter, "from" | "to">): { start: number; end: number } {
  return { start: Date.parse(`${filter.from}T00:00:00Z`), end: Date.parse(`${filter.to}T00:00:00Z`) + DAY_MS };
}

/** The range of the same length that ends the day before `from`: the comparison period. */
export function previousPeriod<F extends Pick<DashboardFilter, "from" | "to">>(filter: F): F {
  const { start, end } = rangeMs(filter);
  const length = end - start;
  return { ...filter, from: isoDay(start - length), to: isoDay(start - DAY_MS) };
}

/** Every day of a filter's range, in order (for series with no gaps). */
export function daysOf(filter: Pick<DashboardFilter, "from" | "to">): string[] {
  const { start, end } = rangeMs(filter);
  const days: string[] = [];
  for (let t = start; t < end && days.length < 3660; t += DAY_MS) days.push(isoDay(t));
  return days;
}

/** UTC day YYYY-MM-DD of a time in ms. */
export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * The rollup slice a filter selects. Rollups break a day down by one dimension at a time, so a
 * campaign or channel filter selects that dimension's row instead of the site totals (campaign
 * wins when both are set); breakdowns by another dimension cannot be filtered from rollups.
 */
export function rollupSlice(filter: DashboardFilter): { dimension: string; value: string } {
  if (filter.campaign) return { dimension: "utm_campaign", value: filter.campaign };
  if (filter.channel) return { dimension: "channel", value: filter.channel };
  return { dimension: "", value: "" };
}

/** Runs one read and returns its rows as plain objects of the given shape. */
export async function selectRows<T>(db: Database, sql: string, args: InValue[]): Promise<T[]> {
  const result = await db.$client.execute({ sql, args });
  return result.rows as unknown as T[];
}
