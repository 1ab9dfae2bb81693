// The thin path through every app: a real Chromium opens a demo page served by the collector, the
// tracker's page view travels over real HTTP into the database, and the dashboard shows that visitor.
import { createDb, createSite, type Database, migrate } from "@leadtrail/db";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, newVisitorPage, skipBrowserTests } from "../support/browser.ts";
import { eventually, type RunningProcess, startCollector, startDashboard, tempDatabase } from "../support/processes.ts";

const ADMIN = { email: "admin@e2e.test", password: "e2e-admin-password" };

describe.skipIf(skipBrowserTests)("browser → collector → database → dashboard", () => {
  const database = tempDatabase();
  let db: Database;
  let collector: RunningProcess;
  let dashboard: RunningProcess;
  let browser: Browser;

  beforeAll(async () => {
    db = await createDb({ url: database.url });
    await migrate(db.$client);
    await createSite(db, { publicKey: "e2e-site", name: "E2E Demo", domains: ["127.0.0.1", "localhost"] });
    collector = await startCollector(database.url, { DEMO_SITE_KEY: "e2e-site" });
    dashboard = await startDashboard(database.url, { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await collector?.stop();
    await dashboard?.stop();
    db?.$client.close();
    database.remove();
  });

  it("records a demo page view and shows the visitor on the dashboard", async () => {
    const page = await newVisitorPage(browser);
    const consoleErrors: string[] = [];
    page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
    page.on("response", (r) => r.status() >= 400 && consoleErrors.push(`${r.status()} ${r.url()}`));
    await page.goto(`${collector.url}/demo/pricing`);

    const row = await eventually(async () => {
      const result = await db.$client.execute(
        "SELECT visitor_id, path, title FROM events WHERE type = 'pageview' AND path = '/demo/pricing'",
      );
      return result.rows[0];
    });
    const visitorId = String(row.visitor_id);

    await page.goto(`${dashboard.url}/login`);
    await page.fill('input[name="email"]', ADMIN.email);
    await page.fill('input[name="password"]', ADMIN.password);
    await Promise.all([
      page.waitForURL((url) => !url.pathname.startsWith("/login")),
      page.click('button[type="submit"]'),
    ]);
    await page.goto(`${dashboard.url}/visitors?site=e2e-site`);
    const card = page.locator(`[data-visitor-id="${visitorId}"]`);
    await card.waitFor();
    expect(await card.textContent()).toContain("/demo/pricing");
    expect(consoleErrors).toEqual([]);
  });
});
