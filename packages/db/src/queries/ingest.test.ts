import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "../testing.ts";
import { withWriteTransaction } from "../transactions.ts";
import {
  addDailyStats,
  type DailyStatsDelta,
  type EventRow,
  insertEvents,
  insertVisitors,
  loadVisitors,
  setVisitorLeads,
  updateVisitors,
  type VisitorRow,
} from "./ingest.ts";
import { createSite } from "./sites.ts";
import { recentVisitors } from "./visitors.ts";

const T0 = Date.UTC(2026, 10, 2, 9);

function event(siteId: number, clientId: string, path: string, at = T0, visitorId = "v1"): EventRow {
  return {
    siteId,
    visitorId,
    leadId: null,
    clientId,
    type: "pageview",
    path,
    url: `https://acme.test${path}`,
    receivedAt: at,
  };
}

function visitor(siteId: number, id: string, at: number): VisitorRow {
  return {
    siteId,
    id,
    leadId: null,
    firstSeenAt: at,
    lastSeenAt: at,
    referrerDomain: null,
    channel: "direct",
    utmSource: null,
    utmMedium: null,
    utmCampaign: null,
    landingPath: "/",
    clickId: null,
    browser: "Firefox",
    os: "Linux",
    device: "desktop",
    country: null,
    eventCount: 1,
    visitStartedAt: at,
    visitPageviews: 1,
    lastPath: "/",
    engagementScore: 0,
    scoreState: null,
    version: 0,
  };
}

function delta(siteId: number, value: string, pageviews: number): DailyStatsDelta {
  const zero = { visitors: 0, visits: 0, bounces: 0, events: 0, engagedMs: 0, scrollSum: 0, scrollCount: 0 };
  return { siteId, day: "2026-11-02", dimension: "path", value, pageviews, ...zero, points: 0, leads: 0, mqls: 0 };
}

