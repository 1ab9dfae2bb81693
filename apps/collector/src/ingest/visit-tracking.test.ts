import type { VisitorRow } from "@leadtrail/db";
import { describe, expect, it } from "vitest";
import { RollupBatch, sourceDims } from "./rollups.ts";
import {
  applyVisitTracking,
  newVisitorRow,
  type TrackedEvent,
  trackVisit,
  type VisitState,
  type VisitTracking,
} from "./visit-tracking.ts";

const MIN = 60_000;
const T0 = Date.UTC(2026, 2, 10, 9); // 10 March, 09:00 UTC
const DAY = 24 * 60 * MIN;
const TOTALS = sourceDims({});
const SEARCH = sourceDims({ channel: "search" });

/** A stored browser's visit columns; a new browser by default. */
function visitor(state: Partial<VisitState> = {}): VisitState & { siteId: number } {
  return {
    siteId: 1,
    lastSeenAt: T0,
    eventCount: 0,
    visitStartedAt: null,
    visitPageviews: 0,
    lastPath: null,
    ...state,
  };
}

const pageview = (path: string, at: number): TrackedEvent => ({ type: "pageview", path, receivedAt: at });

/** The rollup increments as "MM-DD dimension:value counter±n", one per bucket and counter, sorted. */
function lines(tracking: VisitTracking): string[] {
  const out: string[] = [];
  for (const c of tracking.counts) {
    const day = new Date(c.at).toISOString().slice(5, 10);
    for (const [dimension, value] of c.dims) {
      for (const [counter, n] of Object.entries(c.counters)) {
        if (n) out.push(`${day} ${dimension || "total"}${value ? `:${value}` : ""} ${counter}${n > 0 ? "+" : ""}${n}`);
      }
    }
  }
  return out.sort();
}

interface Case {
  name: string;
  before: VisitState & { siteId: number };
  event: TrackedEvent;
  dims?: typeof TOTALS;
  visitStart: boolean;
  after: Partial<VisitState>;
  newHourVisitor: boolean;
  counts: string[];
}

