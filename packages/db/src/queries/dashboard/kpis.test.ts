import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "../../testing.ts";
import { createSite } from "../sites.ts";
import { kpiComparison, leadToMqlRate, relativeChange } from "./kpis.ts";
import { resolvePeriod } from "./period.ts";

const ZONE = "Europe/Berlin";
let t: TestDb;
let siteId: number;

/** One daily_stats totals row per day from `from` for `days` days: day n has n+1 page views. */
async function days(from: string, count: number, extra: Record<string, number> = {}) {
  const rows = [];
  for (let n = 0; n < count; n++) {
    const day = new Date(Date.parse(`${from}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
    rows.push([siteId, day, n + 1, 1, 2, 1000, extra.leads ?? 0, extra.mqls ?? 0]);
  }
  await t.db.$client.execute({
    sql: `INSERT INTO daily_stats (site_id, day, dimension, value, pageviews, visitors, visits, engaged_ms, leads, mqls)
          SELECT value->>0, value->>1, '', '', value->>2, value->>3, value->>4, value->>5, value->>6, value->>7
            FROM json_each(?)`,
    args: [JSON.stringify(rows)],
  });
}

beforeEach(async () => {
  t = await createTestDb();
  siteId = (await createSite(t.db, { publicKey: "k", name: "Berlin", domains: ["a.test"], timeZone: ZONE })).id;
});
afterEach(() => t.cleanup());

describe("kpiComparison", () => {
  it("sums both periods and buckets the current one by week, clipped to the range", async () => {
    await days("2026-01-01", 200, { leads: 2, mqls: 1 });
    const period = resolvePeriod("custom", 0, ZONE, { from: "2026-04-01", to: "2026-05-20" });
    const k = await kpiComparison(t.db, { siteId, from: period.from, to: period.to }, period, ZONE);
    expect(period.granularity).toBe("week");
    // 50 days (Apr 1 = day 90 of the rows, so n+1 = 91 … 140) and the 50 days before (41 … 90).
    expect(k.current.pageviews).toBe(((91 + 140) * 50) / 2);
    expect(k.previous.pageviews).toBe(((41 + 90) * 50) / 2);
    expect(k.current).toMatchObject({ visitors: 50, visits: 100, engagedMs: 50_000, leads: 100, mqls: 50 });
    expect(k.buckets.map((b) => b.key)).toEqual([
      "2026-03-30",
      "2026-04-06",
      "2026-04-13",
      "2026-04-20",
      "2026-04-27",
      "2026-05-04",
      "2026-05-11",
      "2026-05-18",
    ]);
    // The first week holds Apr 1–5 only (5 days), the last May 18–20 (3 days).
    expect(k.series.map((s) => s.visitors)).toEqual([5, 7, 7, 7, 7, 7, 7, 3]);
    expect(k.series.reduce((a, s) => a + s.pageviews, 0)).toBe(k.current.pageviews);
    expect(k.previousSeries.reduce((a, s) => a + s.pageviews, 0)).toBe(k.previous.pageviews);
  });

  it("buckets twelve months by month and reads nothing outside the range", async () => {
    await days("2025-01-01", 600);
    const period = resolvePeriod("12m", Date.parse("2026-03-10T12:00:00Z"), ZONE);
    const k = await kpiComparison(t.db, { siteId, from: period.from, to: period.to }, period, ZONE);
    expect(k.buckets.map((b) => b.key.slice(0, 7))).toEqual([
      "2025-04",
      "2025-05",
      "2025-06",
      "2025-07",
      "2025-08",
      "2025-09",
      "2025-10",
      "2025-11",
      "2025-12",
      "2026-01",
      "2026-02",
      "2026-03",
    ]);
    expect(k.series.map((s) => s.visitors)).toEqual([30, 31, 30, 31, 31, 30, 31, 30, 31, 31, 28, 10]);
    // Previous: 2024-04-01 … 2025-03-10, of which only 2025-01-01 … 2025-03-10 has rows (69 days).
    expect(k.previous.visitors).toBe(69);
  });

  it("a one-day period reads the hourly totals in the site's hours", async () => {
    const sunday = "2026-03-29"; // 23 hours in Berlin: 2026-03-28T23:00Z … 2026-03-29T22:00Z
    const hour = (iso: string) => Date.parse(iso);
    await t.db.$client.execute({
      sql: `INSERT INTO hourly_stats (site_id, hour, pageviews, visitors, visits) VALUES
              (?, ?, 1, 1, 1), (?, ?, 2, 1, 1), (?, ?, 4, 1, 1), (?, ?, 8, 1, 1)`,
      args: [
        siteId,
        hour("2026-03-28T22:00:00Z"), // Saturday 23:00 CET
        siteId,
        hour("2026-03-28T23:00:00Z"), // Sunday 00:00 CET
        siteId,
        hour("2026-03-29T21:00:00Z"), // Sunday 23:00 CEST
        siteId,
        hour("2026-03-29T22:00:00Z"), // Monday 00:00 CEST
      ],
    });
    const period = resolvePeriod("custom", 0, ZONE, { from: sunday, to: sunday });
    const k = await kpiComparison(t.db, { siteId, from: sunday, to: sunday }, period, ZONE);
    expect(k.series.length).toBe(23);
    expect(k.series[0]?.pageviews).toBe(2);
    expect(k.series[22]?.pageviews).toBe(4);
    expect(k.series.reduce((a, s) => a + s.pageviews, 0)).toBe(6);
    expect(k.previousSeries.length).toBe(24);
    expect(k.previousSeries[23]?.pageviews).toBe(1);
  });
});

describe("rates and changes", () => {
  it.each([
    [120, 100, 0.2],
    [50, 100, -0.5],
    [0, 100, -1],
    [7, 0, null],
    [0, 0, null],
  ])("%d after %d is %s", (now, before, change) => expect(relativeChange(now, before)).toBe(change));
  it("lead → MQL rate is 0 without leads", () => {
    expect(leadToMqlRate({ leads: 0, mqls: 0 })).toBe(0);
    expect(leadToMqlRate({ leads: 8, mqls: 2 })).toBe(0.25);
  });
});
