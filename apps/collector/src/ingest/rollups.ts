import {
  type DailyCounters,
  type DailyStatsDelta,
  dayOf,
  HOURLY_DIMENSIONS,
  type HourlyStatsDelta,
  localDay,
  type RebuildLead,
  type RebuildVisitor,
} from "@leadtrail/db";

/** A (dimension, value) pair a counter is attributed to, e.g. ["channel", "search"]. */
export type DimensionValue = readonly [dimension: string, value: string];

const TOTALS: DimensionValue = ["", ""];
const HOURLY = new Set<string>(HOURLY_DIMENSIONS);

/** A visitor's first visit to a path (content_touches row), keyed for de-duplication. */
export interface ContentTouch {
  key: string;
  siteId: number;
  path: string;
  visitorId: string;
  firstAt: number;
}

/**
 * Adds up one group commit's rollup changes in memory, so that the daily_stats upsert writes each
 * (site, day, dimension, value) bucket once per transaction however many events touched it.
 *
 * What each dimension counts (the dashboard reads these):
 * - "" (totals), and the visit-source dimensions channel, referrer, utm_source, utm_medium,
 *   utm_campaign, device, browser, os, country: page views, new visitors of the day, visits,
 *   bounces, events, engaged time, scroll, points, new leads, new MQLs.
 * - path: page views, events, engaged time, scroll, points, new leads and MQLs (the content that
 *   tipped them) of events on that path.
 * - landing: visits that started on the path, and their bounces.
 * - exit: `visits` that ended on the path so far (moves along as the visit goes on).
 * - event ("type:name" of non-page-view events): events and points.
 * Visit-level counts (visits, bounces, exits) go to the day the visit started.
 *
 * Days are the site's local days (`timeZoneOf`, the zone the collector last read for the site);
 * the totals and the campaign/channel slices (`HOURLY_DIMENSIONS`) also go to the UTC hour
 * (`hourly_stats`: page views, visits, engaged time, leads, MQLs; visitors through
 * `addHourlyVisitor`), so a filtered one-day chart reads the same slice by the hour.
 */
export class RollupBatch {
  #buckets = new Map<string, DailyStatsDelta>();
  #hours = new Map<string, HourlyStatsDelta>();
  #touches = new Map<string, ContentTouch>();
  readonly #timeZoneOf: (siteId: number) => string;

  constructor(timeZoneOf: (siteId: number) => string = () => "UTC") {
    this.#timeZoneOf = timeZoneOf;
  }

  /** The site's local day of `at` (the daily rollups' key). */
  dayOf(siteId: number, at: number): string {
    const zone = this.#timeZoneOf(siteId);
    return zone === "UTC" ? dayOf(at) : localDay(zone, at);
  }

  /** Adds `counters` to the bucket of every given dimension (plus nothing else). */
  add(siteId: number, at: number, dims: readonly DimensionValue[], counters: Partial<DailyCounters>): void {
    const day = this.dayOf(siteId, at);
    for (const [dimension, value] of dims) {
      if (HOURLY.has(dimension)) this.#addHourly(siteId, at, dimension, value, counters);
      const key = `${siteId}\u0000${day}\u0000${dimension}\u0000${value}`;
      let bucket = this.#buckets.get(key);
      if (!bucket) {
        bucket = {
          siteId,
          day,
          dimension,
          value,
          pageviews: 0,
          visitors: 0,
          visits: 0,
          bounces: 0,
          events: 0,
          engagedMs: 0,
          scrollSum: 0,
          scrollCount: 0,
          points: 0,
          leads: 0,
          mqls: 0,
        };
        this.#buckets.set(key, bucket);
      }
      for (const name in counters) {
        const field = name as keyof DailyCounters;
        bucket[field] += counters[field] ?? 0;
      }
    }
  }

