// Accounts, roles and CSRF over plain HTTP against the built dashboard: the role × route × action
// matrix, records another rep owns, log-in rate limit, log-out revocation, and first-run setup.
import { defaultRuleSet } from "@leadtrail/scoring";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDashboard, tempDatabase } from "../support/processes.ts";
import {
  ADMIN,
  acceptLink,
  addUser,
  type Fixture,
  linkIn,
  login,
  postAction,
  sendAction,
  startFixture,
  USERS,
} from "./fixture.ts";

type Who = "anonymous" | "admin" | "marketer" | "sales";
const WHO: Who[] = ["anonymous", "admin", "marketer", "sales"];

// Expected status per role for every page and endpoint (303 = sent to log-in).
const ROUTES: [string, Record<Who, number>][] = [
  ["/", { anonymous: 303, admin: 200, marketer: 200, sales: 303 }],
  ["/behaviour", { anonymous: 303, admin: 200, marketer: 200, sales: 403 }],
  ["/content", { anonymous: 303, admin: 200, marketer: 200, sales: 403 }],
  ["/content?path=%2Fpricing", { anonymous: 303, admin: 200, marketer: 200, sales: 403 }],
  ["/funnel?cohort=campaign", { anonymous: 303, admin: 200, marketer: 200, sales: 403 }],
  ["/visitors", { anonymous: 303, admin: 200, marketer: 200, sales: 403 }],
  ["/campaigns", { anonymous: 303, admin: 200, marketer: 200, sales: 403 }],
  ["/campaigns/1", { anonymous: 303, admin: 200, marketer: 200, sales: 403 }],
  ["/campaigns/999999", { anonymous: 303, admin: 404, marketer: 404, sales: 403 }],
  ["/campaigns/1/links/1/qr.svg", { anonymous: 303, admin: 200, marketer: 200, sales: 403 }],
  ["/campaigns/1/links/1/qr.png", { anonymous: 303, admin: 200, marketer: 200, sales: 403 }],
  ["/campaigns/1/links/999/qr.png", { anonymous: 303, admin: 404, marketer: 404, sales: 403 }],
  ["/scoring", { anonymous: 303, admin: 200, marketer: 200, sales: 403 }],
  // Personas and nurture tracks: sales reads them (read-only), marketing and admins edit.
  ["/personas", { anonymous: 303, admin: 200, marketer: 200, sales: 200 }],
  ["/nurture", { anonymous: 303, admin: 200, marketer: 200, sales: 200 }],
  ["/leads", { anonymous: 303, admin: 200, marketer: 200, sales: 200 }],
  ["/leads/import", { anonymous: 303, admin: 200, marketer: 200, sales: 403 }],
  ["/settings", { anonymous: 303, admin: 200, marketer: 403, sales: 403 }],
  ["/api/me", { anonymous: 401, admin: 200, marketer: 200, sales: 200 }],
  ["/my-leads", { anonymous: 303, admin: 200, marketer: 200, sales: 200 }],
  ["/my-leads?owner=pool&stage=lead&minScore=1", { anonymous: 303, admin: 200, marketer: 200, sales: 200 }],
  ["/my-leads/export.csv", { anonymous: 303, admin: 200, marketer: 200, sales: 200 }],
  ["/notifications", { anonymous: 303, admin: 200, marketer: 200, sales: 200 }],
  ["/settings/routing", { anonymous: 303, admin: 200, marketer: 403, sales: 403 }],
  ["/settings/routing?lead=1", { anonymous: 303, admin: 200, marketer: 403, sales: 403 }],
  ["/settings/webhooks", { anonymous: 303, admin: 200, marketer: 403, sales: 403 }],
  ["/login", { anonymous: 200, admin: 303, marketer: 303, sales: 303 }],
];

