// The tracker's main paths through the edge: Chromium loads a customer's page that embeds t.js from
// the edge worker (real workerd), the worker validates and sends the batches through the site's
// ingest buffer to the origin collector, and the events are checked in the origin's database.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, skipBrowserTests, VISITOR_USER_AGENT } from "../support/browser.ts";
import { type EdgeStack, type StoredEvent, startEdgeStack } from "../support/edge.ts";
import { FakeSite, html, sleep, trackerReady } from "../tracker/support.ts";

describe.skipIf(skipBrowserTests)("tracker through the edge into the origin's database", () => {
  let stack: EdgeStack;
  let browser: Browser;
  const site = new FakeSite();
  const contexts: BrowserContext[] = [];
  let tests = 0;

  beforeAll(async () => {
    // The user agent for every request, beacons included: a context's override does not reach a
    // beacon sent as its page goes away, and the edge rightly drops HeadlessChrome as a bot.
    [stack, browser] = await Promise.all([
      startEdgeStack(),
      launchBrowser([`--user-agent=${VISITOR_USER_AGENT}`]),
      site.start(),
    ]);
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await browser?.close();
    site.server?.close();
    await stack?.stop();
  });

  /** A site of its own for each test (late beacons of an earlier test's pages land elsewhere), and a page. */
  async function setUp(): Promise<{
    page: Page;
    embed: { origin: string; site: string };
    events(): Promise<StoredEvent[]>;
  }> {
    const key = `edge_site_${++tests}`;
    const { id } = await stack.site(key);
    const context = await browser.newContext();
    contexts.push(context);
    return {
      page: await context.newPage(),
      embed: { origin: stack.edge.url, site: key },
      events: () => stack.events(id),
    };
  }

  const views = (events: StoredEvent[]) =>
    events.filter((e) => e.type === "pageview").map((e) => new URL(e.url ?? "").pathname);

  it("stores page views and SPA navigations, once each, from the script the edge serves", async () => {
    const { page, embed, events } = await setUp();
    const script = await fetch(`${stack.edge.url}/t.js`);
    expect(script.headers.get("cache-control")).toBe("public, max-age=3600");
    expect(await script.text()).toContain("leadtrail");

    const spa = `<button id="push" onclick="history.pushState({}, '', '/app/second'); document.title = 'Second'">push</button>
      <button id="replace" onclick="history.replaceState({}, '', '/app/third')">replace</button>`;
    const url = site.page("/app", html(embed, spa, { title: "First" }));
    await page.goto(url);
    await trackerReady(page);
    await page.click("#push");
    await page.click("#replace");
    await expect
      .poll(async () => views(await events()), { timeout: 20_000 })
      .toEqual(["/app", "/app/second", "/app/third"]);
    const stored = await events();
    expect(stored.find((e) => e.type === "pageview")).toMatchObject({ url, title: "First" });
    expect(new Set(stored.map((e) => e.clientId)).size).toBe(stored.length);
    // The browser's own visitor id, the same for the three views.
    expect(new Set(stored.map((e) => e.visitorId)).size).toBe(1);
  });

  it("stores tagged clicks with their properties and downloads", async () => {
    const { page, embed, events } = await setUp();
    const body = `<button data-lt-event="pricing_cta" data-lt-prop-plan="pro"><span id="buy">Buy</span></button>
      <a id="file" href="/files/report.pdf" download>pdf</a>`;
    await page.goto(site.page("/tagged", html(embed, body)));
    await trackerReady(page);
    await page.click("#buy");
    await page.click("#file");
    await expect
      .poll(async () => (await events()).filter((e) => e.type !== "pageview" && e.type !== "engagement"), {
        timeout: 20_000,
      })
      .toEqual([
        expect.objectContaining({ type: "click", name: "pricing_cta", props: { plan: "pro" } }),
        expect.objectContaining({ type: "download", name: `${site.origin}/files/report.pdf` }),
      ]);
  });

  it("turns an opted-in form and an identify call into leads", async () => {
    const { page, embed, events } = await setUp();
    const form = `<form data-lt-form="signup" action="/blank" method="get">
      <input type="email" name="email" value="ada@example.com"><input name="company" value="Analytical Engines">
      <input type="password" name="pw" value="EDGE-SECRET-PASSWORD"><button id="send">Send</button></form>`;
    await page.goto(site.page("/signup", html(embed, form)));
    await trackerReady(page);
    await page.evaluate(() =>
      (window as unknown as { leadtrail: { identify(e: string, t: object): void } }).leadtrail.identify(
        "grace@example.com",
        { company: "Navy" },
      ),
    );
    await page.click("#send"); // submits and navigates: the form event goes out as the page hides
    await page.waitForURL(/\/blank/);
    await expect
      .poll(
        async () =>
          (await events())
            .map((e) => e.type)
            .filter((t) => t === "form" || t === "identify")
            .sort(),
        {
          timeout: 20_000,
        },
      )
      .toEqual(["form", "identify"]);
    const leads = await stack.db.$client.execute({
      sql: "SELECT l.email FROM leads l JOIN sites s ON s.id = l.site_id WHERE s.public_key = ? ORDER BY l.email",
      args: [embed.site],
    });
    expect(leads.rows.map((r) => r.email)).toEqual(["ada@example.com", "grace@example.com"]);
    const stored = [
      ...(await stack.db.$client.execute("SELECT * FROM events WHERE type = 'form'")).rows,
      ...(await stack.db.$client.execute("SELECT * FROM leads")).rows,
    ];
    expect(JSON.stringify(stored)).toContain("Analytical Engines");
    expect(JSON.stringify(stored)).not.toContain("EDGE-SECRET-PASSWORD");
  });

  it("stores engaged time sent as the page is hidden", async () => {
    const { page, embed, events } = await setUp();
    const url = site.page("/read", html(embed, `<div style="height: 3000px">long read</div>`));
    await page.goto(url);
    await trackerReady(page);
    await sleep(1200);
    await page.mouse.move(10, 10);
    await page.goto(`${site.origin}/blank`); // hides the page: engagement goes out by beacon
    const engagement = await expect
      .poll(async () => (await events()).filter((e) => e.type === "engagement"), { timeout: 20_000 })
      .toHaveLength(1)
      .then(async () => (await events()).find((e) => e.type === "engagement"));
    expect(engagement?.url).toBe(url);
    expect(engagement?.engagedMs).toBeGreaterThanOrEqual(1000);
  });
});
