// Periods and comparison in a real Chromium, for a site in Europe/Berlin: a preset's KPI cards
// (both the period and the previous one) equal the same questions asked of the raw tables over the
// site's local days, across the spring DST change too; charts pick their bucket from the range; a
// preset is chosen without an Apply button and lands in the URL.
import { createCollector, runRollupRebuild } from "@leadtrail/collector";
import { createDb, createSite, type Database, localDay, migrate, startOfLocalDay } from "@leadtrail/db";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, skipBrowserTests } from "../support/browser.ts";
import { type RunningProcess, startDashboard, tempDatabase } from "../support/processes.ts";
import { login, postAction } from "./fixture.ts";

const ZONE = "Europe/Berlin";
const SITE_KEY = "berlin-site";
const ORIGIN = "https://acme.test";
const ADMIN = { email: "admin@acme.test", password: "admin-password-1" };
const HOUR = 3_600_000;
const UA =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
/** 00:30 local on the last Sunday of March 2026 (CET, the clocks go forward at 02:00). */
const DST_SUNDAY_0030 = Date.parse("2026-03-28T23:30:00Z");

const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

let seq = 0;
interface Visit {
  visitor: string;
  at: number;
  events: Record<string, unknown>[];
}
const pv = (path: string) => ({
  id: `evt_period_${String(++seq).padStart(6, "0")}`,
  type: "pageview",
  url: `${ORIGIN}${path}`,
});
const demoRequest = (email: string) => ({
  id: `evt_period_${String(++seq).padStart(6, "0")}`,
  type: "form",
  name: "demo_request",
  url: `${ORIGIN}/demo`,
  email,
  traits: { seniority: "c-level" },
});
const newsletter = (email: string) => ({
  id: `evt_period_${String(++seq).padStart(6, "0")}`,
  type: "form",
  name: "newsletter",
  url: `${ORIGIN}/blog`,
  email,
});

/**
 * Traffic on the site's last 70 local days (a varying number of visitors a day, some leads, some
 * MQLs) plus the DST weekend of 2026: events at 23:30 CET on Saturday, 00:30 CET and 23:30 CEST on
 * Sunday, 00:30 CEST on Monday — each a UTC day away from its local day.
 */
function traffic(now: number): Visit[] {
  const visits: Visit[] = [];
  const today = localDay(ZONE, now);
  for (let d = 0; d < 70; d++) {
    const day = addDays(today, -d);
    const start = startOfLocalDay(ZONE, day);
    for (let i = 0; i < (d % 4) + 1; i++) {
      // 00:30 and 23:30 local: the two ends of the site's day, a UTC day apart in summer.
      const at = start + (i % 2 === 0 ? HOUR / 2 : 23 * HOUR + HOUR / 2) + i * 60_000;
      const events = [pv("/pricing"), ...(i === 1 ? [pv("/features")] : [])];
      if (d % 5 === 1 && i === 0) events.push(demoRequest(`cto${d}@bigcorp.test`));
      if (d % 3 === 2 && i === 0) events.push(newsletter(`reader${d}@smallco.test`));
      visits.push({ visitor: `visitor_${d}_${i}`, at, events });
    }
  }
  const dst: [string, number][] = [
    ["v_dst_sat", DST_SUNDAY_0030 - HOUR],
    ["v_dst_sun_early", DST_SUNDAY_0030],
    ["v_dst_sun_early2", DST_SUNDAY_0030 + 10 * 60_000],
    ["v_dst_sun_late", Date.parse("2026-03-29T21:30:00Z")],
    ["v_dst_mon", Date.parse("2026-03-29T22:30:00Z")],
  ];
  for (const [visitor, at] of dst) visits.push({ visitor, at, events: [pv("/dst")] });
  visits.push({ visitor: "v_dst_sun_early", at: DST_SUNDAY_0030 + 60_000, events: [demoRequest("dst@bigcorp.test")] });
  return visits.sort((a, b) => a.at - b.at);
}

