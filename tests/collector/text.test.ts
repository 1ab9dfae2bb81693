// Issue #13, defect 1 as it showed in production: one event with a lone UTF-16 surrogate in its title,
// sent to the running collector, was stored as invalid UTF-8, and opening the visitors page then
// aborted the dashboard process — after every restart. Also: a body nested 100,000 deep is a 400 and
// the collector keeps answering. Real processes (the built collector and dashboard) on one database.
import { createDb, createSite, migrate } from "@leadtrail/db";
import { afterEach, describe, expect, it } from "vitest";
import { login } from "../dashboard/fixture.ts";
import { type RunningProcess, startCollector, startDashboard, tempDatabase } from "../support/processes.ts";

const UA =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const ADMIN = { ADMIN_EMAIL: "admin@acme.test", ADMIN_PASSWORD: "admin-password-1" };
const PAGES = ["/", "/visitors", "/behaviour", "/content", "/funnel", "/leads", "/my-leads", "/campaigns", "/scoring"];

const running: RunningProcess[] = [];
const cleanups: (() => void)[] = [];
afterEach(async () => {
  for (const p of running.splice(0)) await p.stop();
  for (const c of cleanups.splice(0)) c();
});

async function database() {
  const temp = tempDatabase();
  cleanups.push(temp.remove);
  const db = await createDb({ url: temp.url });
  await migrate(db.$client);
  await createSite(db, { publicKey: "text-site", name: "Acme", domains: ["acme.test"] });
  return { url: temp.url, db };
}

/** Opens every analytics and sales page as the admin: each must answer 200 with the process alive. */
async function openPages(dashboard: RunningProcess): Promise<Record<string, number>> {
  const cookie = await login(dashboard.url, ADMIN.ADMIN_EMAIL, ADMIN.ADMIN_PASSWORD);
  const statuses: Record<string, number> = {};
  for (const path of PAGES) {
    const res = await fetch(`${dashboard.url}${path}`, { headers: { cookie } });
    statuses[path] = res.status;
    await res.text();
  }
  return statuses;
}

const allOk = Object.fromEntries(PAGES.map((p) => [p, 200]));

describe("lone surrogates against the running apps", { timeout: 180_000 }, () => {
  it("a title `\\ud800x` sent to the collector does not take the dashboard down", async () => {
    const { url } = await database();
    const collector = await startCollector(url);
    running.push(collector);
    const event = `{"id":"evt_lone_0001","type":"pageview","time":${Date.now()},"url":"https://acme.test/p","title":"\\ud800x","referrer":"https://ref.test/\\udc00","props":{"\\ud800":"\\udfff"}}`;
    const sent = await fetch(`${collector.url}/e`, {
      method: "POST",
      headers: { "content-type": "text/plain", origin: "https://acme.test", "user-agent": UA },
      body: `{"site":"text-site","visitor":"visitor_lone_1","sentAt":${Date.now()},"events":[${event}]}`,
    });
    expect(sent.status).toBe(200);

    const dashboard = await startDashboard(url, ADMIN);
    running.push(dashboard);
    expect(await openPages(dashboard)).toEqual(allOk);
    const cookie = await login(dashboard.url, ADMIN.ADMIN_EMAIL, ADMIN.ADMIN_PASSWORD);
    const visitors = await (await fetch(`${dashboard.url}/visitors`, { headers: { cookie } })).text();
    expect(visitors).toContain("\ufffdx");
    // The dashboard's own JSON endpoints bound depth before parsing (hooks.server.ts → well-formed.ts):
    // refused as unparsable, not parsed and then found to be the wrong shape.
    const deep = await fetch(`${dashboard.url}/api/notifications`, {
      method: "POST",
      headers: { cookie, origin: dashboard.url, "content-type": "application/json" },
      body: `{"ids":${"[".repeat(100_000)}${"]".repeat(100_000)}}`,
    });
    expect(deep.status).toBe(400);
    expect(await deep.json()).toEqual({ error: { code: "bad_request", message: "expected JSON" } });
    expect(dashboard.child.exitCode).toBeNull();
    expect(collector.child.exitCode).toBeNull();
  });

  it("a database that already holds such a row is repaired when the dashboard starts", async () => {
    const { url, db } = await database();
    // What the old write path stored: json_each decodes the escape into the bytes ED A0 80.
    await db.$client.execute({
      sql: `INSERT INTO events (site_id, client_id, visitor_id, type, url, path, title, received_at)
            SELECT 1, 'evt_old_0001', 'visitor_old_1', 'pageview', 'https://acme.test/p', '/p', value, ? FROM json_each(?)`,
      args: [Date.now(), String.raw`["\ud800x"]`],
    });
    await db.$client.execute(
      `INSERT INTO visitors (site_id, id, first_seen_at, last_seen_at) VALUES (1, 'visitor_old_1', ${Date.now()}, ${Date.now()})`,
    );
    await db.$client.execute("DELETE FROM maintenance_tasks"); // a database from before the repair existed
    const bad = await db.$client.execute("SELECT hex(title) AS h FROM events");
    expect(bad.rows[0]?.h).toBe("EDA08078");
    db.$client.close();

    const dashboard = await startDashboard(url, ADMIN);
    running.push(dashboard);
    expect(await openPages(dashboard)).toEqual(allOk);
    expect(dashboard.child.exitCode).toBeNull();
    expect(dashboard.output()).toContain("rewrote 1 stored text value");
  });
});

describe("deep JSON against the running collector", { timeout: 120_000 }, () => {
  it.each([10_000, 100_000])("answers 400 to a batch nested %i deep and stores the next one", async (depth) => {
    const { url, db } = await database();
    const collector = await startCollector(url);
    running.push(collector);
    const post = (props: string) =>
      fetch(`${collector.url}/e`, {
        method: "POST",
        headers: { "content-type": "text/plain", origin: "https://acme.test", "user-agent": UA },
        body: `{"site":"text-site","visitor":"visitor_deep_1","sentAt":${Date.now()},"events":[{"id":"evt_deep_${depth}","type":"pageview","time":${Date.now()},"url":"https://acme.test/","props":{"p":${props}}}]}`,
      });
    const deep = await post(`${"[".repeat(depth)}${"]".repeat(depth)}`);
    expect(deep.status).toBe(400);
    expect(await deep.json()).toEqual({
      error: { code: "bad_request", message: "body is nested deeper than 16 levels" },
    });
    expect((await post('"fine"')).status).toBe(200);
    expect(collector.child.exitCode).toBeNull();
    const stored = await db.$client.execute("SELECT count(*) AS n FROM events");
    expect(Number(stored.rows[0]?.n)).toBe(1);
    db.$client.close();
  });
});
