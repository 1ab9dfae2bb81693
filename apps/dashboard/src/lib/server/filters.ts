import type { Database } from "@leadtrail/db";
import {
  type DashboardFilter,
  isoDay,
  listSites,
  PERIOD_PRESETS,
  type Period,
  type PeriodPreset,
  resolvePeriod,
  type Site,
} from "@leadtrail/db";
import { DAY_MS } from "@leadtrail/scoring";
import { raise } from "./errors.ts";
import { parseDay } from "./input.ts";
import { chooseSite } from "./site-choice.ts";

const MAX_DAYS = 366;
const MAX_VALUE = 200;

/** The URL's filters resolved against the database: the chosen site and the widget filter. */
export interface ResolvedFilter {
  sites: { key: string; name: string }[];
  site: Site | undefined;
  filter: DashboardFilter;
  /** The period the filter's days come from (preset, previous period, chart granularity). */
  period: Period;
  /** The site's time zone: its days are the filter's days. */
  timeZone: string;
}

/** The default period of the analytics pages. */
export const DEFAULT_PRESET: PeriodPreset = "30d";

/** Thrown by `parseFilterParams` for a date that is not a calendar day (the page answers 400). */
export class BadFilterDate extends Error {
  constructor(readonly field: "from" | "to") {
    super(`${field} is not a calendar day (YYYY-MM-DD)`);
  }
}

function preset(value: string | null): PeriodPreset | undefined {
  return (PERIOD_PRESETS as readonly string[]).includes(value ?? "") ? (value as PeriodPreset) : undefined;
}

function day(params: URLSearchParams, field: "from" | "to"): string | undefined {
  const value = parseDay(params.get(field));
  if (value === null) throw new BadFilterDate(field);
  return value;
}

function text(value: string | null): string | null {
  const v = value?.trim();
  return v ? v.slice(0, MAX_VALUE) : null;
}

/**
 * Reads site, period, from, to, campaign, channel and segment from the URL (so a view can be
 * shared), with defaults: no site (resolveFilter then takes the user's remembered one) and the 30
 * days up to `now`. `period` is a preset (`?period=7d`); `from`/`to` without a preset (or with
 * `period=custom`) are a custom range. A date that is not a calendar day (2026-02-30, "yesterday")
 * throws `BadFilterDate` rather than being rolled over or guessed; from/to are swapped when
 * reversed, and a range is capped at a year.
 */
export function parseFilterParams(params: URLSearchParams, now: number) {
  const defaultTo = isoDay(now);
  let to = day(params, "to") ?? defaultTo;
  let from = day(params, "from") ?? isoDay(Date.parse(`${to}T00:00:00Z`) - 29 * DAY_MS);
  if (from > to) [from, to] = [to, from];
  const span = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS + 1;
  if (span > MAX_DAYS) from = isoDay(Date.parse(`${to}T00:00:00Z`) - (MAX_DAYS - 1) * DAY_MS);
  const named = preset(params.get("period"));
  const custom = named === "custom" || (!named && (params.has("from") || params.has("to")));
  return {
    site: text(params.get("site")),
    preset: custom ? ("custom" as const) : (named ?? DEFAULT_PRESET),
    from,
    to,
    campaign: text(params.get("campaign")),
    channel: text(params.get("channel")),
    segment: text(params.get("segment")),
  };
}

/** Resolves the URL's filters for a page load; a date that does not exist is a 400. */
export async function resolveFilter(db: Database, url: URL, now = Date.now()): Promise<ResolvedFilter> {
  let params: ReturnType<typeof parseFilterParams>;
  try {
    params = parseFilterParams(url.searchParams, now);
  } catch (e) {
    if (e instanceof BadFilterDate) raise("bad_date", e.message);
    throw e;
  }
  const sites = await listSites(db);
  const site = await chooseSite(db, sites, params.site);
  const timeZone = site?.timeZone ?? "UTC";
  // Presets count the site's days up to its "today"; a custom range is taken as given.
  const period = resolvePeriod(params.preset, now, timeZone, { from: params.from, to: params.to });
  return {
    sites: sites.map((s) => ({ key: s.publicKey, name: s.name })),
    site,
    period,
    timeZone,
    filter: {
      siteId: site?.id ?? -1,
      from: period.from,
      to: period.to,
      campaign: params.campaign,
      channel: params.channel,
      segment: params.segment,
    },
  };
}

/** The filter as the pages show it (and put back into links). */
export function publicFilter(resolved: ResolvedFilter) {
  const { filter, site } = resolved;
  return {
    site: site?.publicKey ?? null,
    period: resolved.period.preset,
    from: filter.from,
    to: filter.to,
    campaign: filter.campaign ?? null,
    channel: filter.channel ?? null,
    segment: filter.segment ?? null,
  };
}
