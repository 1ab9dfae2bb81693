// A one-day period ("Today") charts hours from `hourly_stats`. With a campaign or channel filter
// the hours must be that slice's, as the same question asked of the raw events: the hourly rollup
// keeps the slices the daily one has for the dashboard's filters.
import { type DashboardFilter, kpiComparison, resolvePeriod, setSiteTimeZone, startOfLocalDay } from "@leadtrail/db";
import { afterEach, describe, expect, it } from "vitest";
import { batch, createTestCollector, pageview, type TestCollector } from "../testing/test-collector.ts";

const ZONE = "Europe/Berlin";
const DAY = "2026-03-29"; // 23 hours in Berlin (the clocks go forward)
const HOUR = 3_600_000;
const spring = { utm_source: "newsletter", utm_medium: "email", utm_campaign: "spring" };
const autumn = { utm_source: "ads", utm_medium: "cpc", utm_campaign: "autumn" };

let t: TestCollector;
afterEach(() => t.cleanup());

/** Per hour of the day: page views, distinct visitors and new leads of the raw rows in the slice. */
async function rawHours(where: string, args: (string | number)[]) {
  const start = startOfLocalDay(ZONE, DAY);
  const end = startOfLocalDay(ZONE, "2026-03-30");
  const q = async (sql: string) =>
    (await t.db.$client.execute({ sql, args: [t.site.id, start, end, ...args] })).rows.map((r) => ({
      hour: Number(r.hour),
      n: Number(r.n),
    }));
  const ev = `FROM events e JOIN visitors v ON v.site_id = e.site_id AND v.id = e.visitor_id
               WHERE e.site_id = ? AND e.received_at >= ? AND e.received_at < ? AND ${where}`;
  return {
    pageviews: await q(
      `SELECT e.received_at / ${HOUR} * ${HOUR} AS hour, count(*) AS n ${ev} AND e.type = 'pageview' GROUP BY 1`,
    ),
    visitors: await q(
      `SELECT e.received_at / ${HOUR} * ${HOUR} AS hour, count(DISTINCT e.visitor_id) AS n ${ev} GROUP BY 1`,
    ),
    leads: await q(
      `SELECT l.created_at / ${HOUR} * ${HOUR} AS hour, count(*) AS n
         FROM leads l JOIN visitors v ON v.lead_id = l.id
        WHERE l.site_id = ? AND l.created_at >= ? AND l.created_at < ? AND ${where} GROUP BY 1`,
    ),
  };
}

describe("hourly slices", () => {
  it("a filtered one-day period has the filtered hours, equal to the raw events", async () => {
    t = await createTestCollector();
    await setSiteTimeZone(t.db, t.site.id, ZONE, Date.now());
    const start = startOfLocalDay(ZONE, DAY);
    // Visitors from two campaigns (and so two channels) over the day, some more than once an hour.
    // (In order of time: one every 38 minutes, so most hours have two.)
    for (let i = 0; i < 36; i++) {
      const visitor = i % 20; // sixteen visitors come twice (a visitor keeps one source here)
      const campaign = visitor % 3 === 0 ? autumn : spring;
      const at = start + i * 38 * 60_000;
      const events = [pageview("/landing", { campaign }), pageview("/pricing", { campaign })];
      if (i % 4 === 1 && i < 20)
        events.push(pageview("/signup", { type: "identify", email: `p${i}@bigcorp.test`, campaign }));
      const r = await t.post(batch(events, { visitor: `visitor_${visitor}` }), { "x-test-now": String(at) });
      expect(r.ok).toBe(true);
    }
    await t.writer.drain();

    const period = resolvePeriod("custom", 0, ZONE, { from: DAY, to: DAY });
    const cases: [Partial<DashboardFilter>, string, (string | number)[]][] = [
      [{ campaign: "spring" }, "v.utm_campaign = ?", ["spring"]],
      [{ campaign: "autumn" }, "v.utm_campaign = ?", ["autumn"]],
      [{ channel: "email" }, "v.channel = ?", ["email"]],
      [{}, "1", []],
    ];
    for (const [slice, where, args] of cases) {
      const k = await kpiComparison(t.db, { siteId: t.site.id, from: DAY, to: DAY, ...slice }, period, ZONE);
      expect(k.series.length).toBe(23);
      const raw = await rawHours(where, args);
      const shown = (field: "pageviews" | "visitors" | "leads") =>
        k.buckets.map((b, i) => ({ hour: Number(b.key), n: k.series[i]?.[field] ?? 0 })).filter((h) => h.n !== 0);
      const sorted = (rows: { hour: number; n: number }[]) => rows.sort((a, b) => a.hour - b.hour);
      expect({ slice, pageviews: shown("pageviews") }).toEqual({ slice, pageviews: sorted(raw.pageviews) });
      expect({ slice, visitors: shown("visitors") }).toEqual({ slice, visitors: sorted(raw.visitors) });
      expect({ slice, leads: shown("leads") }).toEqual({ slice, leads: sorted(raw.leads) });
      expect(raw.pageviews.length).toBeGreaterThan(0);
      // The hours add up to the day's figure the cards show.
      expect(k.series.reduce((a, s) => a + s.pageviews, 0)).toBe(k.current.pageviews);
    }
  }, 60_000);
});
