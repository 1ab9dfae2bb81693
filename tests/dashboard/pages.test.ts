// Every dashboard page in a real Chromium with fixture traffic: log in as each role, numbers on the
// page against direct SQL on the raw tables, charts drawn, no console errors, visitor text inert,
// German, phone width and keyboard.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, skipBrowserTests } from "../support/browser.ts";
import { ADMIN, type Fixture, RANGE, startFixture, USERS, XSS_TITLE } from "./fixture.ts";

const QUERY = `?from=${RANGE.from}&to=${RANGE.to}`;
const ANALYTICS_PAGES = [
  "/",
  "/behaviour",
  "/content",
  "/funnel",
  "/campaigns",
  "/campaigns/1",
  "/personas",
  "/nurture",
  "/scoring",
  "/visitors",
  "/leads",
  "/settings",
];

describe.skipIf(skipBrowserTests)("dashboard pages in Chromium", () => {
  let f: Fixture;
  let browser: Browser;
  const contexts: Record<string, BrowserContext> = {};
  const consoleErrors: string[] = [];

  async function loginAs(role: string, email: string, password: string): Promise<BrowserContext> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await watched(context);
    await page.goto(`${f.url}/login`);
    await page.getByLabel(/e-mail/i).fill(email);
    await page.getByLabel(/password/i).fill(password);
    await Promise.all([
      page.waitForURL((u) => !u.pathname.startsWith("/login"), { timeout: 60_000 }),
      page.getByRole("button", { name: /log in/i }).click(),
    ]);
    await page.close();
    contexts[role] = context;
    return context;
  }

  async function watched(context: BrowserContext): Promise<Page> {
    const page = await context.newPage();
    page.on("console", (m) => {
      if (m.type() === "error") consoleErrors.push(`${page.url()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => consoleErrors.push(`${page.url()}: ${e.message}`));
    return page;
  }

  async function sql(query: string, args: (string | number)[] = []): Promise<Record<string, unknown>> {
    return (await f.db.$client.execute({ sql: query, args })).rows[0] ?? {};
  }

  const start = Date.parse(`${RANGE.from}T00:00:00Z`);
  const end = Date.parse(`${RANGE.to}T00:00:00Z`) + 86_400_000;

  beforeAll(async () => {
    f = await startFixture();
    browser = await launchBrowser();
    await loginAs("admin", ADMIN.email, ADMIN.password);
    await loginAs("marketer", USERS.marketer.email, USERS.marketer.password);
    await loginAs("sales", USERS.sales.email, USERS.sales.password);
  });
  afterAll(async () => {
    await browser?.close();
    await f?.stop();
  });

  it("opens every page as admin with charts drawn and no console errors", async () => {
    const page = await watched(contexts.admin as BrowserContext);
    for (const path of ANALYTICS_PAGES) {
      const response = await page.goto(`${f.url}${path}${QUERY}`);
      expect(response?.status(), path).toBe(200);
      await expect(page.locator("h1").first().textContent()).resolves.toBeTruthy();
    }
    for (const path of ["/", "/behaviour", "/content", "/funnel"]) {
      await page.goto(`${f.url}${path}${QUERY}`);
      // Sparklines in the KPI cards are decorative (the card states the figure): checked in periods.test.ts.
      const charts = await page.locator("canvas:not([data-sparkline])").evaluateAll((canvases) =>
        canvases.map((c) => {
          const canvas = c as HTMLCanvasElement;
          const ctx = canvas.getContext("2d");
          const pixels = ctx?.getImageData(0, 0, canvas.width, canvas.height).data ?? new Uint8ClampedArray();
          let painted = 0;
          for (let i = 3; i < pixels.length; i += 4) if ((pixels[i] ?? 0) > 0) painted++;
          return {
            points: Number(canvas.dataset.points),
            painted,
            label: canvas.parentElement?.getAttribute("aria-label") ?? "",
          };
        }),
      );
      expect(charts.length, path).toBeGreaterThan(0);
      for (const chart of charts) {
        expect(chart.label, path).not.toBe("");
        expect(chart.painted, `${path}: ${chart.label}`).toBeGreaterThan(100);
      }
      expect(
        charts.some((c) => c.points > 0),
        path,
      ).toBe(true);
    }
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  it("shows behaviour totals equal to the raw events", async () => {
    const page = await watched(contexts.marketer as BrowserContext);
    await page.goto(`${f.url}/behaviour${QUERY}`);
    const shown = async (kpi: string) =>
      Number(
        (await page.locator(`[data-kpi="${kpi}"] [data-testid="kpi-value"]`).textContent())?.replace(/[^\d]/g, ""),
      );
    const raw = await sql(
      `SELECT sum(pv) AS pageviews, sum(v) AS visitors FROM (
         SELECT sum(type = 'pageview') AS pv, count(DISTINCT visitor_id) AS v FROM events
          WHERE site_id = ? AND received_at >= ? AND received_at < ? AND type <> 'identify'
          GROUP BY received_at / 86400000)`,
      [f.siteId, start, end],
    );
    expect(await shown("pageviews")).toBe(Number(raw.pageviews));
    expect(await shown("pageviews")).toBeGreaterThan(0);
    expect(await shown("visitors")).toBe(Number(raw.visitors));
    const google = await page.locator('[data-testid="breakdown-referrer"] tr', { hasText: "google.com" }).textContent();
    const rawGoogle = await sql(
      "SELECT count(*) AS n FROM events WHERE site_id = ? AND type = 'pageview' AND referrer LIKE 'https://www.google.com/%'",
      [f.siteId],
    );
    expect(google).toContain(String(rawGoogle.n));
    await page.close();
  });

  it("shows content and funnel numbers equal to direct queries", async () => {
    const page = await watched(contexts.marketer as BrowserContext);
    await page.goto(`${f.url}/content${QUERY}`);
    const pricing = await page.locator('[data-path="/pricing"] [data-col="pageviews"]').textContent();
    const rawPricing = await sql(
      "SELECT count(*) AS n FROM events WHERE site_id = ? AND type = 'pageview' AND path = '/pricing' AND received_at >= ? AND received_at < ?",
      [f.siteId, start, end],
    );
    expect(Number(pricing)).toBe(Number(rawPricing.n));
    // The pipeline columns stream in: leads whose visitors touched /pricing in the period.
    const leadsCell = await page.locator('[data-path="/pricing"] [data-col="leads"]').textContent();
    const rawLeads = await sql(
      `SELECT count(DISTINCT v.lead_id) AS n FROM events e JOIN visitors v ON v.site_id = e.site_id AND v.id = e.visitor_id
        WHERE e.site_id = ? AND e.path = '/pricing' AND e.received_at >= ? AND e.received_at < ? AND v.lead_id IS NOT NULL`,
      [f.siteId, start, end],
    );
    expect(Number(leadsCell)).toBe(Number(rawLeads.n));
    expect(Number(rawLeads.n)).toBeGreaterThan(0);

    await page.goto(`${f.url}/funnel${QUERY}`);
    const cell = (stage: string) => page.locator(`[data-stage="${stage}"] [data-col="count"]`).textContent();
    const leads = await sql(
      "SELECT count(*) AS n FROM leads WHERE site_id = ? AND created_at >= ? AND created_at < ?",
      [f.siteId, start, end],
    );
    const mqls = await sql(
      `SELECT count(DISTINCT l.id) AS n FROM leads l JOIN stage_changes s ON s.lead_id = l.id AND s.to_stage = 'mql'
        WHERE l.site_id = ? AND l.created_at >= ? AND l.created_at < ?`,
      [f.siteId, start, end],
    );
    expect(Number(await cell("lead"))).toBe(Number(leads.n));
    expect(Number(await cell("mql"))).toBe(Number(mqls.n));
    expect(Number(mqls.n)).toBeGreaterThan(0);
    await page.close();
  });

  it("lands a sales rep on their leads, without analytics in the menu", async () => {
    const page = await watched(contexts.sales as BrowserContext);
    await page.goto(f.url);
    expect(new URL(page.url()).pathname).toBe("/my-leads");
    await expect(page.locator('[data-testid="my-leads"]').textContent()).resolves.toContain("cto@bigcorp.test");
    await page.goto(`${f.url}/leads`);
    const nav = await page.getByRole("navigation", { name: "Main" }).textContent();
    expect(nav).toContain("Leads");
    expect(nav).not.toContain("Behaviour");
    expect(nav).not.toContain("Settings");
    await expect(page.locator('[data-testid="leads-table"]').textContent()).resolves.toContain("cto@bigcorp.test");
    await page.close();
    // A forbidden page logs its 403 in the console by design: open it unwatched.
    const unwatched = await (contexts.sales as BrowserContext).newPage();
    expect((await unwatched.goto(`${f.url}/behaviour`))?.status()).toBe(403);
    // The error page says why, in the rep's language, inside the dashboard's frame with a way home.
    await expect(unwatched.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("No access");
    const refusal = await unwatched.locator('[data-testid="error-page"]').textContent();
    expect(refusal).toContain("Your role does not have access to this page.");
    expect(refusal).toContain("Error 403");
    expect(await unwatched.getByRole("navigation", { name: "Main" }).textContent()).toContain("Leads");
    expect((await unwatched.goto(`${f.url}/leads/999999`))?.status()).toBe(404);
    await expect(unwatched.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Not found");
    await unwatched.getByRole("link", { name: "Back to the dashboard" }).click();
    await unwatched.waitForURL((url) => url.pathname === "/my-leads");
    await unwatched.close();
  });

  it("shows a visitor's javascript: referrer and <script> title as inert text", async () => {
    const page = await watched(contexts.admin as BrowserContext);
    await page.goto(`${f.url}/visitors`);
    const card = page.locator('[data-visitor-id="v_hostile_1"]');
    await expect(card.textContent()).resolves.toContain(XSS_TITLE);
    expect(await card.locator('[data-testid="inert-referrer"]').textContent()).toBe("javascript:window.__xss=3");
    expect(await page.locator('a[href^="javascript:"]').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    await page.close();
  });

  it("switches a user to German and keeps it for their next visit", async () => {
    const context = await browser.newContext();
    const page = await watched(context);
    await page.goto(`${f.url}/login`);
    await page.getByLabel(/e-mail/i).fill(USERS.marketer.email);
    await page.getByLabel(/password/i).fill(USERS.marketer.password);
    await Promise.all([
      page.waitForURL((u) => !u.pathname.startsWith("/login"), { timeout: 60_000 }),
      page.getByRole("button", { name: /log in/i }).click(),
    ]);
    await page.getByTestId("language").selectOption("de");
    await page.getByRole("heading", { level: 1, name: /Übersicht/ }).waitFor();
    await page.goto(`${f.url}/funnel${QUERY}`);
    await expect(page.locator("h1").textContent()).resolves.toBe("Funnel");
    await expect(page.getByRole("navigation", { name: "Hauptnavigation" }).textContent()).resolves.toContain(
      "Verhalten",
    );
    await expect(page.locator("html").getAttribute("lang")).resolves.toBe("de");
    await page.getByTestId("language").selectOption("en");
    await page.getByRole("heading", { level: 1, name: /Funnel/ }).waitFor();
    await context.close();
  });

  it("fits a phone screen and can be used with the keyboard", async () => {
    const context = contexts.marketer as BrowserContext;
    const page = await watched(context);
    await page.setViewportSize({ width: 390, height: 844 });
    for (const path of ["/", "/behaviour", "/content", "/funnel"]) {
      await page.goto(`${f.url}${path}${QUERY}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, path).toBeLessThanOrEqual(0);
    }
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to content");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    // On a phone the menu is folded: the menu button opens it from the keyboard, and the links follow.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("menu-toggle");
    await page.keyboard.press("Enter");
    expect(await page.locator("#menu-toggle").getAttribute("aria-expanded")).toBe("true");
    let inNav = false;
    for (let i = 0; i < 10 && !inNav; i++) {
      await page.keyboard.press("Tab");
      inNav = await page.evaluate(() => document.activeElement?.closest("nav")?.id === "main-nav");
    }
    expect(inNav).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe("A");
    await page.close();
    expect(consoleErrors).toEqual([]);
  });
});
