// The scoring rule builder in Chromium against the built dashboard and collector: a marketer builds
// a path rule, a form rule and a negative rule, sees an inline error for a bad field, tests a rule on
// the last 30 days of events, publishes, and then events through the collector score under them;
// starter rules, JSON export/import, and an admin-scoped key from Settings on GET/PUT /v1/scoring.
import type { RuleSet } from "@leadtrail/scoring";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, skipBrowserTests, VISITOR_USER_AGENT } from "../support/browser.ts";
import { eventually, type RunningProcess, startCollector } from "../support/processes.ts";
import { ADMIN, type Fixture, login, ORIGIN, SITE_KEY, sendAction, startFixture, USERS } from "./fixture.ts";

describe.skipIf(skipBrowserTests)("scoring rule builder in Chromium", () => {
  let f: Fixture;
  let collector: RunningProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let cookie = "";
  const pageErrors: string[] = [];

  beforeAll(async () => {
    f = await startFixture();
    collector = await startCollector(f.databaseUrl, { COLLECTOR_JOBS: "0", GROUP_COMMIT_WAIT_MS: "1" });
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    cookie = await login(f.url, USERS.marketer.email, USERS.marketer.password);
    const [name, value] = cookie.split("=") as [string, string];
    await context.addCookies([{ name, value, url: f.url }]);
    page = await context.newPage();
    page.on("pageerror", (e) => pageErrors.push(e.message));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await collector?.stop();
    await f?.stop();
  });

  const rows = async (sql: string, args: (string | number)[] = []) =>
    (await f.db.$client.execute({ sql, args })).rows as Record<string, unknown>[];
  const builder = () => page.locator('[data-testid="rule-builder"]');
  const field = (name: string) => builder().locator(`[name="${name}"]`);
  const fieldError = (name: string) => builder().locator(`.field-error[data-field="${name}"]`);

  async function openBuilder(kind: "engagement" | "fit") {
    await page.goto(`${f.url}/scoring`);
    await page.locator(`[data-testid="new-${kind}-rule"]`).click();
    await builder().waitFor();
  }

  async function saveRule(name: string) {
    await Promise.all([
      page.waitForURL((u) => !u.searchParams.has("new") && !u.searchParams.has("edit")),
      builder().getByRole("button", { name: "Save rule to draft" }).click(),
    ]);
    await page.locator("tr", { hasText: name }).first().waitFor();
  }

  it("builds a path rule: a bad field gets an inline error, and the test counts the last 30 days", async () => {
    await openBuilder("engagement");
    await field("label.en").fill("Pricing interest");
    await field("match.type").selectOption("pageview");
    await field("match.path").fill("*/pricing*");
    await field("points").fill("0");
    await field("caps.perDay").fill("0");
    await builder().getByRole("button", { name: "Save rule to draft" }).click();
    // Both problems are shown beside their fields; what was typed stays.
    await expect(fieldError("points").textContent()).resolves.toContain("non-zero");
    await expect(fieldError("caps.perDay").textContent()).resolves.toContain("whole number from 1");
    expect(await field("points").getAttribute("aria-invalid")).toBe("true");
    expect(await field("match.path").inputValue()).toBe("*/pricing*");
    expect(await rows("SELECT count(*) AS n FROM rule_set_drafts")).toEqual([{ n: 0 }]);

    await field("points").fill("12");
    await field("caps.perDay").fill("1");
    await builder().getByRole("button", { name: "Test this rule" }).click();
    const summary = await page.locator('[data-testid="rule-test-summary"]').textContent();
    // The same question asked of the database directly (caps aside, as the test says).
    const since = Date.now() - 30 * 86_400_000;
    const [expected] = await rows(
      `SELECT count(*) AS events, count(DISTINCT lead_id) AS leads, sum(lead_id IS NULL) AS anonymous FROM events
        WHERE site_id = ? AND type = 'pageview' AND lower(path) LIKE '%/pricing%' AND received_at >= ?`,
      [f.siteId, since],
    );
    expect(Number(expected?.events)).toBeGreaterThan(3);
    expect(summary).toBe(
      `Last 30 days: ${expected?.events} matching events of ${expected?.leads} leads (${expected?.anonymous} by anonymous visitors).`,
    );
    await expect(page.locator('[data-testid="rule-test-examples"] li').count()).resolves.toBe(3);
    await expect(page.locator('[data-testid="rule-test-examples"]').textContent()).resolves.toContain("/pricing");
    // Testing saved nothing; the form still holds the rule.
    expect(await rows("SELECT count(*) AS n FROM rule_set_drafts")).toEqual([{ n: 0 }]);
    expect(await field("points").inputValue()).toBe("12");
    await saveRule("Pricing interest");
  });

  it("builds a form rule and a negative rule; the draft holds all three in order", async () => {
    await openBuilder("engagement");
    await field("label.en").fill("Webinar sign-up");
    await field("label.de").fill("Webinar-Anmeldung");
    await field("match.type").selectOption("form");
    await field("match.name").fill("webinar*");
    await field("points").fill("20");
    await field("caps.once").check();
    await saveRule("Webinar sign-up");

    await openBuilder("engagement");
    await field("label.en").fill("Support seeker");
    await field("match.path").fill("*/support*");
    await field("points").fill("-8");
    await saveRule("Support seeker");

    const [draft] = await rows("SELECT rule_set FROM rule_set_drafts WHERE site_id = ?", [f.siteId]);
    const rules = (JSON.parse(String(draft?.rule_set)) as RuleSet).rules;
    expect(rules.slice(-3)).toEqual([
      {
        id: "pricing-interest",
        kind: "engagement",
        label: { en: "Pricing interest", de: "Pricing interest" },
        points: 12,
        match: { type: "pageview", path: "*/pricing*" },
        caps: { perDay: 1 },
      },
      {
        id: "webinar-sign-up",
        kind: "engagement",
        label: { en: "Webinar sign-up", de: "Webinar-Anmeldung" },
        points: 20,
        match: { type: "form", name: "webinar*" },
        caps: { once: true },
      },
      {
        id: "support-seeker",
        kind: "engagement",
        label: { en: "Support seeker", de: "Support seeker" },
        points: -8,
        match: { path: "*/support*" },
      },
    ]);
    // Reordering in the table moves the rule in the draft.
    await page.goto(`${f.url}/scoring`);
    await page.getByRole("button", { name: "Move up: Support seeker" }).click();
    await eventually(async () => {
      const [d] = await rows("SELECT rule_set FROM rule_set_drafts WHERE site_id = ?", [f.siteId]);
      const ids = (JSON.parse(String(d?.rule_set)) as RuleSet).rules.map((r) => r.id).slice(-2);
      return ids.join() === "support-seeker,webinar-sign-up" ? ids : undefined;
    });
  });

  it("publishes, and events through the collector score under the new rules", async () => {
    await page.goto(`${f.url}/scoring`);
    await page.getByLabel("Note for the change log").fill("builder rules");
    await page.getByRole("button", { name: "Publish" }).click();
    await page.locator('[role="status"]', { hasText: "live: version 2" }).waitFor();
    const [v2] = await rows("SELECT rule_set, note FROM rule_set_versions WHERE site_id = ? AND version = 2", [
      f.siteId,
    ]);
    expect(v2?.note).toBe("builder rules");
    expect(await rows("SELECT version FROM rescore_runs WHERE site_id = ?", [f.siteId])).toEqual([{ version: 2 }]);

    const now = Date.now();
    const event = (n: number, type: string, path: string, extra: Record<string, unknown> = {}) => ({
      id: `evt_builder_${n}`,
      type,
      time: now + n,
      url: `${ORIGIN}${path}`,
      ...extra,
    });
    const response = await fetch(`${collector.url}/e`, {
      method: "POST",
      headers: { "content-type": "text/plain", origin: ORIGIN, "user-agent": VISITOR_USER_AGENT },
      body: JSON.stringify({
        site: SITE_KEY,
        visitor: "v_builder_visitor",
        sentAt: now,
        events: [
          event(1, "pageview", "/en/pricing"),
          event(2, "form", "/webinar", { name: "webinar_spring" }),
          event(3, "pageview", "/help/support/faq"),
        ],
      }),
    });
    expect(response.status).toBe(200);
    const ledger = await eventually(async () => {
      const r = await rows(
        `SELECT rule_id AS rule, rule_version AS v, delta FROM score_ledger
          WHERE visitor_id = 'v_builder_visitor' AND rule_id IN ('pricing-interest', 'webinar-sign-up', 'support-seeker')
          ORDER BY id`,
      );
      return r.length === 3 ? r : undefined;
    }, 30_000);
    expect(ledger).toEqual([
      { rule: "pricing-interest", v: 2, delta: 12 },
      { rule: "webinar-sign-up", v: 2, delta: 20 },
      { rule: "support-seeker", v: 2, delta: -8 },
    ]);
    expect(pageErrors).toEqual([]);
  });

  it("adds a starter rule, opened in the builder; the builder works without JavaScript", async () => {
    await page.goto(`${f.url}/scoring`);
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get("edit") === "free-mail-negative"),
      page.getByRole("button", { name: "+ Free-mail address (negative)" }).click(),
    ]);
    expect(await field("match.emailDomain").inputValue()).toBe("free");
    expect(await field("points").inputValue()).toBe("-5");
    // The server renders the rule being edited into the form, select values included.
    const html = await (await fetch(`${f.url}/scoring?edit=webinar-sign-up`, { headers: { cookie } })).text();
    expect(html).toMatch(/<option value="form" selected/);
    expect(html).toMatch(/name="match\.name" value="webinar\*"/);
    expect(html).toMatch(/name="caps\.once" checked/);
    // Back to the published rules (no draft) for the export below.
    await rows("DELETE FROM rule_set_drafts");
  });

  it("exports the rules as JSON and refuses an invalid import with the field's path", async () => {
    const exported = await fetch(`${f.url}/scoring/export`, { headers: { cookie } });
    expect(exported.headers.get("content-disposition")).toBe('attachment; filename="scoring-dash-site-v2.json"');
    const json = (await exported.json()) as RuleSet;
    expect(json.version).toBe(2);
    expect(json.rules.map((r) => r.id)).toContain("webinar-sign-up");

    await page.goto(`${f.url}/scoring`);
    const broken = { ...json, rules: [{ ...json.rules[0], points: 0 }] };
    await page.locator('textarea[name="json"]').fill(JSON.stringify(broken));
    await page.getByRole("button", { name: "Load into the draft" }).click();
    await expect(page.locator('[data-testid="import-errors"]').textContent()).resolves.toContain("rules[0].points");
    expect(await rows("SELECT count(*) AS n FROM rule_set_drafts")).toEqual([{ n: 0 }]);
    // The same JSON, unchanged, loads as a draft.
    await page.locator('textarea[name="json"]').fill(JSON.stringify(json));
    await page.getByRole("button", { name: "Load into the draft" }).click();
    await page.locator('[role="status"]', { hasText: `${json.rules.length} rules loaded into the draft.` }).waitFor();
    expect(await rows("SELECT count(*) AS n FROM rule_set_drafts")).toEqual([{ n: 1 }]);
  });

  it("Settings offers the admin scope; such a key reads and publishes the rules over the collector's API", async () => {
    const admin = await login(f.url, ADMIN.email, ADMIN.password);
    const settings = await (await fetch(`${f.url}/settings`, { headers: { cookie: admin } })).text();
    expect(settings).toMatch(/name="scopes" value="admin"/);
    expect(settings).toContain("Scoring rules (admin)");
    const created = await sendAction(f.url, "/settings?/createKey", admin, [
      ["name", "rules-in-git"],
      ["site", String(f.siteId)],
      ["scopes", "admin"],
    ]);
    const secret = /lt_[A-Za-z0-9_-]{32}/.exec(await created.text())?.[0];
    expect(secret).toBeDefined();
    const api = (init: RequestInit = {}, query = "") =>
      fetch(`${collector.url}/v1/scoring${query}`, {
        ...init,
        headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
      });
    const current = (await (await api()).json()) as { version: number; ruleSet: RuleSet };
    expect(current.version).toBe(2);
    expect(current.ruleSet.rules.map((r) => r.id)).toContain("support-seeker");
    const put = await api({ method: "PUT", body: JSON.stringify({ mqlThreshold: 40 }) }, "?publish=true");
    expect(await put.json()).toMatchObject({ status: "published", version: 3, ruleSet: { mqlThreshold: 40 } });
    await page.goto(`${f.url}/scoring`);
    await page.locator('[role="status"]', { hasText: "live: version 3" }).waitFor();
  });
});
