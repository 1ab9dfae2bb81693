import { createTestDb, type TestDb } from "@leadtrail/db/testing";
import { afterEach, describe, expect, it } from "vitest";
import { seedDemo } from "./seed-demo.ts";

const NOW = Date.UTC(2026, 10, 27, 12);

describe("seedDemo", () => {
  let t: TestDb;
  afterEach(() => t.cleanup());

  it("fills a fresh database with a demo site whose charts, leads and funnel have data", async () => {
    t = await createTestDb();
    // The demo `npm start` loads (60 days, 40 visitors a day): smaller ones close no deal at all,
    // and the won-value check below would hold for nothing.
    const result = await seedDemo(t.db, { now: NOW });
    const one = async (sql: string) => Number((await t.db.$client.execute(sql)).rows[0]?.n ?? 0);

    expect(result.events).toBeGreaterThan(1000);
    // Everything the generator sent went through the collector: stored rows match (bots and rejects aside).
    const stored = await one("SELECT count(*) AS n FROM events");
    expect(stored).toBeGreaterThan(result.events * 0.9);
    // Rollups come from the same transactions as the events.
    expect(await one("SELECT sum(pageviews) AS n FROM daily_stats WHERE dimension = ''")).toBe(
      await one("SELECT count(*) AS n FROM events WHERE type = 'pageview'"),
    );
    expect(await one("SELECT count(DISTINCT day) AS n FROM daily_stats WHERE dimension = ''")).toBeGreaterThanOrEqual(
      20,
    );
    // The seed article's journey shows up: poster QR scans, identified leads, scores and MQLs.
    expect(await one("SELECT count(*) AS n FROM events WHERE type = 'qr_scan'")).toBeGreaterThan(0);
    expect(await one("SELECT count(*) AS n FROM leads")).toBeGreaterThan(5);
    expect(await one("SELECT count(*) AS n FROM score_ledger WHERE rule_id = 'qr-poster-scan'")).toBeGreaterThan(0);
    expect(await one("SELECT count(*) AS n FROM stage_changes WHERE to_stage = 'mql'")).toBeGreaterThan(0);
    // The sales side: MQLs routed to the demo reps, and the generator's outcomes worked by them, so
    // the funnel goes past MQL, rejections have reasons and won deals have values.
    expect(await one("SELECT count(*) AS n FROM lead_assignments WHERE rep_id IS NOT NULL")).toBeGreaterThan(0);
    for (const stage of ["sal", "sql", "won", "nurture"]) {
      expect(
        await one(`SELECT count(*) AS n FROM stage_changes WHERE to_stage = '${stage}' AND actor LIKE 'user:%'`),
      ).toBeGreaterThan(0);
    }
    expect(await one("SELECT count(*) AS n FROM stage_changes WHERE to_stage = 'nurture' AND reason IS NULL")).toBe(0);
    expect(await one("SELECT count(*) AS n FROM leads WHERE stage = 'won' AND deal_value > 0")).toBe(
      await one("SELECT count(*) AS n FROM leads WHERE stage = 'won'"),
    );
  }, 240_000); // the whole demo through the collector: ~14 s when idle, four times that on a busy machine

  it("is deterministic: the same options give the same data", async () => {
    t = await createTestDb();
    const first = await seedDemo(t.db, { now: NOW, days: 3, visitorsPerDay: 10 });
    const other = await createTestDb();
    try {
      const second = await seedDemo(other.db, { now: NOW, days: 3, visitorsPerDay: 10 });
      expect(second).toEqual(first);
      const ids = async (db: TestDb) =>
        // Scans and link clicks get a server-made id at the redirect; everything else keeps the generator's.
        (await db.db.$client.execute("SELECT client_id, type, path FROM events")).rows
          .map((r) => (r.type === "qr_scan" || r.type === "link_click" ? `${r.type} ${r.path}` : String(r.client_id)))
          .sort();
      expect(await ids(other)).toEqual(await ids(t));
    } finally {
      other.cleanup();
    }
  });
});