describe("ingest queries", () => {
  let t: TestDb;
  let siteId: number;
  beforeEach(async () => {
    t = await createTestDb();
    siteId = (await createSite(t.db, { publicKey: "pk", name: "Acme", domains: ["acme.test"] })).id;
  });
  afterEach(() => t.cleanup());

  it("inserts a client id once, also when it repeats inside one statement, and returns only new rows", async () => {
    const first = await insertEvents(t.db, [event(siteId, "e1", "/"), event(siteId, "e2", "/pricing")]);
    const retry = await insertEvents(t.db, [
      event(siteId, "e2", "/pricing"),
      event(siteId, "e3", "/blog"),
      event(siteId, "e3", "/blog"),
    ]);
    expect([...first.keys()].sort()).toEqual([`${siteId}|e1`, `${siteId}|e2`]);
    expect([...retry.keys()]).toEqual([`${siteId}|e3`]);
    const stored = await t.db.$client.execute("SELECT client_id FROM events ORDER BY id");
    expect(stored.rows.map((r) => r.client_id)).toEqual(["e1", "e2", "e3"]);
  });

  it("adds rollup deltas to what is stored", async () => {
    await addDailyStats(t.db, [delta(siteId, "/pricing", 2), delta(siteId, "/", 1)]);
    await addDailyStats(t.db, [delta(siteId, "/pricing", 3)]);
    const rows = await t.db.$client.execute("SELECT value, pageviews FROM daily_stats ORDER BY value");
    expect(rows.rows.map((r) => [r.value, r.pageviews])).toEqual([
      ["/", 1],
      ["/pricing", 5],
    ]);
  });

  it("round-trips visitors and keeps first-touch columns of an existing visitor", async () => {
    await withWriteTransaction(t.db, (tx) => insertVisitors(tx, [visitor(siteId, "v1", T0)]));
    const later = {
      ...visitor(siteId, "v1", T0 + 5000),
      channel: "search",
      eventCount: 2,
      scoreState: { v: 1 },
      version: 1,
    };
    expect(await updateVisitors(t.db, [later])).toBe(1);
    const loaded = await loadVisitors(t.db, [
      { siteId, id: "v1" },
      { siteId, id: "nobody" },
    ]);
    expect(loaded.size).toBe(1);
    expect(loaded.get(`${siteId}|v1`)).toMatchObject({
      channel: "direct",
      eventCount: 2,
      lastSeenAt: T0 + 5000,
      scoreState: { v: 1 },
      version: 2,
    });
  });

  it("updates a visitor only from the version it was read at", async () => {
    await insertVisitors(t.db, [visitor(siteId, "v1", T0), visitor(siteId, "v2", T0)]);
    const fresh = { ...visitor(siteId, "v1", T0 + 1000), eventCount: 2, version: 1 };
    const stale = { ...visitor(siteId, "v2", T0 + 1000), eventCount: 9, version: 0 };
    expect(await updateVisitors(t.db, [fresh, stale])).toBe(1);
    const rows = await t.db.$client.execute("SELECT id, event_count, version FROM visitors ORDER BY id");
    expect(rows.rows.map((r) => [r.id, r.event_count, r.version])).toEqual([
      ["v1", 2, 2],
      ["v2", 1, 1],
    ]);
  });

  it("attaches visitors to leads", async () => {
    await insertVisitors(t.db, [visitor(siteId, "v1", T0), visitor(siteId, "v2", T0)]);
    const lead = await t.db.$client.execute({
      sql: "INSERT INTO leads (site_id, email, created_at) VALUES (?, 'a@b.test', ?) RETURNING id",
      args: [siteId, T0],
    });
    const leadId = Number(lead.rows[0]?.id);
    await setVisitorLeads(t.db, [{ siteId, id: "v2", leadId }]);
    const rows = await t.db.$client.execute("SELECT id, lead_id FROM visitors ORDER BY id");
    expect(rows.rows.map((r) => [r.id, r.lead_id])).toEqual([
      ["v1", null],
      ["v2", leadId],
    ]);
  });

  it("plans the hot statements on indexes, never a scan of a big table", async () => {
    const plan = async (sql: string) =>
      (await t.db.$client.execute(`EXPLAIN QUERY PLAN ${sql}`)).rows.map((r) => String(r.detail)).join("; ");
    const update = await plan(
      "UPDATE visitors SET event_count = 1 FROM json_each(?) AS u WHERE visitors.site_id = u.value->>0 AND visitors.id = u.value->>1 AND visitors.version = u.value->>2",
    );
    expect(update).toMatch(/SEARCH visitors USING INDEX sqlite_autoindex_visitors_1/);
    expect(await plan("SELECT id FROM events WHERE lead_id = 7 ORDER BY received_at")).toMatch(
      /USING (COVERING )?INDEX events_lead_idx \(lead_id=\?\)/,
    );
  });

  it("lists the most recent visitors first with their events", async () => {
    await insertVisitors(t.db, [visitor(siteId, "old", T0), visitor(siteId, "new", T0 + 5000)]);
    await insertEvents(t.db, [
      event(siteId, "o1", "/", T0, "old"),
      event(siteId, "n1", "/", T0 + 5000, "new"),
      event(siteId, "n2", "/pricing", T0 + 6000, "new"),
    ]);
    const list = await recentVisitors(t.db, siteId);
    expect(list.map((v) => v.id)).toEqual(["new", "old"]);
    expect(list[0]?.events.map((e) => e.path)).toEqual(["/pricing", "/"]);
  });
});

describe("withWriteTransaction", () => {
  let t: TestDb;
  afterEach(() => t.cleanup());

  it("queues a second write transaction of the same process instead of blocking it on the lock", async () => {
    t = await createTestDb();
    const client = t.db.$client;
    await client.execute("CREATE TABLE queued (n INTEGER)");
    const order: string[] = [];
    let releaseFirst = () => {};
    const held = new Promise<void>((resolve) => {
      releaseFirst = resolve;
    });
    const first = withWriteTransaction(t.db, async (tx) => {
      await tx.$client.execute("INSERT INTO queued VALUES (1)");
      order.push("first holds the lock");
      await held; // like a group commit awaiting between its statements
      order.push("first commits");
    });
    await new Promise((r) => setTimeout(r, 10));
    const second = withWriteTransaction(t.db, async (tx) => {
      order.push("second runs");
      await tx.$client.execute("INSERT INTO queued VALUES (2)");
    });
    // The event loop keeps turning while the second waits (a busy wait would stall it right here).
    await new Promise((r) => setTimeout(r, 10));
    order.push("event loop still runs");
    releaseFirst();
    await Promise.all([first, second]);
    expect(order).toEqual(["first holds the lock", "event loop still runs", "first commits", "second runs"]);
    expect((await client.execute("SELECT n FROM queued ORDER BY n")).rows.map((r) => Number(r.n))).toEqual([1, 2]);
  });
});