  #hourBucket(siteId: number, at: number, dimension: string, value: string): HourlyStatsDelta {
    const hour = at - (at % 3_600_000);
    const key = `${siteId}\u0000${hour}\u0000${dimension}\u0000${value}`;
    let bucket = this.#hours.get(key);
    if (!bucket) {
      bucket = {
        siteId,
        hour,
        dimension,
        value,
        pageviews: 0,
        visitors: 0,
        visits: 0,
        engagedMs: 0,
        leads: 0,
        mqls: 0,
      };
      this.#hours.set(key, bucket);
    }
    return bucket;
  }

  #addHourly(siteId: number, at: number, dimension: string, value: string, c: Partial<DailyCounters>): void {
    if (!(c.pageviews || c.visits || c.engagedMs || c.leads || c.mqls)) return;
    const b = this.#hourBucket(siteId, at, dimension, value);
    b.pageviews += c.pageviews ?? 0;
    b.visits += c.visits ?? 0;
    b.engagedMs += c.engagedMs ?? 0;
    b.leads += c.leads ?? 0;
    b.mqls += c.mqls ?? 0;
  }

  /**
   * Counts a visitor in the hour of `at` (call once per visitor and hour), in the hourly slices
   * among `dims` (the dimensions of the visitor's first event in the hour, as the daily count).
   */
  addHourlyVisitor(siteId: number, at: number, dims: readonly DimensionValue[] = [TOTALS]): void {
    for (const [dimension, value] of dims) {
      if (HOURLY.has(dimension)) this.#hourBucket(siteId, at, dimension, value).visitors++;
    }
  }

  /** Hourly rows of this batch. */
  hourly(): HourlyStatsDelta[] {
    return [...this.#hours.values()];
  }

  /** Records that a visitor touched a path (kept once per site, path and visitor). */
  touch(siteId: number, path: string, visitorId: string, at: number): void {
    const key = `${siteId}\u0000${path}\u0000${visitorId}`;
    if (!this.#touches.has(key)) this.#touches.set(key, { key, siteId, path, visitorId, firstAt: at });
  }

  /** Buckets with a non-zero change. */
  deltas(): DailyStatsDelta[] {
    return [...this.#buckets.values()];
  }

  /** Content touches of this batch, each once, with a key that names (site, path, visitor). */
  touches(): ContentTouch[] {
    return [...this.#touches.values()];
  }
}

/** Totals plus the visit-source dimensions that have a value. */
export function sourceDims(source: {
  channel?: string | null;
  referrerDomain?: string | null;
  utmSource?: string | null;
  utmMedium?: string | null;
  utmCampaign?: string | null;
  device?: string | null;
  browser?: string | null;
  os?: string | null;
  country?: string | null;
}): DimensionValue[] {
  const dims: DimensionValue[] = [TOTALS];
  const push = (dimension: string, value: string | null | undefined) => {
    if (value) dims.push([dimension, value]);
  };
  push("channel", source.channel);
  push("referrer", source.referrerDomain);
  push("utm_source", source.utmSource);
  push("utm_medium", source.utmMedium);
  push("utm_campaign", source.utmCampaign);
  push("device", source.device);
  push("browser", source.browser);
  push("os", source.os);
  push("country", source.country);
  return dims;
}

/**
 * The leads whose funnel summaries (refreshLeadSummaries in @leadtrail/db) a transaction changes
 * besides those with a stage change: leads a visitor joined or left (first touch and pages move
 * with the visitor), leads created or found by e-mail in it, and leads whose visitors touched a
 * page for the first time.
 */
export function leadsToRefresh(input: {
  /** The transaction's visitors by `site|visitor` key, as they will be stored. */
  visitors: ReadonlyMap<string, { leadId: number | null }>;
  /** The lead each stored visitor had before the transaction (absent: a new visitor). */
  storedLeadOf: ReadonlyMap<string, number | null>;
  /** Every lead the transaction worked on. */
  leadIds: Iterable<number>;
  touches: readonly ContentTouch[];
}): Set<number> {
  const refresh = new Set<number>();
  const loaded = new Set<number>();
  for (const lead of input.storedLeadOf.values()) if (lead !== null) loaded.add(lead);
  for (const id of input.leadIds) if (!loaded.has(id)) refresh.add(id);
  for (const [key, v] of input.visitors) {
    const before = input.storedLeadOf.get(key) ?? null;
    if (before === v.leadId) continue;
    if (before !== null) refresh.add(before);
    if (v.leadId !== null) refresh.add(v.leadId);
  }
  for (const t of input.touches) {
    const lead = input.visitors.get(`${t.siteId}|${t.visitorId}`)?.leadId ?? null;
    if (lead !== null) refresh.add(lead);
  }
  return refresh;
}

/** Visits end after this long without an event (the write path's rule, write-path.ts). */
const VISIT_GAP = 30 * 60_000;

type RecountEvent = RebuildVisitor["events"][number];
const eventDim = (e: { type: string; name: string | null }): DimensionValue[] =>
  e.type === "pageview" ? [] : [["event", `${e.type}:${e.name ?? ""}`.slice(0, 300)]];
const pathDim = (e: { path: string | null }): DimensionValue[] => (e.path ? [["path", e.path]] : []);

/**
 * Counts one visitor's events (in order) into `batch` the way the write path counts them as they
 * arrive (write-path.ts `#track` and the points of `#take`): visitors per day, visits and landing
 * pages, bounces and exits, page views, events, engaged time, scroll and event points, by the
 * visitor's first-touch source (the raw tables keep no per-request source). For a rollup rebuild.
 */
export function recountVisitor(batch: RollupBatch, siteId: number, visitor: RebuildVisitor): void {
  const dims = sourceDims(visitor.source);
  let lastSeenAt = 0;
  let count = 0;
  let visitStartedAt: number | null = null;
  let visitPageviews = 0;
  let lastPath: string | null = null;
  for (const e of visitor.events) {
    const at = e.receivedAt;
    const visitStart = visitStartedAt === null || at - lastSeenAt > VISIT_GAP;
    if (count === 0 || batch.dayOf(siteId, lastSeenAt) !== batch.dayOf(siteId, at)) {
      batch.add(siteId, at, dims, { visitors: 1 });
    }
    if (visitStart) {
      visitStartedAt = at;
      visitPageviews = 0;
      batch.add(siteId, at, dims, { visits: 1 });
      if (e.path) batch.add(siteId, at, [["landing", e.path]], { visits: 1 });
    }
    lastSeenAt = Math.max(lastSeenAt, at);
    count++;
    const isPageview = e.type === "pageview";
    const counters = {
      pageviews: isPageview ? 1 : 0,
      events: 1,
      engagedMs: e.engagedMs ?? 0,
      scrollSum: e.scrollDepth ?? 0,
      scrollCount: e.scrollDepth === null ? 0 : 1,
    };
    batch.add(siteId, at, dims, counters);
    if (e.path) batch.add(siteId, at, [["path", e.path]], counters);
    if (!isPageview) batch.add(siteId, at, eventDim(e), { events: 1 });
    if (isPageview && e.path) {
      const visitDay = visitStartedAt ?? at;
      if (visitPageviews === 0) {
        batch.add(siteId, visitDay, [...dims, ["landing", e.path]], { bounces: 1 });
        batch.add(siteId, visitDay, [["exit", e.path]], { visits: 1 });
      } else {
        if (visitPageviews === 1 && lastPath)
          batch.add(siteId, visitDay, [...dims, ["landing", lastPath]], { bounces: -1 });
        if (lastPath) batch.add(siteId, visitDay, [["exit", lastPath]], { visits: -1 });
        batch.add(siteId, visitDay, [["exit", e.path]], { visits: 1 });
      }
      visitPageviews++;
      lastPath = e.path;
    }
    countPoints(batch, siteId, dims, e);
  }
}

function countPoints(batch: RollupBatch, siteId: number, dims: DimensionValue[], e: RecountEvent): void {
  const points = e.points.reduce((sum, p) => sum + p.delta, 0);
  const at = e.points[0]?.at;
  if (points !== 0 && at !== undefined) batch.add(siteId, at, [...dims, ...pathDim(e), ...eventDim(e)], { points });
}

/**
 * Counts a lead's creation and its MQL moves into `batch` as the write path does (by the lead's
 * first-touch source, and the page and event they happened on). The write path counts what it
 * handles itself: leads it creates (not imported ones) and MQL moves that come with an event or
 * identify of the lead (not those of the re-score job, an import or a sales action). For a rollup
 * rebuild.
 */
export function recountLead(batch: RollupBatch, siteId: number, lead: RebuildLead): void {
  const dims = sourceDims(lead.source);
  if (!lead.imported) {
    batch.add(siteId, lead.createdAt, [...dims, ...(lead.createdOn ? pathDim(lead.createdOn) : [])], { leads: 1 });
  }
  for (const mql of lead.mqls) {
    const byCollector = mql.on || mql.identify || (!lead.imported && mql.at === lead.createdAt);
    if (!byCollector) continue;
    const on = mql.on ? [...pathDim(mql.on), ...eventDim(mql.on)] : mql.identify ? pathDim(mql.identify) : [];
    batch.add(siteId, mql.at, [...dims, ...on], { mqls: 1 });
  }
}
