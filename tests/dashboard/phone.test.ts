// A sales rep on a 390 × 844 phone: My leads, a lead page and the notifications fit the screen
// (no sideways scrolling), and every lead action works by tapping the controls on screen. Then the
// grouped navigation: a rep's menu holds no marketing page, an admin's and a marketer's show the
// Analytics, Pipeline and Setup groups.
import { createCollector } from "@leadtrail/collector";
import { insertNotifications } from "@leadtrail/db";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, skipBrowserTests } from "../support/browser.ts";
import { eventually } from "../support/processes.ts";
import { ADMIN, type Fixture, ORIGIN, SITE_KEY, startFixture, USERS } from "./fixture.ts";

const PHONE = { width: 390, height: 844 };
const MARKETING_PAGES = ["/", "/behaviour", "/content", "/funnel", "/campaigns", "/visitors", "/scoring", "/settings"];
const UA =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

describe.skipIf(skipBrowserTests)("a sales rep on a phone", () => {
  let f: Fixture;
  let browser: Browser;
  let phone: BrowserContext;
  const errors: string[] = [];
  const lead = { won: 0, lost: 0, rejected: 0 };

  async function loginIn(context: BrowserContext, email: string, password: string): Promise<void> {
    const page = await context.newPage();
    await page.goto(`${f.url}/login`);
    await page.getByLabel(/e-mail/i).fill(email);
    await page.getByLabel(/password/i).fill(password);
    await Promise.all([
      page.waitForURL((u) => !u.pathname.startsWith("/login"), { timeout: 60_000 }),
      page.getByRole("button", { name: /log in/i }).click(),
    ]);
    await page.close();
  }

  async function watched(context: BrowserContext): Promise<Page> {
    const page = await context.newPage();
    page.on("pageerror", (e) => errors.push(`${page.url()}: ${e.message}`));
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(`${page.url()}: ${m.text()}`);
    });
    return page;
  }

  /** How far the page reaches past the phone's width (0 when nothing scrolls sideways). */
  const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - 390);
  const stageOf = (id: number) =>
    f.db.$client.execute({ sql: "SELECT stage, owner_id FROM leads WHERE id = ?", args: [id] }).then((r) => r.rows[0]);
  const stageShown = (page: Page, text: string) =>
    page.waitForFunction((t) => document.querySelector('[data-testid="lead-stage"]')?.textContent === t, text);

  /** A third MQL for the rep: a demo request through the real collector app. */
  async function anotherMql(): Promise<number> {
    const { app, writer } = createCollector({
      db: f.db,
      trackerScript: "",
      demoSiteKey: SITE_KEY,
      visitorHashSecret: "phone",
      clientIp: () => "203.0.113.10",
    });
    const now = Date.now();
    const response = await app.request(`${ORIGIN}/e`, {
      method: "POST",
      headers: { "content-type": "text/plain", origin: ORIGIN, "user-agent": UA },
      body: JSON.stringify({
        site: SITE_KEY,
        visitor: "v_phone_1",
        sentAt: now,
        events: [
          { id: "evt_phone_1", type: "pageview", time: now, url: `${ORIGIN}/pricing`, title: "Pricing" },
          {
            id: "evt_phone_2",
            type: "form",
            time: now + 1,
            url: `${ORIGIN}/demo`,
            name: "demo_request",
            email: "student.with.a.really.long.address@university-of-somewhere.test",
            traits: { persona: "it-lead", seniority: "c-level" },
          },
        ],
      }),
    });
    expect(response.status).toBe(200);
    await writer.drain();
    const row = await eventually(async () => {
      const r = await f.db.$client.execute("SELECT id, stage FROM leads WHERE email LIKE 'student.with%'");
      return r.rows[0]?.stage === "mql" ? r.rows[0] : undefined;
    });
    return Number(row.id);
  }

  beforeAll(async () => {
    f = await startFixture();
    const rep = f.userIds[USERS.sales.email] as number;
    lead.won = f.leads["cto@bigcorp.test"] as number;
    lead.lost = f.leads["head@midcorp.test"] as number;
    lead.rejected = await anotherMql();
    // Routing is another package's job: hand the rep all three leads, as it would.
    for (const id of [lead.lost, lead.rejected]) {
      await f.db.$client.execute({ sql: "UPDATE leads SET owner_id = ? WHERE id = ?", args: [rep, id] });
    }
    await insertNotifications(f.db, [
      {
        siteId: f.siteId,
        userId: rep,
        kind: "lead_assigned",
        leadId: lead.won,
        message: "New lead cto@bigcorp.test (score 60, A) — requested a demo, visited pricing three times this week",
        createdAt: Date.now(),
      },
    ]);
    browser = await launchBrowser();
    phone = await browser.newContext({ viewport: PHONE, hasTouch: true, isMobile: true });
    await loginIn(phone, USERS.sales.email, USERS.sales.password);
  });
  afterAll(async () => {
    await browser?.close();
    await f?.stop();
  });

  it("shows My leads as cards that fit the phone", async () => {
    const page = await watched(phone);
    await page.goto(`${f.url}/my-leads`);
    const card = page.locator(`[data-testid="my-leads"] tr[data-lead-id="${lead.won}"]`);
    await expect(card.textContent()).resolves.toContain("cto@bigcorp.test");
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    // A card, not a table row: its cells stack, and the header row is out of sight.
    const box = await card.boundingBox();
    expect(box?.width ?? 0).toBeGreaterThan(300);
    expect(box?.width ?? 999).toBeLessThanOrEqual(390);
    const name = await card.locator("td").nth(0).boundingBox();
    const score = await card.locator("td").nth(1).boundingBox();
    expect(score?.y ?? 0).toBeGreaterThanOrEqual((name?.y ?? 0) + (name?.height ?? 0) - 1);
    expect(await card.locator("td").nth(1).textContent()).toMatch(/^[\d.,-]+$/);
    expect(
      await card
        .locator("td")
        .nth(1)
        .evaluate((td) => getComputedStyle(td, "::before").content),
    ).toBe('"Score"');
    await card.getByRole("link").tap();
    await page.waitForURL(`**/leads/${lead.won}`);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await page.close();
  });

  it("accepts, notes, qualifies and wins a lead by tapping, on a page that fits", async () => {
    const page = await watched(phone);
    await page.goto(`${f.url}/leads/${lead.won}`);
    await stageShown(page, "MQL");
    expect(await overflow(page)).toBeLessThanOrEqual(0);

    await page.getByRole("button", { name: "Accept (SAL)" }).tap();
    await stageShown(page, "SAL");
    expect(await overflow(page)).toBeLessThanOrEqual(0);

    await page.getByLabel("Note").fill("Called from the car, demo on Tuesday");
    await page.getByRole("button", { name: "Add note" }).tap();
    await page
      .locator('[data-testid="stage-history"]')
      .filter({ hasText: "Called from the car, demo on Tuesday" })
      .waitFor();

    await page.getByRole("button", { name: "Qualify (SQL)" }).tap();
    await stageShown(page, "SQL");
    expect(await overflow(page)).toBeLessThanOrEqual(0);

    const win = page.locator('form[action="?/win"]');
    await win.getByLabel("Deal value").fill("8000");
    await win.getByRole("button", { name: "Won", exact: true }).tap();
    await stageShown(page, "Won");
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    expect(await stageOf(lead.won)).toMatchObject({ stage: "won" });
    const notes = await f.db.$client.execute({
      sql: "SELECT count(*) AS n FROM stage_changes WHERE lead_id = ? AND reason = ?",
      args: [lead.won, "Called from the car, demo on Tuesday"],
    });
    expect(Number(notes.rows[0]?.n)).toBe(1);
    await page.close();
  });

  it("accepts and loses a lead with a reason by tapping", async () => {
    const page = await watched(phone);
    await page.goto(`${f.url}/leads/${lead.lost}`);
    await page.getByRole("button", { name: "Accept (SAL)" }).tap();
    await stageShown(page, "SAL");
    const lose = page.locator('form[action="?/lose"]');
    await lose.getByLabel("Reason").fill("No budget this year");
    await lose.getByRole("button", { name: "Lost", exact: true }).tap();
    await stageShown(page, "Lost");
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    const change = await f.db.$client.execute({
      sql: "SELECT to_stage, reason FROM stage_changes WHERE lead_id = ? ORDER BY at DESC, id DESC LIMIT 1",
      args: [lead.lost],
    });
    expect(change.rows[0]).toMatchObject({ to_stage: "lost", reason: "No budget this year" });
    await page.close();
  });

  it("rejects a lead with a reason by tapping, on a page that fits despite a long address", async () => {
    const page = await watched(phone);
    await page.goto(`${f.url}/leads/${lead.rejected}`);
    await stageShown(page, "MQL");
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    const reject = page.locator('form[action="?/reject"]');
    await reject.getByLabel("Reason").fill("Student, no buying intent");
    await reject.getByRole("button", { name: "Reject" }).tap();
    // A rejected lead goes back to nurturing and leaves the rep's hands.
    const row = await eventually(async () => {
      const r = await stageOf(lead.rejected);
      return r?.stage === "nurture" ? r : undefined;
    });
    expect(row.owner_id).toBeNull();
    const change = await f.db.$client.execute({
      sql: "SELECT reason FROM stage_changes WHERE lead_id = ? AND to_stage = 'nurture'",
      args: [lead.rejected],
    });
    expect(change.rows[0]?.reason).toBe("Student, no buying intent");
    await page.close();
  });

  it("shows the notifications on a page that fits", async () => {
    const page = await watched(phone);
    await page.goto(`${f.url}/notifications`);
    await expect(page.locator('[data-testid="notifications"]').textContent()).resolves.toContain(
      "requested a demo, visited pricing",
    );
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await page.getByRole("button", { name: "Mark read" }).first().tap();
    await eventually(async () => {
      const r = await f.db.$client.execute({
        sql: "SELECT count(*) AS n FROM notifications WHERE user_id = ? AND read_at IS NULL",
        args: [f.userIds[USERS.sales.email] as number],
      });
      return Number(r.rows[0]?.n) === 0 ? true : undefined;
    });
    await page.close();
    expect(errors).toEqual([]);
  });

  it("folds the rep's menu behind a button that holds only pipeline pages, My leads first", async () => {
    const page = await watched(phone);
    await page.goto(`${f.url}/my-leads`);
    const toggle = page.getByRole("button", { name: "Menu" });
    const nav = page.getByRole("navigation", { name: "Main" });
    expect(await toggle.getAttribute("aria-expanded")).toBe("false");
    expect(await nav.getByRole("link").first().isVisible()).toBe(false);
    await toggle.tap();
    expect(await toggle.getAttribute("aria-expanded")).toBe("true");
    const links = nav.getByRole("link");
    await links.first().waitFor();
    const hrefs = await links.evaluateAll((as) => as.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
    expect(hrefs[0]).toBe("/my-leads");
    for (const marketing of MARKETING_PAGES) expect(hrefs).not.toContain(marketing);
    expect(await nav.locator("[data-group]").evaluateAll((g) => g.map((e) => e.getAttribute("data-group")))).toEqual([
      "pipeline",
    ]);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    // Escape closes it and gives the focus back to the button.
    await page.keyboard.press("Escape");
    expect(await toggle.getAttribute("aria-expanded")).toBe("false");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("menu-toggle");
    await page.close();
    // The marketing pages stay closed to a rep on the server, menu or not.
    const cookie = (await phone.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
    for (const path of MARKETING_PAGES) {
      const response = await fetch(`${f.url}${path}`, { headers: { cookie }, redirect: "manual" });
      // The overview sends a rep home to My leads; every other marketing page refuses.
      if (path === "/") expect(response.headers.get("location")).toBe("/my-leads");
      else expect(response.status, path).toBe(403);
    }
  });

  it.each([
    ["admin", ADMIN, true],
    ["marketer", USERS.marketer, false],
  ] as const)("shows the %s the Analytics, Pipeline and Setup groups", async (_role, user, settings) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await loginIn(context, user.email, user.password);
    const page = await watched(context);
    await page.goto(f.url);
    const nav = page.getByRole("navigation", { name: "Main" });
    const groups = await nav.locator("[data-group]").evaluateAll((g) => g.map((e) => e.getAttribute("data-group")));
    expect(groups).toEqual(["analytics", "pipeline", "setup"]);
    for (const name of ["Analytics", "Pipeline", "Setup"]) {
      expect(await nav.getByRole("list", { name }).isVisible(), name).toBe(true);
    }
    const analytics = await nav.getByRole("list", { name: "Analytics" }).textContent();
    expect(analytics).toContain("Behaviour");
    expect(await nav.getByRole("list", { name: "Pipeline" }).textContent()).toContain("My leads");
    expect((await nav.getByRole("list", { name: "Setup" }).textContent())?.includes("Settings")).toBe(settings);
    // On a desktop the menu is open without a button.
    expect(await page.getByRole("button", { name: "Menu" }).isVisible()).toBe(false);
    await context.close();
  });
});
