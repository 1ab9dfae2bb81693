import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "../testing.ts";
import { createSite } from "./sites.ts";
import { recentVisitors } from "./visitors.ts";

const T0 = Date.UTC(2026, 10, 2, 9);

describe("recentVisitors", () => {
  let t: TestDb;
  let site: number;
  let other: number;

  beforeAll(async () => {
    t = await createTestDb();
    site = (await createSite(t.db, { publicKey: "s", name: "S", domains: ["s.test"] })).id;
    other = (await createSite(t.db, { publicKey: "o", name: "O", domains: ["o.test"] })).id;
    const c = t.db.$client;
    const addVisitor = (siteId: number, id: string, lastSeen: number) =>
      c.execute({
        sql: "INSERT INTO visitors (site_id, id, first_seen_at, last_seen_at) VALUES (?, ?, ?, ?)",
        args: [siteId, id, T0, lastSeen],
      });
    const addEvent = (siteId: number, visitorId: string, path: string, at: number) =>
      c.execute({
        sql: "INSERT INTO events (site_id, client_id, visitor_id, type, path, received_at) VALUES (?, ?, ?, 'pageview', ?, ?)",
        args: [siteId, `${siteId}-${visitorId}-${path}`, visitorId, path, at],
      });
    // "busy" was seen last and has 30 events, all newer than quiet's three; two of quiet's share a time.
    await addVisitor(site, "busy", T0 + 100_000);
    await addVisitor(site, "quiet", T0 + 50_000);
    await addVisitor(site, "idle", T0 + 10_000);
    await addVisitor(other, "quiet", T0 + 200_000);
    for (let i = 0; i < 30; i++) await addEvent(site, "busy", `/b${i}`, T0 + 60_000 + i);
    await addEvent(site, "quiet", "/q1", T0 + 1000);
    await addEvent(site, "quiet", "/q2", T0 + 2000);
    await addEvent(site, "quiet", "/q3", T0 + 2000);
    // The same browser id on another site is another visitor.
    await addEvent(other, "quiet", "/elsewhere", T0 + 3000);
  });

  afterAll(() => t.cleanup());

  it("lists the most recently seen visitors, each with its own newest events", async () => {
    const list = await recentVisitors(t.db, site, { limit: 2, eventsPerVisitor: 3 });
    expect(list.map((v) => [v.id, v.events.map((e) => e.path)])).toEqual([
      ["busy", ["/b29", "/b28", "/b27"]],
      // Same time: the later stored first.
      ["quiet", ["/q3", "/q2", "/q1"]],
    ]);
  });

  it("never lets a busy visitor crowd out another one's events", async () => {
    const list = await recentVisitors(t.db, site, { limit: 3, eventsPerVisitor: 20 });
    expect(list.map((v) => [v.id, v.events.length])).toEqual([
      ["busy", 20],
      ["quiet", 3],
      ["idle", 0],
    ]);
    expect(list[0]?.events.at(-1)?.path).toBe("/b10");
  });

  it("reads only the site's own events", async () => {
    const list = await recentVisitors(t.db, other);
    expect(list.map((v) => [v.id, v.events.map((e) => e.path)])).toEqual([["quiet", ["/elsewhere"]]]);
  });
});
