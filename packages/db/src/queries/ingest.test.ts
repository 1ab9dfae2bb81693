import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "../testing.ts";
import { type IngestEvent, writeIngestGroups } from "./ingest.ts";
import { createSite } from "./sites.ts";
import { recentVisitors } from "./visitors.ts";

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 2, 9);

function pageview(clientId: string, path: string, at = T0): IngestEvent {
  return { clientId, type: "pageview", path, url: `https://acme.test${path}`, receivedAt: at };
}

describe("writeIngestGroups", () => {
  let t: TestDb;
  let siteId: number;
  beforeEach(async () => {
    t = await createTestDb();
    siteId = (await createSite(t.db, { publicKey: "pk", name: "Acme", domains: ["acme.test"] })).id;
  });
  afterEach(() => t.cleanup());

  it("stores a repeated client id once and reports it as a duplicate", async () => {
    const visitor = { siteId, id: "v1", channel: "direct" };
    const [first] = await writeIngestGroups(t.db.$client, [
      { visitor, events: [pageview("e1", "/"), pageview("e2", "/pricing")] },
    ]);
    const [retry] = await writeIngestGroups(t.db.$client, [
      { visitor, events: [pageview("e2", "/pricing"), pageview("e3", "/blog")] },
    ]);
    expect(first).toEqual({ accepted: 2, duplicates: 0 });
    expect(retry).toEqual({ accepted: 1, duplicates: 1 });
    const stored = await t.db.$client.execute("SELECT client_id FROM events ORDER BY id");
    expect(stored.rows.map((r) => r.client_id)).toEqual(["e1", "e2", "e3"]);
  });

  it("keeps the daily rollups equal to the raw events", async () => {
    const a = { siteId, id: "a", channel: "search" };
    const b = { siteId, id: "b", channel: "social" };
    await writeIngestGroups(t.db.$client, [
      { visitor: a, events: [pageview("a1", "/"), pageview("a2", "/pricing")] },
      { visitor: b, events: [pageview("b1", "/pricing")] },
    ]);
    await writeIngestGroups(t.db.$client, [
      { visitor: a, events: [pageview("a3", "/", T0 + 1000)] }, // same day: not a new visitor
      { visitor: a, events: [pageview("a4", "/", T0 + DAY)] }, // next day: counted again
    ]);
    const totals = await t.db.$client.execute(
      "SELECT day, pageviews, visitors FROM daily_stats WHERE dimension = '' ORDER BY day",
    );
    expect(totals.rows.map((r) => [r.day, r.pageviews, r.visitors])).toEqual([
      ["2026-11-02", 4, 2],
      ["2026-11-03", 1, 1],
    ]);
    const pricing = await t.db.$client.execute(
      "SELECT pageviews FROM daily_stats WHERE dimension = 'path' AND value = '/pricing'",
    );
    expect(pricing.rows[0]?.pageviews).toBe(2);
  });

  it("lists the most recent visitors first with their events", async () => {
    await writeIngestGroups(t.db.$client, [{ visitor: { siteId, id: "old" }, events: [pageview("o1", "/", T0)] }]);
    await writeIngestGroups(t.db.$client, [
      { visitor: { siteId, id: "new" }, events: [pageview("n1", "/", T0 + 5000), pageview("n2", "/pricing", T0 + 6000)] },
    ]);
    const list = await recentVisitors(t.db, siteId);
    expect(list.map((v) => v.id)).toEqual(["new", "old"]);
    expect(list[0]?.events.map((e) => e.path)).toEqual(["/pricing", "/"]);
  });
});
