// The article's first four phases end to end, over real HTTP between processes and in a real
// Chromium: a marketer sets a campaign goal and creates its QR code in the dashboard; a visitor scans
// the code through the collector and signs up; the new lead is attributed to the campaign and matched
// to its persona; the overview's goal progress moves; the lead's next best content shows on the lead
// page and its `lead.nurture_step_due` webhook reaches a real HTTP receiver; reading that content
// marks the step converted.
import {
  createDb,
  createSite,
  createWebhookEndpoint,
  type Database,
  insertContentItem,
  insertNurtureTrack,
  insertPersona,
  migrate,
} from "@leadtrail/db";
import { SIGNATURE_HEADER, verifyWebhookSignature } from "@leadtrail/workflows";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, newVisitorPage, skipBrowserTests } from "../support/browser.ts";
import { eventually, type RunningProcess, startCollector, startDashboard, tempDatabase } from "../support/processes.ts";
import { startWebhookReceiver, type WebhookReceiver } from "../support/webhook-receiver.ts";

const ADMIN = { email: "admin@e2e.test", password: "e2e-admin-password" };
const SITE_KEY = "e2e-nurture";
const SECRET = "whsec_nurture";
const WHITEPAPER = "The lead management playbook";

describe.skipIf(skipBrowserTests)("campaign goal → QR code → scan → lead, persona and nurture step", () => {
  const database = tempDatabase();
  let db: Database;
  let collector: RunningProcess;
  let dashboard: RunningProcess;
  let browser: Browser;
  let receiver: WebhookReceiver;
  let personaId: number;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();

    db = await createDb({ url: database.url });
    await migrate(db.$client);
    const site = await createSite(db, {
      publicKey: SITE_KEY,
      name: "E2E Nurture",
      domains: ["127.0.0.1", "localhost"],
    });
    // Phase 2 and 4 set up in advance: a persona, the content and its track.
    const now = Date.now();
    await insertContentItem(
      db,
      site.id,
      {
        key: "whitepaper",
        title: WHITEPAPER,
        kind: "whitepaper",
        topics: ["lead-management"],
        match: ["/demo/whitepaper"],
        href: "/demo/whitepaper",
      },
      now,
    );
    personaId = await insertPersona(
      db,
      site.id,
      {
        name: "IT leader",
        description: null,
        criteria: { roles: ["cto", "head of it"] },
        weights: {},
        minMatch: 1,
        defaultContentKey: "whitepaper",
        enabled: true,
      },
      now,
    );
    await insertNurtureTrack(
      db,
      site.id,
      {
        name: "IT leaders",
        purpose: "nurture",
        personaId,
        stages: ["lead", "mql"],
        priority: 0,
        steps: [{ id: "s1", contentId: "whitepaper" }],
        enabled: true,
      },
      now,
    );
    await createWebhookEndpoint(db, {
      siteId: site.id,
      url: receiver.url,
      secret: SECRET,
      events: ["lead.nurture_step_due"],
    });
    collector = await startCollector(database.url, {
      DEMO_SITE_KEY: SITE_KEY,
      NURTURE_INTERVAL_MS: "200",
      WEBHOOK_POLL_MS: "100",
    });
    dashboard = await startDashboard(database.url, {
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      COLLECTOR_URL: collector.url,
    });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await collector?.stop();
    await dashboard?.stop();
    await receiver?.close();
    db?.$client.close();
    database.remove();
  });

  const one = async (sql: string, args: (string | number)[] = []) =>
    (await db.$client.execute({ sql, args })).rows[0] as Record<string, unknown> | undefined;

  /** The overview's "actual / target" for a campaign goal. */
  async function overviewGoal(page: Page, campaignId: number, metric: string): Promise<string> {
    await page.goto(`${dashboard.url}/?site=${SITE_KEY}`);
    const cell = page.locator(`[data-campaign-id="${campaignId}"] [data-goal="${metric}"] [data-col="actual"]`);
    return ((await cell.textContent()) ?? "").trim();
  }

  it("attributes the scanned lead to the campaign and its persona, offers and converts the next step", async () => {
    const marketer = await browser.newPage();
    const problems: string[] = [];
    marketer.on("console", (m) => m.type() === "error" && problems.push(m.text()));
    marketer.on("pageerror", (e) => problems.push(e.message));

    // Phase 1: the campaign and its goal, in the dashboard.
    await marketer.goto(`${dashboard.url}/login`);
    await marketer.fill('input[name="email"]', ADMIN.email);
    await marketer.fill('input[name="password"]', ADMIN.password);
    await Promise.all([
      marketer.waitForURL((url) => !url.pathname.startsWith("/login")),
      marketer.click('button[type="submit"]'),
    ]);
    await marketer.goto(`${dashboard.url}/campaigns?site=${SITE_KEY}`);
    const form = marketer.locator('[data-testid="campaign-form"]');
    await form.locator('input[name="name"]').fill("Trade fair poster");
    await form.locator('input[name="channel"]').fill("print");
    await form.locator('input[name="budget"]').fill("250");
    await form.locator('input[name="goal_leads"]').fill("1");
    await form.locator('button[type="submit"]').click();
    const campaign = await eventually(() =>
      one("SELECT id, utm_campaign FROM campaigns WHERE name = 'Trade fair poster'"),
    );
    const campaignId = Number(campaign.id);
    expect(await overviewGoal(marketer, campaignId, "leads")).toBe("0 / 1");

    // Phase 3: its QR code, built in the dashboard and downloadable for print.
    await marketer.goto(`${dashboard.url}/campaigns/${campaignId}`);
    const builder = marketer.locator('[data-testid="link-builder"]');
    await builder.locator('select[name="kind"]').selectOption("qr");
    await builder.locator('input[name="target"]').fill("/demo/pricing");
    await builder.locator('input[name="source"]').fill("fair");
    await builder.locator('input[name="medium"]').fill("qr");
    await builder.locator('input[name="code"]').fill("fair-poster");
    await builder.locator('button[type="submit"]').click();
    const row = marketer.locator('[data-link-code="fair-poster"]');
    await row.waitFor();
    const svgHref = await row.locator('a[href$="qr.svg"]').getAttribute("href");
    const svg = await marketer.evaluate(async (href) => (await fetch(href as string)).text(), svgHref);
    expect(svg).toMatch(/^<svg[\s\S]*<path/);

    // A visitor scans the poster (the collector's redirect) and lands on the pricing page…
    const visitor = await newVisitorPage(browser);
    await visitor.goto(`${collector.url}/r/fair-poster`);
    expect(new URL(visitor.url()).pathname).toBe("/demo/pricing");
    expect(new URL(visitor.url()).searchParams.get("utm_campaign")).toBe(String(campaign.utm_campaign));
    await eventually(() => one("SELECT 1 AS ok FROM events WHERE type = 'pageview' AND path = '/demo/pricing'"));
    // …and signs up: the site identifies the person with the profile it asked for.
    await visitor.evaluate(() =>
      (window as unknown as { leadtrail: { identify(e: string, t: object): void } }).leadtrail.identify(
        "cleo@newco.test",
        { name: "Cleo", role: "CTO", company_size: "120" },
      ),
    );
    const lead = await eventually(async () => {
      const r = await one("SELECT id, campaign_id, persona_id FROM leads WHERE email = 'cleo@newco.test'");
      return r?.persona_id === personaId ? r : undefined;
    });
    expect(Number(lead.campaign_id)).toBe(campaignId);
    const leadId = Number(lead.id);

    // The goal's progress moves on the overview.
    expect(await overviewGoal(marketer, campaignId, "leads")).toBe("1 / 1");

    // Phase 4: the next best content is offered — as a signed webhook for the e-mail tool…
    const hook = await eventually(async () =>
      receiver.hooks.find((h) => JSON.parse(h.body).type === "lead.nurture_step_due"),
    );
    const body = JSON.parse(hook.body);
    expect(body.data).toMatchObject({ content: { key: "whitepaper", title: WHITEPAPER } });
    expect(JSON.stringify(body.data)).toContain("cleo@newco.test");
    const signature = hook.headers[SIGNATURE_HEADER.toLowerCase()] as string;
    expect(await verifyWebhookSignature(SECRET, signature, hook.body, Math.floor(Date.now() / 1000))).toBe(true);
    // …and on the lead page for sales, with the persona.
    await marketer.goto(`${dashboard.url}/leads/${leadId}`);
    expect(await marketer.locator('[data-testid="lead-persona"]').textContent()).toContain("IT leader");
    const offer = marketer.locator('[data-testid="lead-offer"]');
    expect(await offer.textContent()).toContain(WHITEPAPER);
    expect(await offer.getAttribute("data-converted")).toBe("false");

    // …and for the website itself, which can recommend it on the page.
    const recommended = await visitor.evaluate(async (site) => {
      const response = await fetch(`/v1/next-content?site=${site}&visitor=${localStorage.getItem("lt_v")}`);
      return response.json();
    }, SITE_KEY);
    expect(recommended.content).toMatchObject({ key: "whitepaper", title: WHITEPAPER });

    // The lead reads the whitepaper: the step counts as converted.
    await visitor.goto(`${collector.url}/demo/whitepaper`);
    await eventually(async () => {
      await marketer.reload();
      return (await offer.getAttribute("data-converted")) === "true" ? true : undefined;
    });
    expect(problems).toEqual([]);
  });
});
