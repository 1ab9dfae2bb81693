// The poster's QR code in a real browser: `GET /r/spring-poster` (no `v=`, as printed) records the
// scan for the cookieless hash and adds a link token to the landing URL; the demo page's tracker
// strips it and sends it with its first batch, and the collector moves the scan to the tracker's
// visitor. The seed article's numbers must reach the lead: QR +5, product image +3, newsletter +7.
// With a cookieless-mode page (no consent) nothing is stored and the scan stays on the hash visitor.
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { DEMO_LINKS } from "@leadtrail/collector";
import { createDb, createLink, createSite, type Database, migrate } from "@leadtrail/db";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, newVisitorPage, skipBrowserTests, VISITOR_USER_AGENT } from "../support/browser.ts";
import { eventually, type RunningProcess, startCollector, tempDatabase } from "../support/processes.ts";

const SITE_KEY = "stitch";

describe.skipIf(skipBrowserTests)("QR scan → landing page in Chromium", () => {
  const database = tempDatabase();
  let db: Database;
  let collector: RunningProcess;
  let browser: Browser;
  let landing: Server;

  beforeAll(async () => {
    db = await createDb({ url: database.url });
    await migrate(db.$client);
    const site = await createSite(db, { publicKey: SITE_KEY, name: "Stitch", domains: ["127.0.0.1"] });
    for (const link of DEMO_LINKS) {
      await createLink(db, {
        siteId: site.id,
        code: link.code,
        kind: link.kind,
        target: link.targetPath,
        utm: link.utm,
      });
    }
    collector = await startCollector(database.url, { DEMO_SITE_KEY: SITE_KEY });
    // Another origin of the site, whose snippet asks for consent and sends cookieless page views.
    // /landing sends cookieless page views before consent; /ask sends nothing before consent.
    landing = createServer((req, res) => {
      const mode = req.url?.startsWith("/ask") ? "required" : "cookieless";
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(
        `<!doctype html><title>Landing</title><h1>Spring offer</h1>` +
          `<script defer src="${collector.url}/t.js" data-site="${SITE_KEY}" data-consent="${mode}"></script>`,
      );
    });
    landing.listen(0, "127.0.0.1");
    await once(landing, "listening");
    const { port } = landing.address() as AddressInfo;
    await createLink(db, {
      siteId: site.id,
      code: "cookieless-poster",
      kind: "qr",
      target: `http://127.0.0.1:${port}/landing`,
      utm: { utm_source: "poster", utm_medium: "qr", utm_campaign: "spring-launch" },
    });
    // Beacons (sent as a page is left, e.g. by the newsletter form's submit) carry the browser's own
    // user agent, not the context's: without this flag the collector drops them as HeadlessChrome.
    await createLink(db, {
      siteId: site.id,
      code: "consent-poster",
      kind: "qr",
      target: `http://127.0.0.1:${port}/ask`,
      utm: { utm_source: "poster", utm_medium: "qr", utm_campaign: "spring-launch" },
    });
    browser = await launchBrowser([`--user-agent=${VISITOR_USER_AGENT}`]);
  });

  afterAll(async () => {
    await browser?.close();
    landing?.close();
    await collector?.stop();
    db?.$client.close();
    database.remove();
  });

  const rows = async (sql: string, args: (string | number)[] = []) => (await db.$client.execute(sql, args)).rows;

  it("gives the lead the scan's +5 beside the product image's +3 and the newsletter's +7", async () => {
    const page = await newVisitorPage(browser);
    await page.goto(`${collector.url}/r/spring-poster`);
    await page.waitForURL((url) => url.pathname === "/demo/products/lead-scoring");
    // The tracker takes the token off the address bar; the campaign parameters stay.
    await page.waitForFunction(() => !location.search.includes("lt_s"));
    expect(new URL(page.url()).searchParams.get("utm_campaign")).toBe("spring-launch");
    const visitor = await page.evaluate(() => localStorage.getItem("lt_v"));
    expect(visitor).toBeTruthy();

    // The landing page's first batch moved the scan to this browser's visitor.
    await eventually(async () => {
      const [scan] = await rows("SELECT visitor_id FROM events WHERE type = 'qr_scan'");
      return scan?.visitor_id === visitor ? true : undefined;
    });
    await page.click("figure.product-image");
    await eventually(async () => (await rows("SELECT id FROM events WHERE type = 'click'"))[0]);

    await page.goto(`${collector.url}/demo/newsletter`);
    await page.fill('form[data-lt-form="newsletter"] input[name="email"]', "jana.becker@example-industrie.de");
    await Promise.all([page.waitForURL((url) => url.pathname === "/demo/thanks"), page.click("form button")]);
    const lead = await eventually(async () => (await rows("SELECT id, engagement_score FROM leads"))[0]);

    const ledger = await rows(
      "SELECT rule_id, delta, visitor_id FROM score_ledger WHERE lead_id = ? AND kind = 'engagement' ORDER BY id",
      [Number(lead.id)],
    );
    expect(ledger.map((r) => [r.rule_id, r.delta, r.visitor_id])).toEqual([
      ["qr-poster-scan", 5, visitor],
      ["product-image-click", 3, visitor],
      ["newsletter-signup", 7, visitor],
    ]);
    expect(Number(lead.engagement_score)).toBeCloseTo(15, 2);
    // Nothing is left on the cookieless visitor the scan was recorded for.
    expect(await rows("SELECT count(*) AS n FROM score_ledger WHERE visitor_id LIKE 'a\\_%' ESCAPE '\\'")).toEqual([
      { n: 0 },
    ]);
    await page.context().close();
  });

  it("keeps the scan on the cookieless visitor and stores nothing in a browser without consent", async () => {
    const page = await newVisitorPage(browser);
    await page.goto(`${collector.url}/r/cookieless-poster`);
    await page.waitForURL((url) => url.pathname === "/landing");
    await page.waitForFunction(() => !location.search.includes("lt_s"));

    // The cookieless page view arrives for the hash of this browser, the same visitor as the scan.
    const view = await eventually(
      async () => (await rows("SELECT visitor_id FROM events WHERE type = 'pageview' AND path = '/landing'"))[0],
    );
    const [scan] = await rows("SELECT visitor_id FROM events WHERE type = 'qr_scan' AND name = 'cookieless-poster'");
    expect(String(scan?.visitor_id)).toMatch(/^a_/);
    expect(view.visitor_id).toBe(scan?.visitor_id);
    expect(
      await rows("SELECT rule_id, visitor_id FROM score_ledger WHERE visitor_id = ?", [String(scan?.visitor_id)]),
    ).toEqual([{ rule_id: "qr-poster-scan", visitor_id: scan?.visitor_id }]);
    const stored = await page.evaluate(() => ({
      local: Object.keys(localStorage),
      session: Object.keys(sessionStorage),
      cookie: document.cookie,
    }));
    expect(stored).toEqual({ local: [], session: [], cookie: "" });
    expect((await page.context().cookies()).length).toBe(0);
    await page.context().close();
  });

  it("moves the scan once the visitor consents on the landing page, not before", async () => {
    const page = await newVisitorPage(browser);
    await page.goto(`${collector.url}/r/consent-poster`);
    await page.waitForURL((url) => url.pathname === "/ask");
    await page.waitForFunction(() => !location.search.includes("lt_s"));
    const scanVisitor = async () =>
      String((await rows("SELECT visitor_id FROM events WHERE name = 'consent-poster'"))[0]?.visitor_id);
    expect(await scanVisitor()).toMatch(/^a_/);
    expect(await page.evaluate(() => Object.keys(localStorage))).toEqual([]);

    await page.evaluate(() =>
      (window as unknown as { leadtrail: { consent(g: boolean): void } }).leadtrail.consent(true),
    );
    const visitor = await page.evaluate(() => localStorage.getItem("lt_v"));
    expect(visitor).toBeTruthy();
    await eventually(async () => ((await scanVisitor()) === visitor ? true : undefined));
    expect(await rows("SELECT rule_id, delta FROM score_ledger WHERE visitor_id = ?", [String(visitor)])).toEqual([
      { rule_id: "qr-poster-scan", delta: 5 },
    ]);
    await page.context().close();
  });
});
