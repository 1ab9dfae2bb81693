// A time zone change re-counts the site's traffic in the new zone: after the rebuild job, the daily
// rollups are what the collector would have counted had the site been in that zone all along, and
// every local day's figures equal the raw tables' — across the spring DST change too.
import { latestRollupRebuilds, setSiteTimeZone, startOfLocalDay, takeRollupRebuild } from "@leadtrail/db";
import { importLeads } from "@leadtrail/workflows";
import { afterEach, describe, expect, it } from "vitest";
import { createCollector } from "../collector.ts";
import {
  BROWSER_UA,
  batch,
  createTestCollector,
  pageview,
  TEST_ORIGIN,
  TEST_SITE_KEY,
  type TestCollector,
} from "../testing/test-collector.ts";
import { runRollupRebuild } from "./rollup-rebuild.ts";

const ZONE = "Europe/Berlin";
const HOUR = 3_600_000;
const spring = { utm_source: "newsletter", utm_medium: "email", utm_campaign: "spring" };
const autumn = { utm_source: "ads", utm_medium: "cpc", utm_campaign: "autumn" };

const collectors: TestCollector[] = [];
afterEach(async () => {
  for (const c of collectors.splice(0)) await c.cleanup();
});

/**
 * Five days around the DST Sunday (2026-03-29): visitors at both ends of the local day (a UTC day
 * apart from it), visits of one and of two pages, leads and MQLs, two campaigns and direct traffic.
 */
async function sendTraffic(t: TestCollector): Promise<void> {
  const start = Date.parse("2026-03-26T21:00:00Z");
  for (let i = 0; i < 60; i++) {
    const visitor = i % 23;
    const campaign = visitor % 3 === 0 ? autumn : visitor % 3 === 1 ? spring : undefined;
    const extra = campaign ? { campaign } : {};
    const at = start + i * 2 * HOUR + (i % 4) * 15 * 60_000;
    const events = [pageview(i % 2 ? "/pricing" : "/blog", extra)];
    if (i % 3 === 0) events.push(pageview("/features", extra));
    if (i % 7 === 2 && i < 23)
      events.push(
        pageview("/id", { ...extra, type: "identify", email: `p${i}@bigcorp.test`, traits: { seniority: "c-level" } }),
      );
    if (i % 7 === 2 && i < 23) events.push(pageview("/contact", { ...extra, type: "form", name: "contact" }));
    const r = await t.post(batch(events, { visitor: `visitor_${visitor}` }), { "x-test-now": String(at) });
    expect(r.ok).toBe(true);
  }
  await t.writer.drain();
}

const dailyRows = async (t: TestCollector) =>
  (
    await t.db.$client.execute(
      `SELECT day, dimension, value, pageviews, visitors, visits, bounces, events, engaged_ms, round(scroll_sum, 6) AS scroll,
              scroll_count, round(points, 6) AS points, leads, mqls
         FROM daily_stats
        WHERE pageviews <> 0 OR visitors <> 0 OR visits <> 0 OR bounces <> 0 OR events <> 0 OR engaged_ms <> 0
           OR scroll_count <> 0 OR round(points, 6) <> 0 OR leads <> 0 OR mqls <> 0
        ORDER BY dimension, day, value`,
    )
  ).rows.map((r) => ({ ...r }));

/** Per local day of the zone: the raw tables' page views, visitors, leads and MQLs. */
async function rawDays(t: TestCollector, days: string[]) {
  const out = [];
  for (const day of days) {
    const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const args = [t.site.id, startOfLocalDay(ZONE, day), startOfLocalDay(ZONE, next)];
    const one = async (sql: string) => Number((await t.db.$client.execute({ sql, args })).rows[0]?.n ?? 0);
    out.push({
      day,
      pageviews: await one(
        "SELECT count(*) AS n FROM events WHERE site_id = ? AND type = 'pageview' AND received_at >= ? AND received_at < ?",
      ),
      visitors: await one(
        "SELECT count(DISTINCT visitor_id) AS n FROM events WHERE site_id = ? AND received_at >= ? AND received_at < ?",
      ),
      leads: await one("SELECT count(*) AS n FROM leads WHERE site_id = ? AND created_at >= ? AND created_at < ?"),
      mqls: await one(
        "SELECT count(*) AS n FROM stage_changes WHERE site_id = ? AND to_stage = 'mql' AND at >= ? AND at < ?",
      ),
    });
  }
  return out;
}