async function seed(db: Database, now: number): Promise<number> {
  const site = await createSite(db, { publicKey: SITE_KEY, name: "Berlin", domains: ["acme.test"], timeZone: ZONE });
  const times = new WeakMap<Request, number>();
  const { app, writer } = createCollector({
    db,
    trackerScript: "",
    demoSiteKey: SITE_KEY,
    visitorHashSecret: "periods",
    clientIp: () => "203.0.113.9",
    now: (c) => times.get(c.req.raw) ?? Date.now(),
  });
  for (const visit of traffic(now)) {
    const body = {
      site: SITE_KEY,
      visitor: visit.visitor,
      sentAt: visit.at,
      events: visit.events.map((e, i) => ({ time: visit.at + i * 1000, ...e })),
    };
    const request = new Request(`${ORIGIN}/e`, {
      method: "POST",
      body: JSON.stringify(body),
      headers: { "content-type": "text/plain", origin: ORIGIN, "user-agent": UA },
    });
    times.set(request, visit.at);
    const response = await app.request(request);
    if (!response.ok) throw new Error(`event rejected: ${response.status} ${await response.text()}`);
  }
  await writer.drain();
  return site.id;
}

describe.skipIf(skipBrowserTests)("periods and comparison in Chromium (site in Europe/Berlin)", () => {
  let db: Database;
  let database: ReturnType<typeof tempDatabase>;
  let dashboard: RunningProcess;
  let browser: Browser;
  let context: BrowserContext;
  let siteId: number;
  const now = Date.now();

  beforeAll(async () => {
    database = tempDatabase();
    db = await createDb({ url: database.url });
    await migrate(db.$client);
    siteId = await seed(db, now);
    dashboard = await startDashboard(database.url, { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${dashboard.url}/login`);
    await page.getByLabel(/e-mail/i).fill(ADMIN.email);
    await page.getByLabel(/password/i).fill(ADMIN.password);
    await Promise.all([
      page.waitForURL((u) => !u.pathname.startsWith("/login"), { timeout: 60_000 }),
      page.getByRole("button", { name: /log in/i }).click(),
    ]);
    await page.close();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await dashboard?.stop();
    database?.remove();
  });

  /** The raw-table answers for the local days [from, to]: what the KPI cards must show. */
  async function raw(from: string, to: string) {
    const start = startOfLocalDay(ZONE, from);
    const end = startOfLocalDay(ZONE, addDays(to, 1));
    let visitors = 0;
    // Visitors are unique per day (summed over days), as the rollups count them.
    for (let day = from; day <= to; day = addDays(day, 1)) {
      const r = await db.$client.execute({
        sql: `SELECT count(DISTINCT visitor_id) AS n FROM events
               WHERE site_id = ? AND received_at >= ? AND received_at < ? AND type <> 'identify'`,
        args: [siteId, startOfLocalDay(ZONE, day), startOfLocalDay(ZONE, addDays(day, 1))],
      });
      visitors += Number(r.rows[0]?.n);
    }
    const one = async (sql: string) =>
      Number((await db.$client.execute({ sql, args: [siteId, start, end] })).rows[0]?.n ?? 0);
    return {
      visitors,
      pageviews: await one(
        "SELECT count(*) AS n FROM events WHERE site_id = ? AND type = 'pageview' AND received_at >= ? AND received_at < ?",
      ),
      leads: await one("SELECT count(*) AS n FROM leads WHERE site_id = ? AND created_at >= ? AND created_at < ?"),
      mqls: await one(
        "SELECT count(*) AS n FROM stage_changes WHERE site_id = ? AND to_stage = 'mql' AND at >= ? AND at < ?",
      ),
    };
  }

  async function cards(page: Page) {
    const read = async (kpi: string) => {
      const card = page.locator(`[data-kpi="${kpi}"]`);
      return {
        value: Number(await card.getAttribute("data-value")),
        previous: Number(await card.getAttribute("data-previous")),
        shown: (await card.getByTestId("kpi-value").textContent())?.trim() ?? "",
        change: (await card.getByTestId("kpi-change").textContent())?.trim() ?? "",
      };
    };
    const out: Record<string, Awaited<ReturnType<typeof read>>> = {};
    for (const k of ["visitors", "pageviews", "leads", "mqls", "leadToMql", "pipelineValue"]) out[k] = await read(k);
    return out;
  }

  const percent = (now: number, before: number) => {
    if (before === 0) return "—";
    const r = (now - before) / before;
    return `${r > 0 ? "+" : ""}${new Intl.NumberFormat("en", { style: "percent", maximumFractionDigits: 1 }).format(r)}`;
  };

  async function expectCardsMatch(page: Page, current: [string, string], previous: [string, string]) {
    const shown = await cards(page);
    const a = await raw(...current);
    const b = await raw(...previous);
    expect(a.pageviews).toBeGreaterThan(0);
    for (const k of ["visitors", "pageviews", "leads", "mqls"] as const) {
      expect({ k, value: shown[k]?.value, previous: shown[k]?.previous }).toEqual({ k, value: a[k], previous: b[k] });
      expect(shown[k]?.shown.replace(/[^\d]/g, "")).toBe(String(a[k]));
      expect(shown[k]?.change).toBe(percent(a[k], b[k]));
    }
    const rate = (x: { leads: number; mqls: number }) => (x.leads > 0 ? x.mqls / x.leads : 0);
    expect(shown.leadToMql?.value).toBeCloseTo(rate(a), 9);
    expect(shown.leadToMql?.previous).toBeCloseTo(rate(b), 9);
    // No deal was won in either period: nothing to compare with, the change is "—".
    expect(shown.pipelineValue?.change).toBe("—");
  }

  it("'Last 7 days' on the overview shows the site's last 7 local days against the 7 before, as the raw tables", async () => {
    const page = await context.newPage();
    await page.goto(`${dashboard.url}/?period=7d`);
    const today = localDay(ZONE, Date.now());
    expect(await page.getByTestId("period-range").textContent()).toContain(`${addDays(today, -6)} – ${today}`);
    await expectCardsMatch(page, [addDays(today, -6), today], [addDays(today, -13), addDays(today, -7)]);
    // Sparklines are drawn, one per card, over the period's seven days.
    const sparks = await page
      .locator("canvas[data-sparkline]")
      .evaluateAll((cs) => cs.map((c) => Number((c as HTMLCanvasElement).dataset.points)));
    expect(sparks).toEqual([7, 7, 7, 7, 7, 7, 7]);
    await page.close();
  });

  it("'This month' on the behaviour page compares with last month's same days, as the raw tables", async () => {
    const page = await context.newPage();
    await page.goto(`${dashboard.url}/behaviour?period=month`);
    const today = localDay(ZONE, Date.now());
    const first = `${today.slice(0, 8)}01`;
    const prevFirst = `${addDays(first, -1).slice(0, 8)}01`;
    const prevLast = addDays(first, -1);
    const sameDay = `${prevFirst.slice(0, 8)}${today.slice(8)}`;
    await expectCardsMatch(page, [first, today], [prevFirst, sameDay < prevLast ? sameDay : prevLast]);
    await page.close();
  });

  it("counts a DST Sunday (23 hours) by Berlin's clock: 00:30 CET belongs to Sunday", async () => {
    const page = await context.newPage();
    await page.goto(`${dashboard.url}/content?period=custom&from=2026-03-29&to=2026-03-29`);
    await expectCardsMatch(page, ["2026-03-29", "2026-03-29"], ["2026-03-28", "2026-03-28"]);
    const shown = await cards(page);
    // Sunday: the two 00:30 CET visitors and the 23:30 CEST one; Saturday: the 23:30 CET one.
    expect([shown.pageviews?.value, shown.pageviews?.previous]).toEqual([3, 1]);
    expect(shown.leads?.value).toBe(1);
    // Its sparkline has one point per hour of the 23-hour day.
    expect(await page.locator("canvas[data-sparkline]").first().getAttribute("data-points")).toBe("23");
    await page.close();
  });

  it("charts pick hour, day, week or month from the range and run over the range only", async () => {
    const page = await context.newPage();
    const today = localDay(ZONE, Date.now());
    const granularity = async (query: string) => {
      await page.goto(`${dashboard.url}/behaviour?${query}`);
      const c = page.locator("canvas[data-granularity]").first();
      return [
        await c.getAttribute("data-granularity"),
        Number(await c.getAttribute("data-buckets")),
        await c.getAttribute("data-first"),
        await c.getAttribute("data-last"),
      ];
    };
    expect(await granularity("period=custom&from=2026-03-29&to=2026-03-29")).toEqual(["hour", 23, "00:00", "23:00"]);
    expect(await granularity("period=custom&from=2026-10-25&to=2026-10-25")).toEqual(["hour", 25, "00:00", "23:00"]);
    const hours = (startOfLocalDay(ZONE, addDays(today, 1)) - startOfLocalDay(ZONE, today)) / HOUR;
    expect(await granularity("period=today")).toEqual(["hour", hours, "00:00", "23:00"]);
    expect(await granularity("period=30d")).toEqual(["day", 30, addDays(today, -29), today]);
    expect(await granularity("period=custom&from=2026-01-05&to=2026-03-29")).toEqual([
      "week",
      12,
      "2026-01-05",
      "2026-03-23",
    ]);
    const [g, n, first, last] = await granularity("period=12m");
    const elevenBack = new Date(Date.UTC(Number(today.slice(0, 4)), Number(today.slice(5, 7)) - 12, 1));
    expect([g, n, first, last]).toEqual(["month", 12, elevenBack.toISOString().slice(0, 7), today.slice(0, 7)]);
    await page.close();
  });

  it("a preset is chosen from the list and kept in the URL, without an Apply button", async () => {
    const page = await context.newPage();
    await page.goto(`${dashboard.url}/funnel`);
    expect(await page.getByRole("button", { name: /apply/i }).count()).toBe(0);
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get("period") === "quarter", { timeout: 30_000 }),
      page.getByTestId("period").selectOption("quarter"),
    ]);
    expect(await page.getByTestId("period").inputValue()).toBe("quarter");
    // "Custom" reveals the day inputs; a picked day loads the range.
    await page.getByTestId("period").selectOption("custom");
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get("from") === "2026-02-01", { timeout: 30_000 }),
      page.getByLabel("From").fill("2026-02-01"),
    ]);
    expect(new URL(page.url()).searchParams.get("period")).toBe("custom");
    await page.close();
  });

  it("Settings → Sites: the time zone is validated, and a change re-counts the site's days in the background", async () => {
    const cookie = await login(dashboard.url, ADMIN.email, ADMIN.password);
    const site = { id: String(siteId), name: "Berlin", domains: "acme.test" };
    expect(
      await postAction(dashboard.url, "/settings?/updateSite", cookie, { ...site, timeZone: "Mars/Olympus" }),
    ).toBe(400);
    const zone = async () =>
      String(
        (await db.$client.execute({ sql: "SELECT time_zone FROM sites WHERE id = ?", args: [siteId] })).rows[0]
          ?.time_zone,
      );
    expect(await zone()).toBe(ZONE);
    const leadDay = async () =>
      String(
        (
          await db.$client.execute({
            sql: "SELECT day FROM funnel_daily WHERE site_id = ? AND leads > 0 AND day BETWEEN '2026-03-28' AND '2026-03-29'",
            args: [siteId],
          })
        ).rows[0]?.day,
      );
    // The DST lead came at 00:30 CET on Sunday: Saturday evening in New York.
    expect(await leadDay()).toBe("2026-03-29");
    expect(
      await postAction(dashboard.url, "/settings?/updateSite", cookie, { ...site, timeZone: "America/New_York" }),
    ).toBe(200);
    expect(await zone()).toBe("America/New_York");

    const page = await context.newPage();
    await page.goto(`${dashboard.url}/settings`);
    expect(await page.getByLabel("Time zone").first().inputValue()).toBe("America/New_York");
    expect(await page.getByTestId("rollup-rebuild").getAttribute("data-status")).toBe("pending");
    // The collector's rebuild job (one pass); the open page polls and shows it done.
    await runRollupRebuild(db, Date.now());
    await page.getByTestId("rollup-rebuild").and(page.locator('[data-status="done"]')).waitFor({ timeout: 30_000 });
    expect(await page.getByTestId("rollup-rebuild").textContent()).toContain("America/New_York");
    expect(await leadDay()).toBe("2026-03-28");
    await page.close();
  });
});
