import type { Database } from "@leadtrail/db";
import { type DashboardFilter, isoDay, listSites, type Site } from "@leadtrail/db";
import { DAY_MS } from "@leadtrail/scoring";

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
const MAX_DAYS = 366;
const MAX_VALUE = 200;

/** The URL's filters resolved against the database: the chosen site and the widget filter. */
export interface ResolvedFilter {
  sites: { key: string; name: string }[];
  site: Site | undefined;
  filter: DashboardFilter;
}

function day(value: string | null): string | undefined {
  if (!value || !DAY_RE.test(value)) return undefined;
  const t = Date.parse(`${value}T00:00:00Z`);
  return Number.isNaN(t) ? undefined : isoDay(t);
}

function text(value: string | null): string | null {
  const v = value?.trim();
  return v ? v.slice(0, MAX_VALUE) : null;
}

/**
 * Reads site, from, to, campaign, channel and segment from the URL (so a view can be shared),
 * with defaults: the first site and the 30 days up to `now`. Bad dates fall back to defaults,
 * from/to are swapped when reversed, and a range is capped at a year.
 */
export function parseFilterParams(params: URLSearchParams, now: number) {
  const defaultTo = isoDay(now);
  let to = day(params.get("to")) ?? defaultTo;
  let from = day(params.get("from")) ?? isoDay(Date.parse(`${to}T00:00:00Z`) - 29 * DAY_MS);
  if (from > to) [from, to] = [to, from];
  const span = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS + 1;
  if (span > MAX_DAYS) from = isoDay(Date.parse(`${to}T00:00:00Z`) - (MAX_DAYS - 1) * DAY_MS);
  return {
    site: text(params.get("site")),
    from,
    to,
    campaign: text(params.get("campaign")),
    channel: text(params.get("channel")),
    segment: text(params.get("segment")),
  };
}

/** Resolves the URL's filters for a page load. */
export async function resolveFilter(db: Database, url: URL, now = Date.now()): Promise<ResolvedFilter> {
  const params = parseFilterParams(url.searchParams, now);
  const sites = await listSites(db);
  const site = sites.find((s) => s.publicKey === params.site) ?? sites[0];
  return {
    sites: sites.map((s) => ({ key: s.publicKey, name: s.name })),
    site,
    filter: {
      siteId: site?.id ?? -1,
      from: params.from,
      to: params.to,
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
    from: filter.from,
    to: filter.to,
    campaign: filter.campaign ?? null,
    channel: filter.channel ?? null,
    segment: filter.segment ?? null,
  };
}
