// The sales workspace end to end: a lead crosses the MQL threshold through a real collector process
// and is routed to a rep; the rep works it to Closed Won in Chromium; other reps get 404; the CSV
// export is formula-safe; an admin erases a lead; notifications reach the rep.
import { createRoutingPool, createRoutingRule, upsertRoutingRep, withWriteTransaction } from "@leadtrail/db";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, skipBrowserTests } from "../support/browser.ts";
import { eventually, type RunningProcess, startCollector } from "../support/processes.ts";
import { ADMIN, type Fixture, login, ORIGIN, postAction, SITE_KEY, startFixture, USERS } from "./fixture.ts";

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

  async function loginIn(context: BrowserContext, email: string, password: string) {
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
    page.on("pageerror", (e) => consoleErrors.push(`${page.url()}: ${e.message}`));
    page.on("console", (m) => {
      if (m.type() === "error") consoleErrors.push(`${page.url()}: ${m.text()}`);
    });
    return page;
  }

  const one = async (sql: string, args: (string | number)[] = []) =>
    (await f.db.$client.execute({ sql, args })).rows[0] as Record<string, unknown> | undefined;

  beforeAll(async () => {
    f = await startFixture();
    const salesId = f.userIds[USERS.sales.email] as number;
    // Routing as an admin would set it up: one pool with the first rep, one catch-all rule.
    await withWriteTransaction(f.db.$client, async (tx) => {
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
    await loginIn(salesContext, USERS.sales.email, USERS.sales.password);
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

  beforeAll(async () => {
    f = await startFixture();
    collector = await startCollector(f.databaseUrl, { COLLECTOR_JOBS: "0" });
    admin = await login(f.url, ADMIN.email, ADMIN.password);
  }, 120_000);
  afterAll(async () => {
    await collector?.stop();
    await f?.stop();
  });

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

  it("grants a dashboard-made API key a site and scopes, so it works with the REST API", async () => {
    const created = await fetch(`${f.url}/settings?/createKey`, {
      method: "POST",
      headers: {
        origin: f.url,
        cookie: admin,
        accept: "application/json",
        "x-sveltekit-action": "true",
        "content-type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({ name: "crm" }),
    });
    const secret = /lt_[\w-]{20,}/.exec(await created.text())?.[0] ?? "";
    expect(secret).not.toBe("");
    const call = () => fetch(`${collector.url}/v1/leads`, { headers: { authorization: `Bearer ${secret}` } });
    expect((await call()).status).not.toBe(200); // no grant yet
    const keyId = String((await f.db.$client.execute("SELECT id FROM api_keys WHERE name = 'crm'")).rows[0]?.id);
    const grant = { key: keyId, site: String(f.siteId), scopes: "read" };
    expect(await postAction(f.url, "/settings/webhooks?/grantKey", admin, grant)).toBe(200);
    const response = await call();
    expect(response.status).toBe(200);
    const body = (await response.json()) as { leads: { email: string }[] };
    expect(body.leads.map((l) => l.email)).toContain("cto@bigcorp.test");
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
});
