import type { DailyCounters, VisitorRow } from "@leadtrail/db";
import { VISIT_GAP_MS } from "@leadtrail/workflows";
import type { DimensionValue } from "./rollups.ts";
import type { CollectorEvent, VisitSource } from "./write-ops.ts";

// Visits and bounces: what one event does to its browser's visit columns and to the rollups.
// Pure functions of the visitor row and the event (no I/O, no clock, arguments never changed):
// the write path applies the answer to its row and its RollupBatch (`applyVisitTracking`).

const HOUR_MS = 3_600_000;

/** The columns of a visitor row that visit tracking reads and moves on. */
export type VisitState = Pick<
  VisitorRow,
  "lastSeenAt" | "eventCount" | "visitStartedAt" | "visitPageviews" | "lastPath"
>;

/** A visit state after an event: a visit has always started by then. */
export type VisitAfter = VisitState & { visitStartedAt: number };

/** One increment of the daily rollups (and of the hourly totals through the "" dimension). */
export interface RollupCount {
  at: number;
  dims: readonly DimensionValue[];
  counters: Partial<DailyCounters>;
}

/** What an event does to its browser's visit and to the rollups. */
export interface VisitTracking {
  visit: VisitAfter;
  /** The event starts a visit (the scoring engine's `visitStart`). */
  visitStart: boolean;
  /** Daily rollup increments in the order they are added. */
  counts: RollupCount[];
  /** The browser's first event in this UTC hour (hourly_stats visitors). */
  newHourVisitor: boolean;
  /** The path of a page view, a content touch of the browser; null otherwise. */
  touchedPath: string | null;
}

/** The event fields visit tracking reads. */
export type TrackedEvent = Pick<CollectorEvent, "receivedAt" | "type" | "name" | "path" | "engagedMs" | "scrollDepth">;

/** The site's local day of a time (RollupBatch#dayOf): a new day counts the browser as a visitor again. */
export interface SiteDays {
  dayOf(siteId: number, at: number): string;
}

/** Whether an event at `at` starts a visit, and the visit state after it (before any page view counts). */
export function advanceVisit(v: VisitState, at: number): { visitStart: boolean; visit: VisitAfter } {
  const visitStart = v.visitStartedAt === null || at - v.lastSeenAt > VISIT_GAP_MS;
  return {
    visitStart,
    visit: {
      lastSeenAt: Math.max(v.lastSeenAt, at),
      eventCount: v.eventCount + 1,
      visitStartedAt: visitStart ? at : (v.visitStartedAt as number),
      visitPageviews: visitStart ? 0 : v.visitPageviews,
      lastPath: v.lastPath,
    },
  };
}

/**
 * Visit bookkeeping and the event's own rollups, for the browser `v`.
 * Bounces and exits are kept exact incrementally: a visit's first page view counts as a bounce
 * and an exit; its second takes the bounce back; every later one moves the exit along.
 * Visit-level counts (visits, bounces, exits) go to the day the visit started.
 */
