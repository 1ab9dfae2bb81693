// A company adds its own site in Settings → Sites and installs the snippet on pages served from
// another origin: the install check (polling, no reload) says which host was refused and why,
// and turns green once the domain is allowed. The header's site switcher changes what the
// overview shows and is remembered across log-ins. Real collector and dashboard processes.
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createDb, createSite, type Database, migrate } from "@leadtrail/db";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, newVisitorPage, skipBrowserTests, VISITOR_USER_AGENT } from "../support/browser.ts";
import { eventually, type RunningProcess, startCollector, startDashboard, tempDatabase } from "../support/processes.ts";

const ADMIN = { email: "admin@onboarding.test", password: "onboarding-admin-password" };

describe.skipIf(skipBrowserTests)("site onboarding: install check and site switcher", () => {
  const database = tempDatabase();
  let db: Database;
  let collector: RunningProcess;
  let dashboard: RunningProcess;
  let browser: Browser;
  let shop: Server;
  let shopOrigin = "";
  let shopSiteKey = "";

  beforeAll(async () => {
    db = await createDb({ url: database.url });
    await migrate(db.$client);
    await createSite(db, { publicKey: "main", name: "Main site", domains: ["main.example.com"] });
    await createSite(db, { publicKey: "blog", name: "Blog", domains: ["blog.example.com"] });
    collector = await startCollector(database.url, { DEMO_SITE_KEY: "main" });
    dashboard = await startDashboard(database.url, {
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      COLLECTOR_URL: collector.url,
    });
    // The company's own pages, on another loopback origin, with whatever snippet the admin copied.
    shop = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(`<!doctype html><title>Shop</title><h1>Our shop</h1>${shopSnippet}`);
    });
    shop.listen(0, "127.0.0.1");
    await once(shop, "listening");
    shopOrigin = `http://127.0.0.1:${(shop.address() as AddressInfo).port}`;
    browser = await launchBrowser([`--user-agent=${VISITOR_USER_AGENT}`]);
  });
  let shopSnippet = "";

  afterAll(async () => {
    await browser?.close();
    shop?.close();
    await collector?.stop();
    await dashboard?.stop();
    db?.$client.close();
    database.remove();
  });

  async function logIn(): Promise<Page> {
    const context = await browser.newContext({ permissions: ["clipboard-read", "clipboard-write"] });
    const page = await context.newPage();
    await page.goto(`${dashboard.url}/login`);
    await page.fill('input[name="email"]', ADMIN.email);
    await page.fill('input[name="password"]', ADMIN.password);
    await Promise.all([
      page.waitForURL((url) => !url.pathname.startsWith("/login")),
      page.click('button[type="submit"]'),
    ]);
    return page;
  }

  it("explains refused events from a domain that is not allowed, then turns green once it is", async () => {
    const admin = await logIn();
    await admin.goto(`${dashboard.url}/settings`);
    const add = admin.locator('form[action="?/addSite"]');
    await add.locator('input[name="name"]').fill("Shop");
    await add.locator('input[name="domains"]').fill("shop.example.com");
    await add.locator('button[type="submit"]').click();
    const card = admin.locator("article.site", { hasText: "Shop" });
    await card.waitFor();
    shopSiteKey = String(await card.getAttribute("data-site-key"));
    expect(await card.getByTestId("install-waiting").isVisible()).toBe(true);
    // The header still shows the site chosen before; the page offers the new one.
    expect(await admin.getByTestId("site-added").textContent()).toContain("Site “Shop” added");
    const switchHref = String(await admin.getByTestId("switch-to-site").getAttribute("href"));
    expect(switchHref).toBe(`/?site=${shopSiteKey}`);

    // The copy button puts the snippet with the collector's address and the site key on the clipboard.
    await card.getByTestId("copy-snippet").click();
    shopSnippet = await admin.evaluate(() => navigator.clipboard.readText());
    expect(shopSnippet).toBe(`<script defer src="${collector.url}/t.js" data-site="${shopSiteKey}"></script>`);

    // Pasted into pages that live on 127.0.0.1, which is not among the allowed domains.
    const visitor = await newVisitorPage(browser);
    await visitor.goto(`${shopOrigin}/`);
    const refused = card.getByTestId("install-refused");
    await refused.waitFor({ timeout: 30_000 });
    expect(await refused.textContent()).toContain("Events from 127.0.0.1 were refused: not among the allowed domains");
    expect(await refused.getAttribute("data-reason")).toBe("forbidden_origin");
    expect(await card.getByTestId("install-waiting").isVisible()).toBe(true);
    // Nothing personal is kept about the refusal: a host, a reason, a time and a count.
    const [row] = (await db.$client.execute("SELECT * FROM site_refusals")).rows;
    expect(Object.keys(row ?? {}).sort()).toEqual(["at", "count", "host", "reason", "site_id"]);

    // The admin allows the domain; the next page views are stored and the check turns green.
    const update = card.locator('form[action="?/updateSite"]');
    await update.locator('input[name="domains"]').fill("shop.example.com, 127.0.0.1");
    await update.locator('button[type="submit"]').click();
    await eventually(async () => {
      // The collector caches a site's domains for a few seconds: the visitor keeps browsing.
      await visitor.goto(`${shopOrigin}/?again=${Date.now()}`);
      return (await card.getByTestId("install-ok").isVisible()) ? true : undefined;
    }, 60_000);
    await visitor.context().close();

    // A crawler on the installed site: dropped as intended, so a note rather than a warning.
    await eventually(async () => {
      await fetch(`${collector.url}/e`, {
        method: "POST",
        headers: {
          "content-type": "text/plain",
          origin: shopOrigin,
          "user-agent": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        },
        body: JSON.stringify({
          site: shopSiteKey,
          visitor: "visitor_crawler_01",
          sentAt: Date.now(),
          events: [{ id: `evt_crawler_${Date.now()}`, type: "pageview", time: Date.now(), url: `${shopOrigin}/` }],
        }),
      });
      await admin.reload();
      const note = admin.locator("article.site", { hasText: "Shop" }).getByTestId("install-refused");
      return (await note.getAttribute("data-reason")) === "bot" ? note : undefined;
    }, 60_000).then(async (note) => {
      expect(await note.getAttribute("class")).toContain("note");
      expect(await note.textContent()).toContain("dropped, as intended: nothing to do");
    });

    // The link offered after adding switches the dashboard to the new site.
    await admin.goto(`${dashboard.url}${switchHref}`);
    expect(await admin.getByTestId("site-switcher").inputValue()).toBe(shopSiteKey);
    await admin.goto(`${dashboard.url}/?site=main`); // the next test starts on the main site
    await admin.context().close();
  }, 240_000); // several waits for the collector (a few seconds each when idle, much more on a busy machine)

  it("switches every page to the chosen site and remembers it across log-ins", async () => {
    // Some traffic for each of two sites, with a page each that earns points.
    for (const [site, host, path] of [
      ["main", "main.example.com", "/pricing"],
      ["blog", "blog.example.com", "/blog/pricing-explained"],
    ] as const) {
      const response = await fetch(`${collector.url}/e`, {
        method: "POST",
        headers: { "content-type": "text/plain", origin: `https://${host}`, "user-agent": VISITOR_USER_AGENT },
        body: JSON.stringify({
          site,
          visitor: `visitor_${site}_01`,
          sentAt: Date.now(),
          events: [{ id: `evt_${site}_000001`, type: "pageview", time: Date.now(), url: `https://${host}${path}` }],
        }),
      });
      expect(response.status).toBe(200);
    }
    // The overview's top pages by points: the paths of the site shown.
    const topContent = (page: Page) =>
      page.getByTestId("top-content").locator("tbody td:first-child").allTextContents();

    let admin = await logIn();
    await admin.goto(`${dashboard.url}/`);
    expect(await admin.getByTestId("site-switcher").inputValue()).toBe("main");
    expect(await topContent(admin)).toEqual(["/pricing"]);

    await Promise.all([
      admin.waitForURL((url) => url.searchParams.get("site") === "blog"),
      admin.getByTestId("site-switcher").selectOption("blog"),
    ]);
    await eventually(async () => ((await topContent(admin)).includes("/blog/pricing-explained") ? true : undefined));
    expect(await topContent(admin)).toEqual(["/blog/pricing-explained"]);

    // Other pages and their filters follow the choice without ?site=.
    await admin.goto(`${dashboard.url}/behaviour`);
    expect(await admin.locator('form.filters select[name="site"]').inputValue()).toBe("blog");

    // Log out and in again: still the blog.
    await Promise.all([admin.waitForURL(/\/login/), admin.click('form[action="/logout"] button')]);
    await admin.context().close();
    admin = await logIn();
    await admin.goto(`${dashboard.url}/`);
    expect(await admin.getByTestId("site-switcher").inputValue()).toBe("blog");
    expect(await topContent(admin)).toEqual(["/blog/pricing-explained"]);

    // An explicit ?site= still wins, and becomes the remembered choice.
    await admin.goto(`${dashboard.url}/?site=main`);
    expect(await topContent(admin)).toEqual(["/pricing"]);
    await admin.goto(`${dashboard.url}/funnel`);
    expect(await admin.getByTestId("site-switcher").inputValue()).toBe("main");
    await admin.context().close();
  });
});
