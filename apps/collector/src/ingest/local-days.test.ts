// Days are the site's days: the collector keys daily rollups by the site's local date (DST-safe),
// keeps UTC-hour totals, and a time zone change re-keys the lead milestone counters in the background.
import { latestRollupRebuilds, setSiteTimeZone } from "@leadtrail/db";
import { afterEach, describe, expect, it } from "vitest";
import { runRollupRebuild } from "../jobs/rollup-rebuild.ts";
import { batch, createTestCollector, pageview, type TestCollector } from "../testing/test-collector.ts";

let t: TestCollector;
afterEach(() => t.cleanup());

const at = (iso: string) => ({ "x-test-now": String(Date.parse(iso)) });
const rows = async (sql: string) => (await t.db.$client.execute(sql)).rows.map((r) => ({ ...r }));

describe("local days", () => {
  it("counts page views in the Berlin day they happened, across the spring DST change", async () => {
    t = await createTestCollector();
    await setSiteTimeZone(t.db, t.site.id, "Europe/Berlin", Date.now());
    const v = { visitor: "visitor_berlin" };
    await t.post(batch([pageview("/a")], v), at("2026-03-28T22:30:00Z")); // 23:30 CET, Saturday
    await t.post(batch([pageview("/b")], v), at("2026-03-28T23:30:00Z")); // 00:30 CET, Sunday (23 h day)
    await t.post(batch([pageview("/c")], v), at("2026-03-29T21:30:00Z")); // 23:30 CEST, Sunday
    await t.post(batch([pageview("/d")], v), at("2026-03-29T22:30:00Z")); // 00:30 CEST, Monday
    expect(await rows("SELECT day, pageviews, visitors FROM daily_stats WHERE dimension = '' ORDER BY day")).toEqual([
      { day: "2026-03-28", pageviews: 1, visitors: 1 },
      { day: "2026-03-29", pageviews: 2, visitors: 1 },
      { day: "2026-03-30", pageviews: 1, visitors: 1 },
    ]);
    expect(await rows("SELECT day, value FROM daily_stats WHERE dimension = 'path' ORDER BY value")).toEqual([
      { day: "2026-03-28", value: "/a" },
      { day: "2026-03-29", value: "/b" },
      { day: "2026-03-29", value: "/c" },
      { day: "2026-03-30", value: "/d" },
    ]);
    // Hourly totals are UTC hours, one visitor per hour.
    expect(await rows("SELECT hour, pageviews, visitors FROM hourly_stats WHERE dimension = '' ORDER BY hour")).toEqual(
      ["2026-03-28T22:00:00Z", "2026-03-28T23:00:00Z", "2026-03-29T21:00:00Z", "2026-03-29T22:00:00Z"].map((h) => ({
        hour: Date.parse(h),
        pageviews: 1,
        visitors: 1,
      })),
    );
  });

  it("a UTC site keeps UTC days", async () => {
    t = await createTestCollector();
    await t.post(batch([pageview("/b")]), at("2026-03-28T23:30:00Z"));
    expect(await rows("SELECT day FROM daily_stats WHERE dimension = ''")).toEqual([{ day: "2026-03-28" }]);
  });

  it("re-keys the lead counters by the new zone when the site's time zone changes", async () => {
    t = await createTestCollector();
    const identify = pageview("/signup", { type: "identify", email: "ana@bigcorp.test" });
    await t.post(batch([identify]), at("2026-03-28T23:30:00Z"));
    expect(await rows("SELECT day, leads FROM funnel_daily")).toEqual([{ day: "2026-03-28", leads: 1 }]);

    expect(await setSiteTimeZone(t.db, t.site.id, "Europe/Berlin", 1000)).toBe("queued");
    expect(await setSiteTimeZone(t.db, t.site.id, "Europe/Berlin", 1000)).toBe("unchanged");
    expect((await latestRollupRebuilds(t.db, [t.site.id]))[0]).toMatchObject({ status: "pending", done: 0 });
    expect(await runRollupRebuild(t.db, 2000)).toMatchObject({ siteId: t.site.id, status: "done" });
    expect((await latestRollupRebuilds(t.db, [t.site.id]))[0]).toMatchObject({
      status: "done",
      timeZone: "Europe/Berlin",
      finishedAt: 2000,
    });
    expect(await runRollupRebuild(t.db, 3000)).toBeUndefined();
    expect(await rows("SELECT day, leads FROM funnel_daily WHERE leads <> 0")).toEqual([
      { day: "2026-03-29", leads: 1 },
    ]);

    // The incremental path takes back with the same offsets it counted with: a later change of the
    // lead (here a second identify touching it again) leaves exactly one lead on the Berlin day.
    await t.post(
      batch([pageview("/pricing", { type: "identify", email: "ana@bigcorp.test" })]),
      at("2026-04-01T10:00:00Z"),
    );
    expect(await rows("SELECT day, leads FROM funnel_daily WHERE leads <> 0")).toEqual([
      { day: "2026-03-29", leads: 1 },
    ]);
  });
});