export function trackVisit(
  v: VisitState & Pick<VisitorRow, "siteId">,
  event: TrackedEvent,
  dims: readonly DimensionValue[],
  days: SiteDays,
): VisitTracking {
  const { siteId } = v;
  const at = event.receivedAt;
  const counts: RollupCount[] = [];
  const firstEvent = v.eventCount === 0;
  if (firstEvent || days.dayOf(siteId, v.lastSeenAt) !== days.dayOf(siteId, at)) {
    counts.push({ at, dims, counters: { visitors: 1 } });
  }
  const newHourVisitor = firstEvent || Math.floor(v.lastSeenAt / HOUR_MS) !== Math.floor(at / HOUR_MS);
  const { visitStart, visit } = advanceVisit(v, at);
  if (visitStart) {
    counts.push({ at, dims, counters: { visits: 1 } });
    if (event.path) counts.push({ at, dims: [["landing", event.path]], counters: { visits: 1 } });
  }

  const isPageview = event.type === "pageview";
  const scroll = event.scrollDepth ?? null;
  const counters = {
    pageviews: isPageview ? 1 : 0,
    events: 1,
    engagedMs: event.engagedMs ?? 0,
    scrollSum: scroll ?? 0,
    scrollCount: scroll === null ? 0 : 1,
  };
  counts.push({ at, dims, counters });
  if (event.path) counts.push({ at, dims: [["path", event.path]], counters });
  if (!isPageview) counts.push({ at, dims: [["event", eventDimension(event)]], counters: { events: 1 } });

  const touchedPath = isPageview && event.path ? event.path : null;
  if (touchedPath) {
    const visitDay = visit.visitStartedAt;
    if (visit.visitPageviews === 0) {
      counts.push({ at: visitDay, dims: [...dims, ["landing", touchedPath]], counters: { bounces: 1 } });
      counts.push({ at: visitDay, dims: [["exit", touchedPath]], counters: { visits: 1 } });
    } else {
      if (visit.visitPageviews === 1 && visit.lastPath) {
        counts.push({ at: visitDay, dims: [...dims, ["landing", visit.lastPath]], counters: { bounces: -1 } });
      }
      if (visit.lastPath) counts.push({ at: visitDay, dims: [["exit", visit.lastPath]], counters: { visits: -1 } });
      counts.push({ at: visitDay, dims: [["exit", touchedPath]], counters: { visits: 1 } });
    }
    visit.visitPageviews++;
    visit.lastPath = touchedPath;
  }
  return { visit, visitStart, counts, newHourVisitor, touchedPath };
}

/** The "event" rollup dimension's value of a non-page-view event: `type:name`, capped. */
export function eventDimension(event: Pick<CollectorEvent, "type" | "name">): string {
  return `${event.type}:${event.name ?? ""}`.slice(0, 300);
}

/** Where the write path keeps what `trackVisit` answers (RollupBatch has these). */
export interface RollupSink {
  add(siteId: number, at: number, dims: readonly DimensionValue[], counters: Partial<DailyCounters>): void;
  addHourlyVisitor(siteId: number, at: number, dims: readonly DimensionValue[]): void;
  touch(siteId: number, path: string, visitorId: string, at: number): void;
}

/**
 * Applies a tracking answer: the visitor row's visit columns move on, the rollups add its counts
 * (the hour's visitor in the same slices as the day's: totals, campaign, channel).
 */
export function applyVisitTracking(
  v: VisitorRow,
  at: number,
  dims: readonly DimensionValue[],
  tracking: VisitTracking,
  rollups: RollupSink,
): void {
  Object.assign(v, tracking.visit);
  for (const c of tracking.counts) rollups.add(v.siteId, c.at, c.dims, c.counters);
  if (tracking.newHourVisitor) rollups.addHourlyVisitor(v.siteId, at, dims);
  if (tracking.touchedPath) rollups.touch(v.siteId, tracking.touchedPath, v.id, at);
}

/** The row of a browser seen for the first time: its first touch comes from the request's source. */
export function newVisitorRow(siteId: number, id: string, source: VisitSource | undefined, at: number): VisitorRow {
  return {
    siteId,
    id,
    leadId: null,
    firstSeenAt: at,
    lastSeenAt: at,
    referrerDomain: source?.referrerDomain ?? null,
    channel: source?.channel ?? null,
    utmSource: source?.utmSource ?? null,
    utmMedium: source?.utmMedium ?? null,
    utmCampaign: source?.utmCampaign ?? null,
    landingPath: source?.landingPath ?? null,
    clickId: source?.clickId ?? null,
    browser: source?.browser ?? null,
    os: source?.os ?? null,
    device: source?.device ?? null,
    country: source?.country ?? null,
    eventCount: 0,
    visitStartedAt: null,
    visitPageviews: 0,
    lastPath: null,
    engagementScore: 0,
    scoreState: null,
    version: 0,
  };
}
