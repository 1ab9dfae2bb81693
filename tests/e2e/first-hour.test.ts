// A real company's first hour (issue #11), through `npm start` on a fresh data folder with the demo
// on: the banner's admin logs in, adds the company's own site (pages served on another loopback
// origin, with the snippet copied from Settings pasted in), sees the install check turn green,
// builds three scoring rules in the UI and publishes them, invites a rep through the link, routes
// the site's leads to the rep, and creates a QR code. A visitor scans it, reads pages and sends the
// contact form until the lead is an MQL; the rep finds the lead at the top of My leads, with each of
// the three rules in its score breakdown. Real launcher, collector, dashboard and Chromium.
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createDb, type Database } from "@leadtrail/db";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, newVisitorPage, skipBrowserTests, VISITOR_USER_AGENT } from "../support/browser.ts";
import { type RunningLauncher, startLauncher } from "../support/launcher.ts";
import { eventually, tempDatabase } from "../support/processes.ts";

const REP = { email: "rita.rep@acme-industries.test", password: "rita-chose-this-one" };
const VISITOR_EMAIL = "paul.buyer@big-customer.test";
/** The company's three rules: 5 (QR, default) + 10 + 15 (pricing) − 10 − 10 (careers) + 20 + 25 (contact) = 55 ≥ 35. */
const RULES = [
  { label: "Looked at our prices", type: "pageview", path: "/pricing*", points: "15" },
  { label: "Asked us to call back", type: "form", name: "contact", points: "25" },
  { label: "Job seeker", type: "pageview", path: "/careers*", points: "-10" },
] as const;

/** The company's own website: a product page with prices, a careers page and a contact form. */
function companyPage(path: string, snippet: string): string {
  const nav = `<nav><a href="/">Product</a> <a href="/pricing">Pricing</a> <a href="/careers">Careers</a> <a href="/contact">Contact</a></nav>`;
  const body: Record<string, string> = {
    "/": "<h1>Acme Widgets</h1><p>The widget for every factory.</p>",
    "/pricing": "<h1>Pricing</h1><p>Widget Pro: 99 € a month.</p>",
    "/careers": "<h1>Careers</h1><p>We are hiring.</p>",
    "/contact": `<h1>Contact us</h1><form data-lt-form="contact" method="get" action="/thanks">
      <label>E-mail <input type="email" name="email" required></label><button type="submit">Call me back</button></form>`,
    "/thanks": "<h1>Thank you</h1>",
  };
  return `<!doctype html><html lang="en"><head><title>Acme ${path}</title>${snippet}</head><body>${nav}${body[path] ?? "<h1>Not found</h1>"}</body></html>`;
}