// State-changing actions: who may, and a probe that tells whether the change happened.
interface ActionCase {
  name: string;
  /** The action's URL; a function for actions on a fixture record. */
  path: string | ((f: Fixture) => string);
  fields: (who: Who, f: Fixture) => Record<string, string>;
  allowed: Who[];
  /** Rows that exist after the action for this role (counted to prove a refusal wrote nothing). */
  written: (f: Fixture, who: Who) => Promise<number>;
}
const BASIS_BY: Record<Who, string> = {
  anonymous: "consent",
  admin: "contract",
  marketer: "legitimate_interest",
  sales: "consent",
};
const count = async (f: Fixture, sql: string, args: (string | number)[] = []) =>
  Number((await f.db.$client.execute({ sql, args })).rows[0]?.n ?? 0);
const ACTIONS: ActionCase[] = [
  {
    // Everyone sets their own e-mail notifications (an unchecked box turns them off).
    name: "turn notification e-mails off",
    path: "/notifications?/preferences",
    fields: () => ({}),
    allowed: ["admin", "marketer", "sales"],
    written: (f, who) =>
      count(f, "SELECT count(*) AS n FROM notification_preferences WHERE user_id = ? AND email = 0", [actorId(f, who)]),
  },
  {
    name: "add a site",
    path: "/settings?/addSite",
    fields: (who) => ({ name: `site by ${who}`, domains: `${who}.example.test` }),
    allowed: ["admin"],
    written: (f, who) => count(f, "SELECT count(*) AS n FROM sites WHERE name = ?", [`site by ${who}`]),
  },
  {
    name: "add a user",
    path: "/settings?/addUser",
    fields: (who) => ({ email: `new-${who}@acme.test`, role: "admin" }),
    allowed: ["admin"],
    written: (f, who) => count(f, "SELECT count(*) AS n FROM users WHERE email = ?", [`new-${who}@acme.test`]),
  },
  {
    name: "create an API key",
    path: "/settings?/createKey",
    fields: (who, f) => ({ name: `key by ${who}`, site: String(f.siteId), scopes: "read" }),
    allowed: ["admin"],
    written: (f, who) => count(f, "SELECT count(*) AS n FROM api_keys WHERE name = ?", [`key by ${who}`]),
  },
  {
    name: "create a campaign",
    path: "/campaigns?/create",
    fields: (who) => ({ name: `campaign by ${who}`, utmCampaign: `c-${who}`, mqlGoal: "3" }),
    allowed: ["admin", "marketer"],
    written: (f, who) => count(f, "SELECT count(*) AS n FROM campaigns WHERE name = ?", [`campaign by ${who}`]),
  },
  {
    name: "create a tracked link",
    path: "/campaigns/1?/createLink",
    fields: (who) => ({ kind: "qr", target: "/pricing", source: "poster", medium: "qr", code: `m-${who}` }),
    allowed: ["admin", "marketer"],
    written: (f, who) => count(f, "SELECT count(*) AS n FROM links WHERE code = ?", [`m-${who}`]),
  },
  {
    // Each role records a different basis, so each allowed one leaves its own note.
    name: "record a lead's legal basis",
    path: (f) => `/leads/${f.leads["reader@smallco.test"]}?/acquisition`,
    fields: (who) => ({ acquisition: "cold", legalBasis: BASIS_BY[who] }),
    allowed: ["admin", "marketer", "sales"],
    written: (f, who) =>
      count(f, "SELECT count(*) AS n FROM stage_changes WHERE actor = ? AND reason LIKE ?", [
        `user:${actorId(f, who)}`,
        `%legal basis: ${BASIS_BY[who]}`,
      ]),
  },
  {
    name: "create a persona",
    path: "/personas?/save",
    fields: (who) => ({ name: `persona by ${who}`, roles: "cto", enabled: "on" }),
    allowed: ["admin", "marketer"],
    written: (f, who) => count(f, "SELECT count(*) AS n FROM personas WHERE name = ?", [`persona by ${who}`]),
  },
  {
    name: "add nurture content",
    path: "/nurture?/saveItem",
    fields: (who) => ({ key: `item-${who}`, kind: "blog", topics: "security", match: `/blog/${who}` }),
    allowed: ["admin", "marketer"],
    written: (f, who) => count(f, "SELECT count(*) AS n FROM content_items WHERE key = ?", [`item-${who}`]),
  },
  {
    name: "save a scoring draft",
    path: "/scoring?/saveDraft",
    fields: () => ({
      mqlThreshold: "40",
      halfLifeDays: "30",
      ...Object.fromEntries(
        defaultRuleSet.rules.flatMap((r) => [
          [`points:${r.id}`, String(r.points)],
          [`enabled:${r.id}`, "on"],
        ]),
      ),
    }),
    allowed: ["admin", "marketer"],
    written: (f, who) => {
      const email = who === "admin" ? ADMIN.email : who === "anonymous" ? "" : USERS[who].email;
      return count(f, "SELECT count(*) AS n FROM rule_set_drafts WHERE updated_by = ?", [f.userIds[email] ?? -1]);
    },
  },
  {
    // The unassigned pool lead: every rep and admin may see it; marketers only read leads.
    name: "add a note to a lead",
    path: (f) => `/leads/${f.leads["reader@smallco.test"]}?/note`,
    fields: (who) => ({ note: `note by ${who}` }),
    allowed: ["admin", "sales"],
    written: (f, who) => count(f, "SELECT count(*) AS n FROM stage_changes WHERE reason = ?", [`note by ${who}`]),
  },
  {
    name: "reassign a lead",
    path: (f) => `/leads/${f.leads["head@midcorp.test"]}?/reassign`,
    fields: (_who, f) => ({ rep: String(f.userIds[USERS.sales2.email]) }),
    allowed: ["admin"],
    written: (f, who) =>
      count(f, "SELECT count(*) AS n FROM stage_changes WHERE actor = ? AND reason LIKE 'reassigned%'", [
        `user:${actorId(f, who)}`,
      ]),
  },
  {
    name: "bulk-assign leads",
    path: "/my-leads?/bulk",
    fields: (_who, f) => ({
      op: "assign",
      rep: String(f.userIds[ADMIN.email]),
      id: String(f.leads["head@midcorp.test"]),
    }),
    allowed: ["admin"],
    written: (f, who) =>
      count(
        f,
        `SELECT count(*) AS n FROM lead_assignments WHERE json_extract(decision, '$.summary') = ?
          AND json_extract(decision, '$.actor') = ?`,
        [`reassigned to ${ADMIN.email}`, `user:${actorId(f, who)}`],
      ),
  },
  {
    name: "add a routing pool",
    path: "/settings/routing?/addPool",
    fields: (who) => ({ name: `pool by ${who}`, sla: "30" }),
    allowed: ["admin"],
    written: (f, who) => count(f, "SELECT count(*) AS n FROM routing_pools WHERE name = ?", [`pool by ${who}`]),
  },
  {
    name: "add a webhook endpoint",
    path: "/settings/webhooks?/addEndpoint",
    fields: (who) => ({ url: `https://hooks.example.test/${who}`, events: "lead.mql", format: "slack" }),
    allowed: ["admin"],
    written: (f, who) =>
      count(f, "SELECT count(*) AS n FROM webhook_endpoints WHERE url = ? AND format = 'slack'", [
        `https://hooks.example.test/${who}`,
      ]),
  },
];