describe("rollup rebuild after a time zone change", () => {
  it("re-counts the traffic already counted into the new zone's days, as if the site had always been in it", async () => {
    // The same traffic into a UTC site that then moves to Berlin, and into a Berlin site.
    const moved = await createTestCollector();
    const berlin = await createTestCollector();
    collectors.push(moved, berlin);
    await setSiteTimeZone(berlin.db, berlin.site.id, ZONE, 0);
    await runRollupRebuild(berlin.db, 0);
    await sendTraffic(moved);
    await sendTraffic(berlin);
    const utcRows = await dailyRows(moved);

    expect(await setSiteTimeZone(moved.db, moved.site.id, ZONE, 1000)).toBe("queued");
    // Small chunks: the re-count runs in many short transactions.
    expect(await runRollupRebuild(moved.db, 2000, { chunk: 4 })).toMatchObject({ status: "done" });
    expect((await latestRollupRebuilds(moved.db, [moved.site.id]))[0]).toMatchObject({
      status: "done",
      timeZone: ZONE,
      finishedAt: 2000,
    });
    expect(await moved.db.$client.execute("SELECT count(*) AS n FROM rollup_rebuild_rows")).toMatchObject({
      rows: [{ n: 0 }],
    });

    const rebuilt = await dailyRows(moved);
    expect(rebuilt).not.toEqual(utcRows);
    expect(rebuilt).toEqual(await dailyRows(berlin));

    const days = ["2026-03-27", "2026-03-28", "2026-03-29", "2026-03-30", "2026-03-31", "2026-04-01"];
    const totals = (
      await moved.db.$client.execute(
        `SELECT day, pageviews, visitors, leads, mqls FROM daily_stats
          WHERE site_id = ? AND dimension = '' AND day BETWEEN '2026-03-27' AND '2026-04-01' ORDER BY day`,
        [moved.site.id],
      )
    ).rows.map((r) => ({ ...r }));
    const raw = await rawDays(moved, days);
    expect(raw.reduce((a, d) => a + d.mqls, 0)).toBeGreaterThan(0);
    expect(totals).toEqual(raw.filter((d) => d.pageviews + d.visitors + d.leads + d.mqls > 0));
  }, 60_000);

  it("keeps what the collector counts while the rebuild runs (imported contacts not among them), and a newer change supersedes an open one", async () => {
    const t = await createTestCollector();
    const berlin = await createTestCollector();
    collectors.push(t, berlin);
    await setSiteTimeZone(berlin.db, berlin.site.id, ZONE, 0);
    await runRollupRebuild(berlin.db, 0);
    await sendTraffic(t);
    await sendTraffic(berlin);
    // Imported contacts (one made MQL by the file) are not website conversions: no new lead in the rollups.
    for (const c of [t, berlin]) {
      const csv = "Email,Name,Stage\nimported@bigcorp.test,Imp,mql\nother@bigcorp.test,Other,\n";
      const imported = await importLeads(c.db, {
        siteId: c.site.id,
        csv,
        actor: "user:1",
        now: Date.parse("2026-03-29T10:00:00Z"),
      });
      expect(imported).toMatchObject({ ok: true, created: 2 });
    }
    await setSiteTimeZone(t.db, t.site.id, "America/New_York", 1000);
    await setSiteTimeZone(t.db, t.site.id, ZONE, 1000);
    // The job starts (the older New York rebuild is superseded) and re-counts a first chunk …
    const run = await takeRollupRebuild(t.db, 1500);
    expect(run).toMatchObject({ timeZone: ZONE });
    const rebuilds = await t.db.$client.execute("SELECT time_zone, status FROM rollup_rebuilds ORDER BY id");
    expect(rebuilds.rows.map((r) => ({ ...r }))).toEqual([
      { time_zone: "America/New_York", status: "done" },
      { time_zone: ZONE, status: "running" },
    ]);
    // … while a collector (reading the new zone) commits more traffic: a new visitor and a known one.
    const live = createCollector({
      db: t.db,
      trackerScript: "",
      demoSiteKey: TEST_SITE_KEY,
      visitorHashSecret: "test-secret",
      clientIp: () => "203.0.113.7",
      now: (c) => Number(c.req.header("x-test-now")),
    });
    for (const [app, drain] of [
      [live.app, () => live.writer.drain()],
      [berlin.app, () => berlin.writer.drain()],
    ] as const) {
      for (const visitor of ["visitor_late", "visitor_3"]) {
        const r = await app.request("/e", {
          method: "POST",
          body: JSON.stringify(batch([pageview("/later")], { visitor })),
          headers: {
            "content-type": "text/plain",
            origin: TEST_ORIGIN,
            "user-agent": BROWSER_UA,
            "x-test-now": String(Date.parse("2026-04-01T22:30:00Z")),
          },
        });
        expect(r.ok).toBe(true);
      }
      await drain();
    }
    expect(await runRollupRebuild(t.db, 2000, { chunk: 5 })).toMatchObject({ status: "done" });
    expect(await runRollupRebuild(t.db, 3000)).toBeUndefined();
    expect(await dailyRows(t)).toEqual(await dailyRows(berlin));
  }, 60_000);
});