const cases: Case[] = [
  {
    name: "a new browser's first page view: a visitor, a visit that lands, bounces and exits there",
    before: visitor(),
    event: pageview("/pricing", T0),
    dims: SEARCH,
    visitStart: true,
    after: { lastSeenAt: T0, eventCount: 1, visitStartedAt: T0, visitPageviews: 1, lastPath: "/pricing" },
    newHourVisitor: true,
    counts: [
      "03-10 channel:search bounces+1",
      "03-10 channel:search events+1",
      "03-10 channel:search pageviews+1",
      "03-10 channel:search visitors+1",
      "03-10 channel:search visits+1",
      "03-10 exit:/pricing visits+1",
      "03-10 landing:/pricing bounces+1",
      "03-10 landing:/pricing visits+1",
      "03-10 path:/pricing events+1",
      "03-10 path:/pricing pageviews+1",
      "03-10 total bounces+1",
      "03-10 total events+1",
      "03-10 total pageviews+1",
      "03-10 total visitors+1",
      "03-10 total visits+1",
    ],
  },
  {
    name: "the visit's second page view takes the bounce back and moves the exit",
    before: visitor({ eventCount: 1, visitStartedAt: T0, visitPageviews: 1, lastPath: "/pricing" }),
    event: pageview("/demo", T0 + 5 * MIN),
    visitStart: false,
    after: { lastSeenAt: T0 + 5 * MIN, eventCount: 2, visitStartedAt: T0, visitPageviews: 2, lastPath: "/demo" },
    newHourVisitor: false,
    counts: [
      "03-10 exit:/demo visits+1",
      "03-10 exit:/pricing visits-1",
      "03-10 landing:/pricing bounces-1",
      "03-10 path:/demo events+1",
      "03-10 path:/demo pageviews+1",
      "03-10 total bounces-1",
      "03-10 total events+1",
      "03-10 total pageviews+1",
    ],
  },
  {
    name: "a third page view only moves the exit",
    before: visitor({ eventCount: 2, visitStartedAt: T0, visitPageviews: 2, lastPath: "/demo" }),
    event: pageview("/contact", T0 + 6 * MIN),
    visitStart: false,
    after: { eventCount: 3, visitPageviews: 3, lastPath: "/contact" },
    newHourVisitor: false,
    counts: [
      "03-10 exit:/contact visits+1",
      "03-10 exit:/demo visits-1",
      "03-10 path:/contact events+1",
      "03-10 path:/contact pageviews+1",
      "03-10 total events+1",
      "03-10 total pageviews+1",
    ],
  },
  {
    name: "exactly 30 minutes of quiet is still the same visit",
    before: visitor({ eventCount: 3, visitStartedAt: T0, visitPageviews: 3, lastPath: "/contact" }),
    event: pageview("/pricing", T0 + 30 * MIN),
    visitStart: false,
    after: { visitStartedAt: T0, visitPageviews: 4 },
    newHourVisitor: false,
    counts: [
      "03-10 exit:/contact visits-1",
      "03-10 exit:/pricing visits+1",
      "03-10 path:/pricing events+1",
      "03-10 path:/pricing pageviews+1",
      "03-10 total events+1",
      "03-10 total pageviews+1",
    ],
  },
  {
    name: "after more than 30 minutes a new visit starts, on the same day not a new visitor",
    before: visitor({ eventCount: 3, visitStartedAt: T0, visitPageviews: 3, lastPath: "/contact" }),
    event: pageview("/blog", T0 + 31 * MIN),
    visitStart: true,
    after: {
      lastSeenAt: T0 + 31 * MIN,
      eventCount: 4,
      visitStartedAt: T0 + 31 * MIN,
      visitPageviews: 1,
      lastPath: "/blog",
    },
    newHourVisitor: false,
    counts: [
      "03-10 exit:/blog visits+1",
      "03-10 landing:/blog bounces+1",
      "03-10 landing:/blog visits+1",
      "03-10 path:/blog events+1",
      "03-10 path:/blog pageviews+1",
      "03-10 total bounces+1",
      "03-10 total events+1",
      "03-10 total pageviews+1",
      "03-10 total visits+1",
    ],
  },
  {
    name: "a new hour in the same visit counts an hourly visitor but no daily one",
    before: visitor({
      lastSeenAt: T0 + 50 * MIN,
      eventCount: 2,
      visitStartedAt: T0 + 40 * MIN,
      visitPageviews: 2,
      lastPath: "/a",
    }),
    event: pageview("/b", T0 + 65 * MIN),
    visitStart: false,
    after: { visitPageviews: 3 },
    newHourVisitor: true,
    counts: [
      "03-10 exit:/a visits-1",
      "03-10 exit:/b visits+1",
      "03-10 path:/b events+1",
      "03-10 path:/b pageviews+1",
      "03-10 total events+1",
      "03-10 total pageviews+1",
    ],
  },
  {
    name: "a visit across midnight: the browser is a visitor of the new day, its bounce and exits stay on the first",
    before: visitor({
      lastSeenAt: T0 + 14 * 60 * MIN + 55 * MIN, // 23:55
      eventCount: 1,
      visitStartedAt: T0 + 14 * 60 * MIN + 55 * MIN,
      visitPageviews: 1,
      lastPath: "/late",
    }),
    event: pageview("/later", T0 + DAY - 9 * 60 * MIN + 5 * MIN), // 00:05 the next day
    visitStart: false,
    after: { visitStartedAt: T0 + 14 * 60 * MIN + 55 * MIN, visitPageviews: 2, lastPath: "/later" },
    newHourVisitor: true,
    counts: [
      "03-10 exit:/late visits-1",
      "03-10 exit:/later visits+1",
      "03-10 landing:/late bounces-1",
      "03-10 total bounces-1",
      "03-11 path:/later events+1",
      "03-11 path:/later pageviews+1",
      "03-11 total events+1",
      "03-11 total pageviews+1",
      "03-11 total visitors+1",
    ],
  },
  {
    name: "a click counts as an event of its type and name, not as a page view, and leaves bounces alone",
    before: visitor({ eventCount: 1, visitStartedAt: T0, visitPageviews: 1, lastPath: "/pricing" }),
    event: { type: "click", name: "cta", path: "/pricing", receivedAt: T0 + MIN },
    visitStart: false,
    after: { eventCount: 2, visitPageviews: 1, lastPath: "/pricing" },
    newHourVisitor: false,
    counts: ["03-10 event:click:cta events+1", "03-10 path:/pricing events+1", "03-10 total events+1"],
  },
  {
    name: "engaged time and scroll depth add up on the totals and the path",
    before: visitor({ eventCount: 1, visitStartedAt: T0, visitPageviews: 1, lastPath: "/pricing" }),
    event: { type: "engagement", path: "/pricing", engagedMs: 12_000, scrollDepth: 80, receivedAt: T0 + MIN },
    visitStart: false,
    after: { eventCount: 2 },
    newHourVisitor: false,
    counts: [
      "03-10 event:engagement: events+1",
      "03-10 path:/pricing engagedMs+12000",
      "03-10 path:/pricing events+1",
      "03-10 path:/pricing scrollCount+1",
      "03-10 path:/pricing scrollSum+80",
      "03-10 total engagedMs+12000",
      "03-10 total events+1",
      "03-10 total scrollCount+1",
      "03-10 total scrollSum+80",
    ],
  },
  {
    name: "a first event without a path starts a visit with no landing page",
    before: visitor(),
    event: { type: "custom", name: "signup", receivedAt: T0 },
    visitStart: true,
    after: { eventCount: 1, visitStartedAt: T0, visitPageviews: 0, lastPath: null },
    newHourVisitor: true,
    counts: [
      "03-10 event:custom:signup events+1",
      "03-10 total events+1",
      "03-10 total visitors+1",
      "03-10 total visits+1",
    ],
  },
  {
    name: "an event received out of order keeps the latest time seen",
    before: visitor({
      lastSeenAt: T0 + 10 * MIN,
      eventCount: 2,
      visitStartedAt: T0,
      visitPageviews: 1,
      lastPath: "/a",
    }),
    event: { type: "click", name: "x", receivedAt: T0 + 5 * MIN },
    visitStart: false,
    after: { lastSeenAt: T0 + 10 * MIN, eventCount: 3, visitStartedAt: T0 },
    newHourVisitor: false,
    counts: ["03-10 event:click:x events+1", "03-10 total events+1"],
  },
];