function actorId(f: Fixture, who: Who): number {
  const email = who === "admin" ? ADMIN.email : who === "anonymous" ? "" : USERS[who].email;
  return f.userIds[email] ?? -1;
}

describe("dashboard access", () => {
  let f: Fixture;
  const cookies: Record<Who, string> = { anonymous: "", admin: "", marketer: "", sales: "" };

  beforeAll(async () => {
    f = await startFixture();
    cookies.admin = await login(f.url, ADMIN.email, ADMIN.password);
    cookies.marketer = await login(f.url, USERS.marketer.email, USERS.marketer.password);
    cookies.sales = await login(f.url, USERS.sales.email, USERS.sales.password);
  });
  afterAll(async () => {
    await f?.stop();
  });

  const get = (path: string, who: Who) =>
    fetch(`${f.url}${path}`, { redirect: "manual", headers: cookies[who] ? { cookie: cookies[who] } : {} });

  describe.each(WHO)("as %s", (who) => {
    it.each(ROUTES)("GET %s", async (path, expected) => {
      const response = await get(path, who);
      expect(response.status).toBe(expected[who]);
      if (expected[who] === 303 && who === "anonymous") expect(response.headers.get("location")).toMatch(/^\/login/);
    });

    it.each(ACTIONS)("POST $name", async (action) => {
      const status = await postAction(
        f.url,
        typeof action.path === "string" ? action.path : action.path(f),
        cookies[who],
        action.fields(who, f),
      );
      const allowed = action.allowed.includes(who);
      if (allowed) expect(status).toBe(200);
      else expect(status).toBe(who === "anonymous" ? 401 : 403);
      expect(await action.written(f, who)).toBe(allowed ? 1 : 0);
    });
  });

  it("publishes a scoring draft as the next rule-set version, which the collector reads", async () => {
    const fields = {
      mqlThreshold: "50",
      halfLifeDays: "30",
      ...Object.fromEntries(
        defaultRuleSet.rules.flatMap((r) => [
          [`points:${r.id}`, String(r.points)],
          [`enabled:${r.id}`, "on"],
        ]),
      ),
      "points:pricing-page": "12",
    };
    expect(await postAction(f.url, "/scoring?/saveDraft", cookies.marketer, fields)).toBe(200);
    const invalid = { ...fields, "points:pricing-page": "" };
    expect(await postAction(f.url, "/scoring?/saveDraft", cookies.marketer, invalid)).toBe(400);
    expect(await postAction(f.url, "/scoring?/publish", cookies.marketer, { note: "pricing matters more" })).toBe(200);
    const row = (
      await f.db.$client.execute("SELECT version, rule_set FROM rule_set_versions ORDER BY version DESC LIMIT 1")
    ).rows[0];
    const published = JSON.parse(String(row?.rule_set)) as {
      version: number;
      mqlThreshold: number;
      rules: { id: string; points: number }[];
    };
    expect(published.version).toBe(Number(row?.version));
    expect(published.mqlThreshold).toBe(50);
    expect(published.rules.find((r) => r.id === "pricing-page")?.points).toBe(12);
    expect(await count(f, "SELECT count(*) AS n FROM rule_set_drafts")).toBe(0);
    expect(await postAction(f.url, "/scoring?/publish", cookies.marketer, {})).toBe(400); // nothing left to publish
  });

  it("shows a sales rep their own leads and the pool, and another rep's lead as not found", async () => {
    const mine = f.leads["cto@bigcorp.test"];
    const theirs = f.leads["head@midcorp.test"];
    const pool = f.leads["reader@smallco.test"];
    expect((await get(`/leads/${mine}`, "sales")).status).toBe(200);
    expect((await get(`/leads/${pool}`, "sales")).status).toBe(200);
    expect((await get(`/leads/${theirs}`, "sales")).status).toBe(404);
    expect((await get("/leads/999999", "sales")).status).toBe(404);
    expect((await get(`/leads/${theirs}`, "marketer")).status).toBe(200);
    const list = await (await get("/leads", "sales")).text();
    expect(list).toContain("cto@bigcorp.test");
    expect(list).toContain("reader@smallco.test");
    expect(list).not.toContain("head@midcorp.test");
  });

  it("refuses a cross-origin JSON request and a form post from another origin, and changes nothing", async () => {
    const patch = (headers: Record<string, string>) =>
      fetch(`${f.url}/api/me`, {
        method: "PATCH",
        headers: { cookie: cookies.marketer, "content-type": "application/json", ...headers },
        body: JSON.stringify({ locale: "de" }),
      });
    const crossSite = await patch({ origin: "https://evil.example" });
    expect(crossSite.status).toBe(403);
    expect(await crossSite.json()).toMatchObject({ error: { code: "csrf" } });
    expect((await patch({})).status).toBe(403); // no Origin and no fetch metadata
    const form = await postAction(
      f.url,
      "/campaigns?/create",
      cookies.marketer,
      { name: "csrf campaign" },
      "https://evil.example",
    );
    expect(form).toBe(403);
    expect(await count(f, "SELECT count(*) AS n FROM campaigns WHERE name = 'csrf campaign'")).toBe(0);
    expect(await count(f, "SELECT count(*) AS n FROM users WHERE locale = 'de'")).toBe(0);

    const sameOrigin = await patch({ origin: f.url });
    expect(sameOrigin.status).toBe(200);
    const me = await (await fetch(`${f.url}/api/me`, { headers: { cookie: cookies.marketer } })).json();
    expect(me).toMatchObject({ email: USERS.marketer.email, locale: "de" });
  });

  it("sets the session cookie HttpOnly and SameSite=Lax, and logging out revokes the session", async () => {
    const response = await fetch(`${f.url}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { origin: f.url, "content-type": "application/x-www-form-urlencoded", "x-sveltekit-action": "true" },
      body: new URLSearchParams(USERS.sales2),
    });
    const setCookie = response.headers.getSetCookie().find((c) => c.startsWith("lt_session=")) ?? "";
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).not.toMatch(/Secure/); // plain http here; https adds it
    const cookie = setCookie.split(";")[0] ?? "";
    expect((await fetch(`${f.url}/api/me`, { headers: { cookie } })).status).toBe(200);
    const out = await fetch(`${f.url}/logout`, {
      method: "POST",
      redirect: "manual",
      headers: { cookie, origin: f.url },
    });
    expect(out.status).toBe(303);
    // The old cookie is worthless even if someone kept a copy.
    expect((await fetch(`${f.url}/api/me`, { headers: { cookie } })).status).toBe(401);
  });

  // Throttling in depth (parallel attempts, another address, counters): login-security.test.ts.
  it("makes one client wait after five wrong passwords for an account, even with the right one", async () => {
    const attempt = (password: string) => postAction(f.url, "/login", "", { email: USERS.sales2.email, password });
    for (let i = 0; i < 5; i++) expect(await attempt("wrong-password")).toBe(400);
    expect(await attempt("wrong-password")).toBe(429);
    expect(await attempt(USERS.sales2.password)).toBe(429);
    // Another account from the same address is not locked by it.
    await login(f.url, USERS.marketer.email, USERS.marketer.password);
  });

  it("changes of role take effect at once: the user's sessions end", async () => {
    const fresh = { email: "promote@acme.test", password: "promote-password-1" };
    await addUser(f.url, cookies.admin, { ...fresh, role: "sales" });
    const salesCookie = await login(f.url, fresh.email, fresh.password);
    expect((await fetch(`${f.url}/settings`, { redirect: "manual", headers: { cookie: salesCookie } })).status).toBe(
      403,
    );
    const id = Number(
      (await f.db.$client.execute({ sql: "SELECT id FROM users WHERE email = ?", args: [fresh.email] })).rows[0]?.id,
    );
    expect(await postAction(f.url, "/settings?/setRole", cookies.admin, { id: String(id), role: "admin" })).toBe(200);
    expect((await fetch(`${f.url}/api/me`, { headers: { cookie: salesCookie } })).status).toBe(401);
  });

  it("lets only an admin make a reset link; using it ends the user's other sessions", async () => {
    const rep = { email: "reset@acme.test", password: "reset-password-1" };
    await addUser(f.url, cookies.admin, { ...rep, role: "sales" });
    const repCookie = await login(f.url, rep.email, rep.password);
    const id = String(
      (await f.db.$client.execute({ sql: "SELECT id FROM users WHERE email = ?", args: [rep.email] })).rows[0]?.id,
    );
    // Nobody sets another person's password any more, not even an admin.
    expect(await postAction(f.url, "/settings?/setPassword", cookies.admin, { id, password: "admin-chose-this" })).toBe(
      404,
    );
    expect(await postAction(f.url, "/settings?/issueLink", cookies.marketer, { id })).toBe(403);
    const link = await linkIn(await sendAction(f.url, "/settings?/issueLink", cookies.admin, { id }));
    expect(link).toBeDefined();
    // Making the link changes nothing yet: the old password and session still work.
    expect((await fetch(`${f.url}/api/me`, { headers: { cookie: repCookie } })).status).toBe(200);
    const used = await acceptLink(f.url, link ?? "", "a-new-password-2");
    expect(used.headers.getSetCookie().some((c) => c.startsWith("lt_session="))).toBe(true);
    expect((await fetch(`${f.url}/api/me`, { headers: { cookie: repCookie } })).status).toBe(401);
    await expect(login(f.url, rep.email, rep.password)).rejects.toThrow(/log-in failed/);
    await login(f.url, rep.email, "a-new-password-2");
  });
});

describe("first run", () => {
  it("refuses a password of spaces at setup with a clear message, and a weak ADMIN_PASSWORD at start", async () => {
    const database = tempDatabase();
    const dashboard = await startDashboard(database.url);
    try {
      const response = await fetch(`${dashboard.url}/setup`, {
        method: "POST",
        headers: { origin: dashboard.url, accept: "text/html", "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ email: "spaces@acme.test", password: " ".repeat(12) }),
      });
      expect(response.status).toBe(400);
      expect(await response.text()).toContain("The password cannot consist of spaces only.");
      const short = await fetch(`${dashboard.url}/setup`, {
        method: "POST",
        headers: { origin: dashboard.url, accept: "text/html", "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ email: "short@acme.test", password: "elevenchars" }),
      });
      expect(await short.text()).toContain("The password needs at least 12 characters.");
    } finally {
      await dashboard.stop();
    }
    await expect(
      startDashboard(database.url, { ADMIN_EMAIL: "env@acme.test", ADMIN_PASSWORD: " ".repeat(16) }),
    ).rejects.toThrow(/ADMIN_PASSWORD is refused \(only whitespace\)/);
    database.remove();
  });

  it("sends everyone to /setup until the first admin exists, then setup is closed", async () => {
    const database = tempDatabase();
    const dashboard = await startDashboard(database.url);
    try {
      const home = await fetch(`${dashboard.url}/`, { redirect: "manual" });
      expect(home.headers.get("location")).toBe("/setup");
      const setup = (email: string) =>
        fetch(`${dashboard.url}/setup`, {
          method: "POST",
          redirect: "manual",
          headers: {
            origin: dashboard.url,
            "content-type": "application/x-www-form-urlencoded",
            "x-sveltekit-action": "true",
          },
          body: new URLSearchParams({ email, password: "first-admin-pw" }),
        });
      expect(await (await setup("short@acme.test")).json()).toMatchObject({ type: "redirect", location: "/" });
      // A second setup cannot create another admin.
      expect(await (await setup("second@acme.test")).json()).toMatchObject({ type: "redirect", location: "/login" });
      expect((await fetch(`${dashboard.url}/setup`, { redirect: "manual" })).headers.get("location")).toBe("/login");
      await login(dashboard.url, "short@acme.test", "first-admin-pw");
      await expect(login(dashboard.url, "second@acme.test", "first-admin-pw")).rejects.toThrow(/log-in failed/);
    } finally {
      await dashboard.stop();
      database.remove();
    }
  });
});