describe.skipIf(skipBrowserTests)("a company's first hour, from npm start to its own routed MQL", () => {
  const database = tempDatabase();
  let launcher: RunningLauncher;
  let db: Database;
  let browser: Browser;
  let site: Server;
  let siteOrigin = "";
  let snippet = "";

  beforeAll(async () => {
    launcher = await startLauncher(database.url);
    site = createServer((req, res) => {
      const path = new URL(req.url ?? "/", "http://x").pathname;
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(companyPage(path, snippet));
    });
    site.listen(0, "127.0.0.1");
    await once(site, "listening");
    siteOrigin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    // Beacons (the form's submit as the page is left) carry the browser's own user agent: without
    // this flag the collector would drop them as HeadlessChrome.
    browser = await launchBrowser([`--user-agent=${VISITOR_USER_AGENT}`]);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    site?.close();
    db?.$client.close();
    if (launcher && launcher.child.exitCode === null) launcher.child.kill("SIGTERM");
    await launcher?.exited;
    database.remove();
  });

  const one = async (sql: string, args: (string | number)[] = []) =>
    (await db.$client.execute({ sql, args })).rows[0] as Record<string, unknown> | undefined;

  async function logIn(page: Page, email: string, password: string) {
    await page.goto(`${launcher.dashboardUrl}/login`);
    await page.fill('input[name="email"]', email);
    await page.fill('input[name="password"]', password);
    await Promise.all([
      page.waitForURL((url) => !url.pathname.startsWith("/login")),
      page.click('button[type="submit"]'),
    ]);
  }

  it("lets the banner's admin set up the site, rules, a rep and routing, and the rep gets the scored lead", async () => {
    // 1. The banner says how to get in.
    const banner = (await launcher.waitForOutput(/leadtrail is running[\s\S]*Press Ctrl-C to stop\./, 600_000))[0];
    const [, adminEmail = "", adminPassword = ""] = banner.match(/log in as {3}(\S+) \/ (\S+)/) ?? [];
    expect(adminEmail).toBe("admin@leadtrail.local");
    db = await createDb({ url: database.url });
    const dash = launcher.dashboardUrl;

    const adminContext = await browser.newContext({ permissions: ["clipboard-read", "clipboard-write"] });
    const admin = await adminContext.newPage();
    const problems: string[] = [];
    admin.on("pageerror", (e) => problems.push(e.message));
    await eventually(
      async () => ((await fetch(`${dash}/login`).catch(() => undefined))?.ok ? true : undefined),
      60_000,
    );
    await logIn(admin, adminEmail, adminPassword);

    // 2. Settings → Sites: add the company's site, copy its snippet, paste it into the pages.
    await admin.goto(`${dash}/settings`);
    const add = admin.locator('form[action="?/addSite"]');
    await add.locator('input[name="name"]').fill("Acme Widgets");
    await add.locator('input[name="domains"]').fill("127.0.0.1");
    await add.locator('button[type="submit"]').click();
    const card = admin.locator("article.site", { hasText: "Acme Widgets" });
    await card.waitFor();
    const siteKey = String(await card.getAttribute("data-site-key"));
    await card.getByTestId("install-waiting").waitFor();
    await card.getByTestId("copy-snippet").click();
    snippet = await admin.evaluate(() => navigator.clipboard.readText());
    expect(snippet).toBe(`<script defer src="${launcher.collectorUrl}/t.js" data-site="${siteKey}"></script>`);

    // The install check turns green after the first page view (someone at the company opens the site).
    const colleague = await newVisitorPage(browser);
    await colleague.goto(`${siteOrigin}/`);
    await card.getByTestId("install-ok").waitFor({ timeout: 60_000 });
    await colleague.context().close();

    // 3. Scoring: three rules built in the rule builder, then published.
    await admin.goto(`${dash}/scoring?site=${siteKey}`);
    const builder = admin.locator('[data-testid="rule-builder"]');
    const field = (name: string) => builder.locator(`[name="${name}"]`);
    for (const rule of RULES) {
      await admin.locator('[data-testid="new-engagement-rule"]').click();
      await builder.waitFor();
      await field("label.en").fill(rule.label);
      await field("match.type").selectOption(rule.type);
      if ("path" in rule) await field("match.path").fill(rule.path);
      if ("name" in rule) await field("match.name").fill(rule.name);
      await field("points").fill(rule.points);
      await Promise.all([
        admin.waitForURL((u) => !u.searchParams.has("new") && !u.searchParams.has("edit")),
        builder.getByRole("button", { name: "Save rule to draft" }).click(),
      ]);
      await admin.locator("tr", { hasText: rule.label }).first().waitFor();
    }
    await admin.getByLabel("Note for the change log").fill("our first rules");
    await admin.getByRole("button", { name: "Publish" }).click();
    await admin.locator('[role="status"]', { hasText: "live: version 2" }).waitFor();

    // 4. Settings → Users: invite the rep; the rep opens the link in another browser and sets a password.
    await admin.goto(`${dash}/settings`);
    const addUser = admin.locator('form[action="?/addUser"]');
    await addUser.locator('input[name="email"]').fill(REP.email);
    await addUser.locator('select[name="role"]').selectOption("sales");
    await addUser.locator('button[type="submit"]').click();
    const link = (await admin.getByTestId("user-link").locator("code").textContent()) ?? "";
    expect(link).toMatch(new RegExp(`^${dash}/invite/[\\w-]{43}$`));
    const repContext = await browser.newContext();
    const rep = await repContext.newPage();
    await rep.goto(link);
    await rep.getByText(`You are invited to leadtrail as ${REP.email}.`).waitFor();
    await rep.fill('input[name="password"]', REP.password);
    await Promise.all([rep.waitForURL(`${dash}/my-leads`), rep.click('button[type="submit"]')]);
    await rep.getByTestId("my-leads-empty").waitFor();

    // 5. Settings → Routing for the new site: the rep takes leads, in a pool, and a rule sends every lead there.
    await admin.goto(`${dash}/settings/routing?site=${siteKey}`);
    const repRow = admin.locator('[data-testid="rep"]', { hasText: REP.email });
    const repId = String(await repRow.getAttribute("data-user-id"));
    await repRow.locator('[data-testid="rep-form"] button[type="submit"]').click();
    await repRow.getByTestId("rep-load").waitFor();
    const addPool = admin.locator('form[action^="?/addPool"]');
    await addPool.locator('input[name="name"]').fill("Inside sales");
    await addPool.locator(`input[name="members"][value="${repId}"]`).check();
    await addPool.locator('button[type="submit"]').click();
    await admin.getByTestId("pools").getByText("Inside sales").waitFor();
    const addRule = admin.locator('form[action^="?/addRule"]');
    await addRule.locator('input[name="name"]').fill("Every lead of Acme Widgets");
    await addRule.locator('select[name="pool"]').selectOption({ label: "Inside sales" });
    await addRule.locator('button[type="submit"]').click();
    await admin.getByTestId("rules").getByText("Every lead of Acme Widgets").waitFor();

    // 6. Campaigns: a poster with a QR code that leads to the pricing page of the company's site.
    await admin.goto(`${dash}/campaigns?site=${siteKey}`);
    const campaignForm = admin.locator('[data-testid="campaign-form"]');
    await campaignForm.locator('input[name="name"]').fill("Trade fair 2026");
    await campaignForm.locator('input[name="channel"]').fill("print");
    await campaignForm.locator('button[type="submit"]').click();
    const campaign = await eventually(() => one("SELECT id FROM campaigns WHERE name = 'Trade fair 2026'"), 30_000);
    await admin.goto(`${dash}/campaigns/${Number(campaign.id)}`);
    const linkBuilder = admin.locator('[data-testid="link-builder"]');
    await linkBuilder.locator('select[name="kind"]').selectOption("qr");
    await linkBuilder.locator('input[name="target"]').fill(`${siteOrigin}/pricing`);
    await linkBuilder.locator('input[name="source"]').fill("fair");
    await linkBuilder.locator('input[name="medium"]').fill("qr");
    await linkBuilder.locator('input[name="code"]').fill("acme-fair");
    await linkBuilder.locator('button[type="submit"]').click();
    await admin.locator('[data-link-code="acme-fair"]').waitFor();

    // 7. A visitor scans the poster, reads the prices and the careers page, and asks for a call back.
    const visitor = await newVisitorPage(browser);
    await visitor.goto(`${launcher.collectorUrl}/r/acme-fair`);
    await visitor.waitForURL((url) => url.origin === siteOrigin && url.pathname === "/pricing");
    await visitor.waitForFunction(() => !location.search.includes("lt_s"));
    await visitor.click('a[href="/careers"]');
    await visitor.waitForURL(`${siteOrigin}/careers`);
    await visitor.click('a[href="/contact"]');
    await visitor.waitForURL(`${siteOrigin}/contact`);
    await visitor.fill('input[name="email"]', VISITOR_EMAIL);
    await Promise.all([visitor.waitForURL((url) => url.pathname === "/thanks"), visitor.click("form button")]);

    // The lead crosses the site's MQL threshold and is routed to the rep.
    const lead = await eventually(async () => {
      const row = await one("SELECT id, stage, owner_id FROM leads WHERE email = ?", [VISITOR_EMAIL]);
      return row?.stage === "mql" && row.owner_id !== null ? row : undefined;
    }, 60_000);
    expect(String(lead.owner_id)).toBe(repId);

    // 8. The rep finds the lead at the top of My leads, and each of the company's rules in its breakdown.
    await rep.goto(`${dash}/my-leads`);
    const top = rep.getByTestId("my-leads").locator("tbody tr").first();
    expect(await top.getAttribute("data-lead-id")).toBe(String(lead.id));
    expect(await top.textContent()).toContain(VISITOR_EMAIL);
    // "Why hot" names what earned the points; the lead page's score by rule has every rule, the negative too.
    const why = (await top.locator("td.why").textContent()) ?? "";
    expect(why).toContain(`${RULES[0].label} +15`);
    expect(why).toContain(`${RULES[1].label} +25`);
    await Promise.all([rep.waitForURL(`${dash}/leads/${lead.id}`), top.locator(`a[href="/leads/${lead.id}"]`).click()]);
    const breakdown = (await rep.getByTestId("breakdown").textContent()) ?? "";
    for (const rule of RULES) expect(breakdown).toContain(rule.label);
    expect(breakdown).toContain("Scanned a poster QR code");
    expect(problems).toEqual([]);
    await visitor.context().close();
    await repContext.close();
    await adminContext.close();
  }, 900_000);
});