describe("trackVisit", () => {
  const days = new RollupBatch(); // UTC days
  for (const c of cases) {
    it(c.name, () => {
      // Frozen: a pure function never writes to the row it is given.
      const before = Object.freeze({ ...c.before });
      const tracking = trackVisit(before, c.event, c.dims ?? TOTALS, days);
      expect(tracking.visitStart).toBe(c.visitStart);
      expect(tracking.visit).toMatchObject(c.after);
      expect(tracking.newHourVisitor).toBe(c.newHourVisitor);
      expect(tracking.touchedPath).toBe(c.event.type === "pageview" ? (c.event.path ?? null) : null);
      expect(lines(tracking)).toEqual(c.counts);
    });
  }

  it("counts days in the site's time zone", () => {
    // 23:30 and 00:30 the next day in Berlin are 22:30 and 23:30 UTC: one UTC day, two local ones.
    const berlin = new RollupBatch(() => "Europe/Berlin");
    const late = Date.UTC(2026, 2, 10, 22, 30);
    const before = visitor({
      lastSeenAt: late,
      eventCount: 1,
      visitStartedAt: late,
      visitPageviews: 1,
      lastPath: "/a",
    });
    const event = { type: "click", name: "x", receivedAt: late + 60 * MIN };
    expect(lines(trackVisit(before, event, TOTALS, berlin))).toContain("03-10 total visitors+1");
    expect(lines(trackVisit(before, event, TOTALS, days))).not.toContain("03-10 total visitors+1");
  });
});

describe("applyVisitTracking", () => {
  it("moves the row on and adds the counts, the hourly visitor and the content touch to the batch", () => {
    const rollups = new RollupBatch();
    const row: VisitorRow = newVisitorRow(1, "v1", undefined, T0);
    for (const [path, at] of [
      ["/pricing", T0],
      ["/demo", T0 + MIN],
    ] as const) {
      applyVisitTracking(row, at, TOTALS, trackVisit(row, pageview(path, at), TOTALS, rollups), rollups);
    }
    expect(row).toMatchObject({ eventCount: 2, visitStartedAt: T0, visitPageviews: 2, lastPath: "/demo" });
    const bucket = (dimension: string, value: string) =>
      rollups.deltas().find((d) => d.dimension === dimension && d.value === value);
    // Two page views of one visit: one visitor, one visit, no bounce; it landed on /pricing, left from /demo.
    expect(bucket("", "")).toMatchObject({ visitors: 1, visits: 1, pageviews: 2, bounces: 0 });
    expect(bucket("landing", "/pricing")).toMatchObject({ visits: 1, bounces: 0 });
    expect(bucket("exit", "/pricing")).toMatchObject({ visits: 0 });
    expect(bucket("exit", "/demo")).toMatchObject({ visits: 1 });
    expect(rollups.hourly()).toEqual([expect.objectContaining({ visitors: 1, visits: 1, pageviews: 2 })]);
    expect(rollups.touches().map((t) => t.path)).toEqual(["/pricing", "/demo"]);
  });
});
