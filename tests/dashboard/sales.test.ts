// The sales workspace end to end: a lead crosses the MQL threshold through a real collector process
// and is routed to a rep; the rep works it to Closed Won in Chromium; other reps get 404; the CSV
// export is formula-safe; an admin erases a lead; notifications reach the rep. Then the admin side:
// routing settings (rule order, pools, out-of-office), API keys with scopes, the webhook delivery log.
import {
  createRoutingPool,
  createRoutingRule,
  createSite,
  upsertRoutingRep,
  withWriteTransaction,
} from "@leadtrail/db";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, skipBrowserTests } from "../support/browser.ts";
import { eventually, type RunningProcess, startCollector } from "../support/processes.ts";
import { startWebhookReceiver, type WebhookReceiver } from "../support/webhook-receiver.ts";
import {
  ADMIN,
  type Fixture,
  login,
  ORIGIN,
  postAction,
  SITE_KEY,
  sendAction,
  startFixture,
  USERS,
} from "./fixture.ts";

const UA =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const HOT_EMAIL = "buyer@hotlead.test";

describe.skipIf(skipBrowserTests)("sales workspace in Chromium", () => {
  let f: Fixture;
  let collector: RunningProcess;
  let browser: Browser;
  let salesContext: BrowserContext;
  let hotLeadId = 0;
  const consoleErrors: string[] = [];
  const cookies = { admin: "", sales: "", sales2: "" };
  let salesLanding = "";

  /** Logs in through the form; returns the path the dashboard sent the user to. */
  async function loginIn(context: BrowserContext, email: string, password: string): Promise<string> {
    const page = await context.newPage();
    await page.goto(`${f.url}/login`);
    await page.getByLabel(/e-mail/i).fill(email);
    await page.getByLabel(/password/i).fill(password);
    await Promise.all([
      page.waitForURL((u) => !u.pathname.startsWith("/login"), { timeout: 60_000 }),
      page.getByRole("button", { name: /log in/i }).click(),
    ]);
    const landed = new URL(page.url()).pathname;
    await page.close();
    return landed;
  }

  async function watched(context: BrowserContext): Promise<Page> {
    const page = await context.newPage();
    page.on("pageerror", (e) => consoleErrors.push(`${page.url()}: ${e.message}`));
    page.on("console", (m) => {
      if (m.type() === "error") consoleErrors.push(`${page.url()}: ${m.text()}`);
    });
    return page;
  }

  const stageOf = (page: Page) => page.locator('[data-testid="lead-stage"]').textContent();
  const one = async (sql: string, args: (string | number)[] = []) =>
    (await f.db.$client.execute({ sql, args })).rows[0] as Record<string, unknown> | undefined;

  beforeAll(async () => {
    f = await startFixture();
    const salesId = f.userIds[USERS.sales.email] as number;
    // Routing as an admin would set it up: one pool with the first rep, one catch-all rule.
    await withWriteTransaction(f.db, async (tx) => {
      const poolId = await createRoutingPool(tx, {
        siteId: f.siteId,
        name: "Inbound",
        slaMinutes: 60,
        repIds: [salesId],
      });
      await upsertRoutingRep(tx, { siteId: f.siteId, userId: salesId });
      await createRoutingRule(tx, { siteId: f.siteId, poolId, name: "everyone" });
    });
    collector = await startCollector(f.databaseUrl, { COLLECTOR_JOBS: "0", GROUP_COMMIT_WAIT_MS: "1" });
    browser = await launchBrowser();
    salesContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    salesLanding = await loginIn(salesContext, USERS.sales.email, USERS.sales.password);
    cookies.admin = await login(f.url, ADMIN.email, ADMIN.password);
    cookies.sales = await login(f.url, USERS.sales.email, USERS.sales.password);
    cookies.sales2 = await login(f.url, USERS.sales2.email, USERS.sales2.password);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await collector?.stop();
    await f?.stop();
  });

  it("routes a lead that crosses the threshold in the collector to the rep, with a notification", async () => {
    const now = Date.now();
    let n = 0;
    const ev = (type: string, path: string, extra: Record<string, unknown> = {}) => ({
      id: `evt_sales_${String(++n).padStart(6, "0")}`,
      type,
      time: now + n,
      url: `${ORIGIN}${path}`,
      ...extra,
    });
    const response = await fetch(`${collector.url}/e`, {
      method: "POST",
      headers: { "content-type": "text/plain", origin: ORIGIN, "user-agent": UA },
      body: JSON.stringify({
        site: SITE_KEY,
        visitor: "v_hot_buyer_1",
        sentAt: now,
        events: [
          ev("pageview", "/pricing", { title: "Pricing" }),
          ev("pageview", "/features", { title: "Features" }),
          ev("form", "/demo", { name: "demo_request", email: HOT_EMAIL, traits: { name: "Hot Buyer" } }),
        ],
      }),
    });
    expect(response.status).toBe(200);
    const lead = await eventually(async () => {
      const row = await one("SELECT id, stage, owner_id FROM leads WHERE email = ?", [HOT_EMAIL]);
      return row && row.stage === "mql" ? row : undefined;
    });
    hotLeadId = Number(lead.id);
    expect(Number(lead.owner_id)).toBe(f.userIds[USERS.sales.email]);
    const note = await one("SELECT count(*) AS n FROM notifications WHERE user_id = ? AND lead_id = ?", [
      f.userIds[USERS.sales.email] as number,
      hotLeadId,
    ]);
    expect(Number(note?.n)).toBe(1);
  });

  it("sends a sales rep to My leads after log-in", () => {
    expect(salesLanding).toBe("/my-leads");
  });

  it("shows the lead in My leads with why it is hot, and the rep works it to Closed Won", async () => {
    const page = await watched(salesContext);
    await page.goto(`${f.url}/my-leads`);
    const row = page.locator(`[data-testid="my-leads"] tr[data-lead-id="${hotLeadId}"]`);
    await expect(row.textContent()).resolves.toContain("Hot Buyer");
    await expect(row.locator(".why").textContent()).resolves.toContain("Requested a demo");
    // The bell counts the routed lead (live, over server-sent events).
    await page.locator('[data-testid="unread-count"]').waitFor({ timeout: 10_000 });
    expect(Number(await page.locator('[data-testid="unread-count"]').textContent())).toBeGreaterThanOrEqual(1);

    await row.getByRole("link").click();
    await page.waitForURL(`**/leads/${hotLeadId}`);
    const stage = page.locator('[data-testid="lead-stage"]');
    await expect(stage.textContent()).resolves.toBe("MQL");
    await page.getByRole("button", { name: "Accept (SAL)" }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid="lead-stage"]')?.textContent === "SAL");
    await page.getByRole("button", { name: "Qualify (SQL)" }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid="lead-stage"]')?.textContent === "SQL");
    await page.getByLabel("Deal value").first().fill("12000");
    await page.getByRole("button", { name: "Won", exact: true }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid="lead-stage"]')?.textContent === "Won");

    const history = await page
      .locator('[data-testid="stage-history"] tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-to")));
    expect(history).toEqual(["mql", "sal", "sql", "won"]);
    const stored = await f.db.$client.execute({
      sql: "SELECT to_stage, actor FROM stage_changes WHERE lead_id = ? ORDER BY at, id",
      args: [hotLeadId],
    });
    expect(stored.rows.map((r) => r.to_stage)).toEqual(["mql", "sal", "sql", "won"]);
    expect(stored.rows.at(-1)?.actor).toBe(`user:${f.userIds[USERS.sales.email]}`);
    await expect(page.locator('[data-testid="timeline"]').textContent()).resolves.toContain("Pricing");
    // The won value is kept on the lead: on its page, in the rep's list and its header, and in the CSV.
    await expect(page.locator('[data-testid="deal-value"]').textContent()).resolves.toBe("12,000");
    expect((await one("SELECT deal_value FROM leads WHERE id = ?", [hotLeadId]))?.deal_value).toBe(12_000);
    await page.goto(`${f.url}/my-leads?stage=won`);
    const wonRow = page.locator(`[data-testid="my-leads"] tr[data-lead-id="${hotLeadId}"]`);
    await expect(wonRow.locator(".deal-value").textContent()).resolves.toBe("12,000");
    await expect(page.locator('[data-testid="won-total"]').textContent()).resolves.toContain(
      "Won value: 12,000 (won leads: 1)",
    );
    const csv = await (
      await fetch(`${f.url}/my-leads/export.csv?stage=won`, { headers: { cookie: cookies.sales } })
    ).text();
    const [header, line] = csv.split("\r\n");
    const cell = (name: string) => line?.split(",")[header?.split(",").indexOf(name) ?? -1];
    expect(cell("id")).toBe(String(hotLeadId));
    expect(cell("deal_value")).toBe("12000");
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  it("answers another rep's request for the lead with 404, page and actions alike", async () => {
    const get = await fetch(`${f.url}/leads/${hotLeadId}`, { headers: { cookie: cookies.sales2 } });
    expect(get.status).toBe(404);
    expect(await postAction(f.url, `/leads/${hotLeadId}?/note`, cookies.sales2, { note: "sneaky" })).toBe(404);
    expect(Number((await one("SELECT count(*) AS n FROM stage_changes WHERE reason = 'sneaky'"))?.n)).toBe(0);
  });

  it("refuses a rejection without a reason and an illegal move, and records a note", async () => {
    const mine = f.leads["cto@bigcorp.test"] as number;
    expect(await postAction(f.url, `/leads/${mine}?/reject`, cookies.sales, { reason: " " })).toBe(400);
    expect(await postAction(f.url, `/leads/${mine}?/win`, cookies.sales, {})).toBe(400);
    expect((await one("SELECT stage FROM leads WHERE id = ?", [mine]))?.stage).toBe("mql");
    expect(await postAction(f.url, `/leads/${mine}?/note`, cookies.sales, { note: "called, back on Monday" })).toBe(
      200,
    );
    const page = await watched(salesContext);
    await page.goto(`${f.url}/leads/${mine}`);
    await expect(page.locator('[data-testid="stage-history"]').textContent()).resolves.toContain(
      "called, back on Monday",
    );
    await page.close();
  });

  it("neutralises spreadsheet formulas in the CSV export", async () => {
    const pool = f.leads["reader@smallco.test"] as number;
    await f.db.$client.execute({ sql: "UPDATE leads SET name = ? WHERE id = ?", args: ['=HYPERLINK("x")', pool] });
    await f.db.$client.execute({
      sql: "UPDATE companies SET name = ? WHERE id = (SELECT company_id FROM leads WHERE id = ?)",
      args: ["+cmd|' /C calc'!A0", pool],
    });
    const response = await fetch(`${f.url}/my-leads/export.csv?owner=`, { headers: { cookie: cookies.sales } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/csv");
    const csv = await response.text();
    expect(csv).toContain("reader@smallco.test");
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
    const cells = csv.split("\r\n").flatMap((line) => line.split(","));
    // Numbers (a negative score) stay numbers; every text cell must not start a formula.
    const texts = cells.filter((c) => !/^-?\d+(\.\d+)?$/.test(c));
    for (const cell of texts) expect(cell.replace(/^"/, "")).not.toMatch(/^[=+\-@]/);
    // Another rep's lead is not in this rep's export.
    expect(csv).not.toContain("head@midcorp.test");
  });

  it("gives a pool lead to the rep who accepts it", async () => {
    const cto = f.leads["cto@bigcorp.test"] as number;
    await f.db.$client.execute({ sql: "UPDATE leads SET owner_id = NULL WHERE id = ?", args: [cto] });
    expect(await postAction(f.url, `/leads/${cto}?/accept`, cookies.sales, {})).toBe(200);
    const row = await one("SELECT stage, owner_id FROM leads WHERE id = ?", [cto]);
    expect(row).toMatchObject({ stage: "sal", owner_id: f.userIds[USERS.sales.email] });
    // Now it is theirs, the other rep cannot see it.
    expect((await fetch(`${f.url}/leads/${cto}`, { headers: { cookie: cookies.sales2 } })).status).toBe(404);
  });

  it("lets a rep take a lead from the pool, once, and an admin move leads in bulk", async () => {
    const pool = f.leads["reader@smallco.test"] as number;
    const page = await watched(salesContext);
    await page.goto(`${f.url}/my-leads`);
    const poolRow = page.locator(`[data-testid="pool"] tr[data-lead-id="${pool}"]`);
    await poolRow.getByRole("button", { name: "Take (assign to me)" }).click();
    await page.locator(`[data-testid="my-leads"] tr[data-lead-id="${pool}"]`).waitFor();
    expect(await poolRow.count()).toBe(0);
    expect(Number((await one("SELECT owner_id FROM leads WHERE id = ?", [pool]))?.owner_id)).toBe(
      f.userIds[USERS.sales.email],
    );
    await page.close();
    // The other rep was a moment too late: the lead is not theirs to take (nor to see) any more.
    expect(await postAction(f.url, "/my-leads?/take", cookies.sales2, { id: String(pool) })).toBe(404);

    const cto = String(f.leads["cto@bigcorp.test"]);
    expect(await postAction(f.url, "/my-leads?/bulk", cookies.admin, { op: "reject", id: cto })).toBe(400);
    expect(await postAction(f.url, "/my-leads?/bulk", cookies.sales, { op: "qualify", id: cto })).toBe(403);
    expect(await postAction(f.url, "/my-leads?/bulk", cookies.admin, { op: "qualify", id: cto })).toBe(200);
    expect((await one("SELECT stage FROM leads WHERE id = ?", [Number(cto)]))?.stage).toBe("sql");
  });

  it("shows an admin the lead's colleagues, score chart and breakdown; closes it lost and reassigns another", async () => {
    // A colleague from the same company (e-mail domain) identifies through the collector.
    const now = Date.now();
    const identify = await fetch(`${collector.url}/e`, {
      method: "POST",
      headers: { "content-type": "text/plain", origin: ORIGIN, "user-agent": UA },
      body: JSON.stringify({
        site: SITE_KEY,
        visitor: "v_bigcorp_cfo",
        sentAt: now,
        events: [{ id: "evt_sales_cfo_1", type: "identify", time: now, url: `${ORIGIN}/`, email: "cfo@bigcorp.test" }],
      }),
    });
    expect(identify.status).toBe(200);
    await eventually(async () => one("SELECT id FROM leads WHERE email = 'cfo@bigcorp.test'"));

    const adminContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await loginIn(adminContext, ADMIN.email, ADMIN.password);
    const page = await watched(adminContext);
    const cto = f.leads["cto@bigcorp.test"] as number;
    await page.goto(`${f.url}/leads/${cto}`);
    await expect(page.locator('[data-testid="colleagues"]').textContent()).resolves.toContain("cfo@bigcorp.test");
    expect(await page.locator("canvas").count()).toBeGreaterThan(0);
    await expect(page.locator('[data-testid="breakdown"]').textContent()).resolves.toContain("Requested a demo");
    // Each entry names the rule version it was scored under (the defaults are version 1).
    const demoEntry = page.locator('[data-testid="breakdown"] tr', { hasText: "Requested a demo" }).locator("li");
    await expect(demoEntry.first().textContent({ timeout: 5000 })).resolves.toContain("rules v1");
    await expect(stageOf(page)).resolves.toBe("SQL");
    const lose = page.locator('form[action="?/lose"]');
    await lose.getByLabel("Reason").fill("no budget this year");
    await lose.getByLabel("Deal value").fill("3000");
    await lose.getByRole("button", { name: "Lost" }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid="lead-stage"]')?.textContent === "Lost");
    await expect(page.locator('[data-testid="deal-value"]').textContent()).resolves.toBe("3,000");
    expect(await one("SELECT stage, deal_value FROM leads WHERE id = ?", [cto])).toEqual({
      stage: "lost",
      deal_value: 3000,
    });
    await expect(page.locator('[data-testid="stage-history"]').textContent()).resolves.toContain("no budget this year");

    const head = f.leads["head@midcorp.test"] as number;
    await page.goto(`${f.url}/leads/${head}`);
    await expect(page.locator('[data-testid="lead-owner"]').textContent()).resolves.toBe(USERS.sales2.email);
    const reassign = page.locator('form[action="?/reassign"]');
    await reassign.getByLabel("Reassign to").selectOption({ label: USERS.sales.email });
    await reassign.getByRole("button").click();
    await page.waitForFunction(
      (email) => document.querySelector('[data-testid="lead-owner"]')?.textContent === email,
      USERS.sales.email,
    );
    expect(Number((await one("SELECT owner_id FROM leads WHERE id = ?", [head]))?.owner_id)).toBe(
      f.userIds[USERS.sales.email],
    );
    expect(consoleErrors).toEqual([]);
    await adminContext.close();
  });

  it("lets an admin export a lead as JSON and erase it after confirming", async () => {
    const target = f.leads["head@midcorp.test"] as number;
    const exported = await fetch(`${f.url}/leads/${target}/export`, { headers: { cookie: cookies.admin } });
    expect(exported.status).toBe(200);
    expect(exported.headers.get("content-disposition")).toContain("attachment");
    expect(await exported.json()).toMatchObject({ format: "leadtrail.lead-export.v1" });
    expect((await fetch(`${f.url}/leads/${target}/export`, { headers: { cookie: cookies.sales2 } })).status).toBe(403);

    expect(await postAction(f.url, `/leads/${target}?/erase`, cookies.admin, { confirm: "wrong@x.test" })).toBe(400);
    expect(await one("SELECT id FROM leads WHERE id = ?", [target])).toBeDefined();
    expect(await postAction(f.url, `/leads/${target}?/erase`, cookies.sales2, { confirm: "head@midcorp.test" })).toBe(
      403,
    );
    expect(await postAction(f.url, `/leads/${target}?/erase`, cookies.admin, { confirm: "head@midcorp.test" })).toBe(
      303,
    );
    expect(await one("SELECT id FROM leads WHERE id = ?", [target])).toBeUndefined();
    expect(Number((await one("SELECT count(*) AS n FROM events WHERE lead_id = ?", [target]))?.n)).toBe(0);
    expect((await fetch(`${f.url}/leads/${target}`, { headers: { cookie: cookies.admin } })).status).toBe(404);
  });

  it("marks notifications read only from the dashboard's own origin", async () => {
    const salesId = f.userIds[USERS.sales.email] as number;
    const unread = async () =>
      Number(
        (await one("SELECT count(*) AS n FROM notifications WHERE user_id = ? AND read_at IS NULL", [salesId]))?.n,
      );
    expect(await unread()).toBeGreaterThan(0);
    const post = (origin: string) =>
      fetch(`${f.url}/api/notifications`, {
        method: "POST",
        headers: { cookie: cookies.sales, origin, "content-type": "application/json" },
        body: JSON.stringify({ all: true }),
      });
    expect((await post("https://evil.example")).status).toBe(403);
    expect(await unread()).toBeGreaterThan(0);
    expect((await post(f.url)).status).toBe(200);
    expect(await unread()).toBe(0);
  });

  it("streams new notifications as server-sent events", async () => {
    const controller = new AbortController();
    const response = await fetch(`${f.url}/api/notifications/stream`, {
      headers: { cookie: cookies.sales },
      signal: controller.signal,
    });
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const salesId = f.userIds[USERS.sales.email] as number;
    await f.db.$client.execute({
      sql: `INSERT INTO notifications (site_id, user_id, kind, lead_id, message, created_at)
            VALUES (?, ?, 'sla_breach', NULL, 'SLA test message', ?)`,
      args: [f.siteId, salesId, Date.now()],
    });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = "";
    const until = Date.now() + 10_000;
    while (!text.includes("SLA test message") && Date.now() < until) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value);
    }
    controller.abort();
    expect(text).toContain("event: notification");
    expect(text).toContain("SLA test message");
  });
});

describe.skipIf(skipBrowserTests)("routing settings, webhooks and API keys", () => {
  let f: Fixture;
  let collector: RunningProcess;
  let admin = "";
  let marketer = "";
  let sales = "";
  let receiver: WebhookReceiver;
  let receiverUrl = "";

  beforeAll(async () => {
    receiver = await startWebhookReceiver("/crm-hook");
    receiver.status = 503;
    receiverUrl = receiver.url;
    f = await startFixture();
    // Jobs on, so the collector delivers webhooks (and retries quickly) as in production.
    collector = await startCollector(f.databaseUrl, {
      WEBHOOK_POLL_MS: "100",
      WEBHOOK_RETRY_BASE_MS: "300",
      SLA_CHECK_INTERVAL_MS: "600000",
    });
    admin = await login(f.url, ADMIN.email, ADMIN.password);
    marketer = await login(f.url, USERS.marketer.email, USERS.marketer.password);
    sales = await login(f.url, USERS.sales.email, USERS.sales.password);
  }, 120_000);
  afterAll(async () => {
    await collector?.stop();
    await receiver?.close();
    await f?.stop();
  });

  const rows = async (sql: string, args: (string | number)[] = []) =>
    (await f.db.$client.execute({ sql, args })).rows as Record<string, unknown>[];
  const routingHtml = async () => (await fetch(`${f.url}/settings/routing`, { headers: { cookie: admin } })).text();

  it("saves pools, reps and rules, and previews where a lead would go without changing it", async () => {
    const salesId = String(f.userIds[USERS.sales.email]);
    expect(
      await postAction(f.url, "/settings/routing?/addPool", admin, { name: "DACH", sla: "15", members: salesId }),
    ).toBe(200);
    const badHours = { user: salesId, weight: "2", capacity: "10", timeZone: "Europe/Berlin", hours: "mon 9-5" };
    expect(await postAction(f.url, "/settings/routing?/saveRep", admin, badHours)).toBe(400);
    const rep = { ...badHours, hours: "mon-sun 00:00-24:00", active: "on" };
    expect(await postAction(f.url, "/settings/routing?/saveRep", admin, rep)).toBe(200);
    const pool = await f.db.$client.execute("SELECT id FROM routing_pools WHERE name = 'DACH'");
    const poolId = String(pool.rows[0]?.id);
    expect(await postAction(f.url, "/settings/routing?/addRule", admin, { name: "all", pool: poolId })).toBe(200);
    const stored = (await f.db.$client.execute("SELECT weight, time_zone, working_hours FROM routing_reps")).rows[0];
    expect(stored).toMatchObject({ weight: 2, time_zone: "Europe/Berlin" });
    expect(JSON.parse(String(stored?.working_hours)).sun).toEqual([{ start: "00:00", end: "24:00" }]);

    const lead = f.leads["reader@smallco.test"] as number;
    const page = await (await fetch(`${f.url}/settings/routing?lead=${lead}`, { headers: { cookie: admin } })).text();
    expect(page).toContain(`Would go to: ${USERS.sales.email}`);
    // A preview stores nothing.
    const assignments = await f.db.$client.execute({
      sql: "SELECT count(*) AS n FROM lead_assignments WHERE lead_id = ?",
      args: [lead],
    });
    expect(Number(assignments.rows[0]?.n)).toBe(0);
  });

  it("reorders, turns off and deletes rules, and will not delete a pool that rules still use", async () => {
    const route = (action: string, fields: Record<string, string>, cookie = admin) =>
      postAction(f.url, `/settings/routing?/${action}`, cookie, fields);
    // A second pool with the other rep, so which rule wins shows in where a lead would go.
    const sales2 = String(f.userIds[USERS.sales2.email]);
    expect(await route("addPool", { name: "Enterprise", members: sales2 })).toBe(200);
    expect(await route("saveRep", { user: sales2, weight: "1", capacity: "50", timeZone: "UTC", active: "on" })).toBe(
      200,
    );
    const poolId = String((await rows("SELECT id FROM routing_pools WHERE name = 'Enterprise'"))[0]?.id);
    for (const name of ["big-a", "big-b"]) expect(await route("addRule", { name, pool: poolId })).toBe(200);
    const order = async () => (await rows("SELECT name FROM routing_rules ORDER BY position, id")).map((r) => r.name);
    const ruleId = async (name: string) =>
      String((await rows("SELECT id FROM routing_rules WHERE name = ?", [name]))[0]?.id);
    expect(await order()).toEqual(["all", "big-a", "big-b"]);

    expect(await route("moveRule", { rule: await ruleId("big-b"), direction: "up" })).toBe(200);
    expect(await order()).toEqual(["all", "big-b", "big-a"]);
    expect(await route("moveRule", { rule: await ruleId("all"), direction: "up" })).toBe(200); // first stays first
    expect(await order()).toEqual(["all", "big-b", "big-a"]);
    expect(await route("moveRule", { rule: await ruleId("all"), direction: "down" })).toBe(200);
    expect(await order()).toEqual(["big-b", "all", "big-a"]);
    // The page lists the rules in the order routing tries them.
    const listed = [...(await routingHtml()).matchAll(/data-rule-id="(\d+)"/g)].map((m) => m[1]);
    expect(listed).toEqual([await ruleId("big-b"), await ruleId("all"), await ruleId("big-a")]);

    // "big-b" now comes first and matches everyone: the lead would go to its pool's rep.
    const lead = f.leads["reader@smallco.test"] as number;
    const preview = async () =>
      (await fetch(`${f.url}/settings/routing?lead=${lead}`, { headers: { cookie: admin } })).text();
    const toRep = `Would go to: ${USERS.sales.email}`;
    expect(await preview()).toContain(`Would go to: ${USERS.sales2.email}`);
    // A disabled rule routes nothing: the lead goes on to the next rule, "all", and its rep.
    expect(await route("setRuleEnabled", { rule: await ruleId("big-b"), enabled: "false" })).toBe(200);
    expect((await rows("SELECT enabled FROM routing_rules WHERE name = 'big-b'"))[0]?.enabled).toBe(0);
    expect(await preview()).toContain(toRep);
    expect(await route("setRuleEnabled", { rule: await ruleId("big-b"), enabled: "true" })).toBe(200);
    expect((await rows("SELECT enabled FROM routing_rules WHERE name = 'big-b'"))[0]?.enabled).toBe(1);

    // Bad input: a clear 400 and nothing changed.
    expect(await route("moveRule", { rule: await ruleId("all"), direction: "sideways" })).toBe(400);
    expect(await route("setRuleEnabled", { rule: await ruleId("all"), enabled: "maybe" })).toBe(400);
    expect(await route("deleteRule", { rule: "abc" })).toBe(400);
    expect(await order()).toEqual(["big-b", "all", "big-a"]);

    // The pool still receives leads from two rules: refused, naming them, and nothing is deleted.
    const refused = await sendAction(f.url, "/settings/routing?/deletePool", admin, { pool: poolId });
    const answer = (await refused.json()) as { type: string; status: number; data: string };
    expect(answer).toMatchObject({ type: "failure", status: 400 });
    expect(answer.data).toContain("routing.poolInUse");
    expect(answer.data).toContain("big-b");
    expect(await rows("SELECT id FROM routing_pools WHERE id = ?", [poolId])).toHaveLength(1);

    for (const name of ["big-a", "big-b"]) expect(await route("deleteRule", { rule: await ruleId(name) })).toBe(200);
    expect(await order()).toEqual(["all"]);
    expect(await route("deletePool", { pool: poolId })).toBe(200);
    expect(await rows("SELECT id FROM routing_pools WHERE id = ?", [poolId])).toEqual([]);
    expect(await route("deletePool", { pool: poolId })).toBe(404); // gone
  });

  it("lets only admins change routing, and answers 404 for another site's rule or pool", async () => {
    const other = await createSite(f.db, { publicKey: "other-site", name: "Other", domains: ["other.test"] });
    const { poolId, ruleId } = await withWriteTransaction(f.db, async (tx) => {
      const pool = await createRoutingPool(tx, { siteId: other.id, name: "Elsewhere" });
      return { poolId: pool, ruleId: await createRoutingRule(tx, { siteId: other.id, poolId: pool, name: "theirs" }) };
    });
    const mine = String((await rows("SELECT id FROM routing_rules WHERE name = 'all'"))[0]?.id);
    const cases: [string, Record<string, string>][] = [
      ["moveRule", { rule: mine, direction: "down" }],
      ["setRuleEnabled", { rule: mine, enabled: "false" }],
      ["deleteRule", { rule: mine }],
      ["deletePool", { pool: String(poolId) }],
      ["addAway", { user: String(f.userIds[USERS.sales.email]), awayFrom: "2099-01-01", awayUntil: "2099-01-02" }],
    ];
    for (const [action, fields] of cases) {
      for (const cookie of [marketer, sales]) {
        expect(await postAction(f.url, `/settings/routing?/${action}`, cookie, fields), action).toBe(403);
      }
    }
    // The settings act on the site chosen in the URL (the first by default): the other site's rows are not found.
    expect(await postAction(f.url, "/settings/routing?/deleteRule", admin, { rule: String(ruleId) })).toBe(404);
    expect(await postAction(f.url, "/settings/routing?/deletePool", admin, { pool: String(poolId) })).toBe(404);
    expect(
      await postAction(f.url, "/settings/routing?/setRuleEnabled", admin, { rule: String(ruleId), enabled: "false" }),
    ).toBe(404);
    expect(await rows("SELECT enabled FROM routing_rules WHERE id = ?", [ruleId])).toEqual([{ enabled: 1 }]);
    expect(await rows("SELECT enabled FROM routing_rules WHERE id = ?", [mine])).toEqual([{ enabled: 1 }]);
  });

  it("plans several out-of-office periods per rep, removes one, and shows open leads against capacity", async () => {
    const user = String(f.userIds[USERS.sales.email]);
    const away = (fields: Record<string, string>) =>
      postAction(f.url, "/settings/routing?/addAway", admin, { user, ...fields });
    const stored = async () =>
      JSON.parse(
        String((await rows("SELECT out_of_office FROM routing_reps WHERE user_id = ?", [user]))[0]?.out_of_office),
      );
    expect(await away({ awayFrom: "2099-03-01", awayUntil: "2099-03-05", note: "holiday" })).toBe(200);
    expect(await away({ awayFrom: "2099-01-10", awayUntil: "2099-01-10" })).toBe(200);
    expect(await away({ awayFrom: "2099-02-02", awayUntil: "2099-02-01" })).toBe(400); // ends before it starts
    expect(await away({ awayFrom: "2000-01-01", awayUntil: "2000-01-02" })).toBe(400); // already over
    expect(await away({ awayFrom: "soon", awayUntil: "2099-01-01" })).toBe(400);
    // Someone not set up as a rep has no periods to plan yet.
    const marketerId = String(f.userIds[USERS.marketer.email]);
    expect(
      await postAction(f.url, "/settings/routing?/addAway", admin, {
        user: marketerId,
        awayFrom: "2099-01-01",
        awayUntil: "2099-01-02",
      }),
    ).toBe(400);
    const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
    expect(await stored()).toEqual([
      { from: day("2099-01-10"), until: day("2099-01-11") },
      { from: day("2099-03-01"), until: day("2099-03-06"), note: "holiday" },
    ]);
    // Saving the rep's other settings keeps the periods.
    const rep = { user, weight: "2", capacity: "10", timeZone: "Europe/Berlin", hours: "", active: "on" };
    expect(await postAction(f.url, "/settings/routing?/saveRep", admin, rep)).toBe(200);
    expect(await stored()).toHaveLength(2);

    const html = await routingHtml();
    const block = html.slice(html.indexOf(`data-user-id="${user}"`));
    expect(block).toContain("holiday");
    // Every rep's load: the leads they hold open against their capacity.
    const open = Number(
      (await rows("SELECT count(*) AS n FROM lead_assignments WHERE rep_id = ? AND closed_at IS NULL", [user]))[0]?.n,
    );
    expect(block).toMatch(new RegExp(`data-testid="rep-load"[^>]*>\\s*${open} of 10 open leads`));

    const first = (await stored())[0] as { from: number; until: number };
    const remove = { user, from: String(first.from), until: String(first.until) };
    expect(await postAction(f.url, "/settings/routing?/removeAway", admin, remove)).toBe(200);
    expect(await stored()).toEqual([{ from: day("2099-03-01"), until: day("2099-03-06"), note: "holiday" }]);
    expect(await postAction(f.url, "/settings/routing?/removeAway", admin, remove)).toBe(404); // already removed
  });

  it("creates an API key with its site and scopes, lists them, and the REST API honours them", async () => {
    const create = async (fields: [string, string][]) => {
      const response = await sendAction(f.url, "/settings?/createKey", admin, fields);
      return /lt_[\w-]{20,}/.exec(await response.text())?.[0] ?? "";
    };
    const site = String(f.siteId);
    // No scope, or a site that does not exist: refused, and no key is made.
    expect(
      await create([
        ["name", "none"],
        ["site", site],
      ]),
    ).toBe("");
    expect(
      await create([
        ["name", "nowhere"],
        ["site", "9999"],
        ["scopes", "read"],
      ]),
    ).toBe("");
    expect(await rows("SELECT id FROM api_keys WHERE name IN ('none', 'nowhere')")).toEqual([]);
    expect(await postAction(f.url, "/settings?/createKey", marketer, { name: "x", site, scopes: "read" })).toBe(403);

    const reader = await create([
      ["name", "crm-read"],
      ["site", site],
      ["scopes", "read"],
    ]);
    const writer = await create([
      ["name", "crm-write"],
      ["site", site],
      ["scopes", "read"],
      ["scopes", "write"],
    ]);
    expect(reader).not.toBe("");
    expect(writer).not.toBe("");
    const settings = await (await fetch(`${f.url}/settings`, { headers: { cookie: admin } })).text();
    const keyRow = (name: string) => {
      const at = settings.indexOf(`<td>${name}</td>`);
      return settings.slice(at, settings.indexOf("</tr>", at));
    };
    expect(keyRow("crm-read")).toContain("Read leads");
    expect(keyRow("crm-read")).not.toContain("Change stages");
    expect(keyRow("crm-write")).toContain("Read leads, Change stages");
    expect(settings).not.toContain(reader); // the secret is shown once, on creation only

    const api = (path: string, secret: string, init: RequestInit = {}) =>
      fetch(`${collector.url}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
      });
    // Works at once, without another stop in the webhooks settings.
    const listed = await api("/v1/leads", reader);
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as { leads: { email: string }[] }).leads.map((l) => l.email)).toContain(
      "cto@bigcorp.test",
    );
    const lead = f.leads["cto@bigcorp.test"] as number;
    const accept = { method: "POST", body: JSON.stringify({ action: "accept" }) };
    expect((await api(`/v1/leads/${lead}/stage`, reader, accept)).status).toBe(403);
    expect((await rows("SELECT stage FROM leads WHERE id = ?", [lead]))[0]?.stage).toBe("mql");
    expect((await api(`/v1/leads/${lead}/stage`, writer, accept)).status).toBe(200);
    expect((await rows("SELECT stage FROM leads WHERE id = ?", [lead]))[0]?.stage).toBe("sal");

    const readerId = String((await rows("SELECT id FROM api_keys WHERE name = 'crm-read'"))[0]?.id);
    expect(await postAction(f.url, "/settings?/revokeKey", admin, { id: readerId })).toBe(200);
    expect((await api("/v1/leads", reader)).status).toBe(401);
  });

  it("refuses webhook URLs that are not http(s) and lists an endpoint without its secret", async () => {
    expect(
      await postAction(f.url, "/settings/webhooks?/addEndpoint", admin, { url: "ftp://x.test/", events: "lead.mql" }),
    ).toBe(400);
    expect(
      await postAction(f.url, "/settings/webhooks?/addEndpoint", admin, {
        url: "https://crm.example.test/hook",
        events: "lead.stage_changed",
      }),
    ).toBe(200);
    const html = await (await fetch(`${f.url}/settings/webhooks`, { headers: { cookie: admin } })).text();
    expect(html).toContain("https://crm.example.test/hook");
    expect(html).not.toContain("whsec_"); // the secret is shown once, on creation only
  });

  it("shows a webhook delivered to a real receiver in the delivery log, and a failed delivery's retry", async () => {
    expect(
      await postAction(f.url, "/settings/webhooks?/addEndpoint", admin, {
        url: receiverUrl,
        events: "lead.stage_changed",
      }),
    ).toBe(200);
    const lead = f.leads["head@midcorp.test"] as number;
    // Earlier tests delivered to this receiver too (and their retries may still run): look only at
    // this lead's change to SAL, never at "the first row" or "the last hook".
    const delivery = async () =>
      (
        await rows(
          `SELECT d.id, d.status, d.attempts, d.response_code FROM webhook_deliveries d
           JOIN webhook_endpoints e ON e.id = d.endpoint_id JOIN outbox o ON o.id = d.outbox_id
           WHERE e.url = ? AND o.lead_id = ? AND d.event_type = 'lead.stage_changed'
             AND json_extract(o.payload, '$.data.to') = 'sal'
           ORDER BY d.id DESC`,
          [receiverUrl, lead],
        )
      )[0];
    const hooksOfLead = () =>
      receiver.hooks.filter((h) => {
        const body = JSON.parse(h.body || "{}") as { type?: string; data?: { lead?: { id?: number }; to?: string } };
        return body.type === "lead.stage_changed" && body.data?.lead?.id === lead && body.data.to === "sal";
      });
    const before = hooksOfLead().length;
    // The receiver is down (503): the first attempt fails and a retry is scheduled.
    receiver.status = 503;
    expect(await postAction(f.url, `/leads/${lead}?/accept`, admin, {})).toBe(200);
    const failed = await eventually(async () => {
      const row = await delivery();
      return row && Number(row.attempts) >= 1 ? row : undefined;
    });
    expect(hooksOfLead().length).toBeGreaterThan(before);
    expect(failed).toMatchObject({ status: "pending", response_code: 503 });
    const logRow = async (id: unknown) => {
      const html = await (await fetch(`${f.url}/settings/webhooks`, { headers: { cookie: admin } })).text();
      const at = html.indexOf(`data-delivery-id="${id}"`);
      expect(at).toBeGreaterThan(-1);
      return html.slice(at, html.indexOf("</tr>", at));
    };
    const pending = await logRow(failed.id);
    expect(pending).toContain(receiverUrl);
    expect(pending).toContain("lead.stage_changed");
    expect(pending).toContain("Pending");
    expect(pending).toMatch(/class="response[^"]*">503</);
    expect(pending).not.toMatch(/class="next[^"]*">–</); // the time of the next attempt is shown

    // The receiver is back: the retry delivers it, and the log says so.
    receiver.status = 204;
    const delivered = await eventually(async () => {
      const row = await delivery();
      return row?.status === "delivered" ? row : undefined;
    });
    expect(Number(delivered.attempts)).toBeGreaterThanOrEqual(2);
    expect(delivered.response_code).toBe(204);
    const done = await logRow(delivered.id);
    expect(done).toContain("Delivered");
    expect(done).toMatch(new RegExp(`class="num attempts[^"]*">${delivered.attempts}<`));
    expect(done).toMatch(/class="response[^"]*">204</);
    const body = JSON.parse(hooksOfLead().at(-1)?.body ?? "{}");
    expect(body).toMatchObject({ type: "lead.stage_changed", data: { lead: { id: lead }, to: "sal" } });
  });
});
