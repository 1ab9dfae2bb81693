// Lead visibility as a matrix over the built dashboard: every role × every surface that shows
// leads. A sales rep sees their own leads and the unassigned pool and never another rep's lead
// (its e-mail appears in no page, JSON answer, CSV or event stream); admins and marketers see
// every lead of the site.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, type Fixture, login, startFixture, USERS } from "./fixture.ts";

type Role = "admin" | "marketer" | "sales" | "sales2";
const ROLES: Role[] = ["admin", "marketer", "sales", "sales2"];

// The fixture's leads: cto@bigcorp is sales's, head@midcorp sales2's, reader@smallco in the pool;
// boss@smallco (added here) is sales2's and works at the pool lead's company (its colleague).
const CTO = "cto@bigcorp.test";
const HEAD = "head@midcorp.test";
const READER = "reader@smallco.test";
const BOSS = "boss@smallco.test";
const ALL = [CTO, HEAD, READER, BOSS];
const VISIBLE: Record<Role, string[]> = {
  admin: ALL,
  marketer: ALL,
  sales: [CTO, READER],
  sales2: [HEAD, READER, BOSS],
};

interface Surface {
  name: string;
  path: (f: Fixture) => string;
  /** The leads this surface would show to someone who may see everything. */
  shows: string[];
  /** The page has the pool panel beside its list (my leads, for everyone but marketers). */
  poolPanel?: boolean;
  /** Extra request headers (the event stream resumes after a notification id). */
  headers?: (f: Fixture) => Record<string, string>;
}

let firstNotification = 0;
const SURFACES: Surface[] = [
  { name: "lead list", path: () => "/leads", shows: ALL },
  { name: "my leads, any owner", path: () => "/my-leads?owner=", shows: ALL, poolPanel: true },
  {
    name: "my leads of another rep",
    path: (f) => `/my-leads?owner=${f.userIds[USERS.sales2.email]}`,
    shows: [HEAD, BOSS],
    poolPanel: true,
  },
  {
    name: "my leads of the first rep",
    path: (f) => `/my-leads?owner=${f.userIds[USERS.sales.email]}`,
    shows: [CTO],
    poolPanel: true,
  },
  { name: "search by company", path: () => "/my-leads?owner=&company=smallco", shows: [READER, BOSS], poolPanel: true },
  { name: "search by e-mail", path: () => "/my-leads?owner=&q=head%40", shows: [HEAD], poolPanel: true },
  { name: "CSV export", path: () => "/my-leads/export.csv?owner=", shows: ALL },
  { name: "CSV export, searched", path: () => "/my-leads/export.csv?owner=&q=boss", shows: [BOSS] },
  // The pool lead's page: its colleagues panel lists the other people of its company.
  { name: "pool lead page with colleagues", path: (f) => `/leads/${f.leads[READER]}`, shows: [READER, BOSS] },
  { name: "notifications page", path: () => "/notifications", shows: ALL },
  {
    name: "notification stream",
    path: () => "/api/notifications/stream",
    shows: ALL,
    headers: () => ({ "last-event-id": String(firstNotification) }),
  },
];

/** The body of a page, or of an event stream up to its first unread count. */
async function bodyOf(response: Response): Promise<string> {
  if (!(response.headers.get("content-type") ?? "").startsWith("text/event-stream")) return response.text();
  const reader = response.body?.getReader();
  if (!reader) return "";
  const decoder = new TextDecoder();
  let text = "";
  while (!text.includes("event: unread")) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  await reader.cancel();
  return text;
}

describe("lead visibility", () => {
  let f: Fixture;
  const cookies = {} as Record<Role, string>;

  beforeAll(async () => {
    f = await startFixture();
    const sql = (s: string, args: (string | number | null)[] = []) => f.db.$client.execute({ sql: s, args });
    // The pool lead's company gets a second person, owned by the second rep.
    let companyId = (await sql("SELECT company_id FROM leads WHERE email = ?", [READER])).rows[0]?.company_id;
    if (companyId == null) {
      companyId = (
        await sql(
          "INSERT INTO companies (site_id, domain, name, created_at) VALUES (?, 'smallco.test', 'Smallco', 0) RETURNING id",
          [f.siteId],
        )
      ).rows[0]?.id;
      await sql("UPDATE leads SET company_id = ? WHERE email = ?", [Number(companyId), READER]);
    }
    const boss = await sql(
      `INSERT INTO leads (site_id, email, name, stage, owner_id, company_id, created_at, last_activity_at)
       VALUES (?, ?, NULL, 'mql', ?, ?, ?, ?) RETURNING id`,
      [f.siteId, BOSS, f.userIds[USERS.sales2.email] ?? null, Number(companyId), Date.now(), Date.now()],
    );
    f.leads[BOSS] = Number(boss.rows[0]?.id);
    // Every user has a neutral notification, then one about each lead (as if routed to them once).
    const users = [ADMIN.email, USERS.marketer.email, USERS.sales.email, USERS.sales2.email].map(
      (e) => f.userIds[e] ?? -1,
    );
    for (const userId of users) {
      const first = await sql(
        "INSERT INTO notifications (site_id, user_id, kind, lead_id, message, created_at) VALUES (?, ?, 'lead_assigned', NULL, 'welcome', 0) RETURNING id",
        [f.siteId, userId],
      );
      if (!firstNotification) firstNotification = Number(first.rows[0]?.id);
    }
    for (const userId of users) {
      for (const email of ALL) {
        await sql(
          "INSERT INTO notifications (site_id, user_id, kind, lead_id, message, created_at) VALUES (?, ?, 'lead_assigned', ?, ?, ?)",
          [f.siteId, userId, f.leads[email] ?? -1, `lead ${email} needs a call`, Date.now()],
        );
      }
    }
    cookies.admin = await login(f.url, ADMIN.email, ADMIN.password);
    for (const role of ["marketer", "sales", "sales2"] as const) {
      cookies[role] = await login(f.url, USERS[role].email, USERS[role].password);
    }
  });
  afterAll(async () => {
    await f?.stop();
  });

  describe.each(ROLES)("as %s", (role) => {
    it.each(SURFACES)("$name shows exactly the leads this role may see", async (surface) => {
      const response = await fetch(`${f.url}${surface.path(f)}`, {
        headers: { cookie: cookies[role], ...(surface.headers?.(f) ?? {}) },
      });
      expect(response.status).toBe(200);
      const body = await bodyOf(response);
      for (const email of ALL) {
        const shown =
          surface.shows.includes(email) || (surface.poolPanel === true && role !== "marketer" && email === READER);
        const expected = VISIBLE[role].includes(email) && shown;
        expect(body.includes(email), `${email} on ${surface.name}`).toBe(expected);
      }
    });

    it.each(ALL)("the page of %s opens only when this role may see the lead", async (email) => {
      const response = await fetch(`${f.url}/leads/${f.leads[email]}`, { headers: { cookie: cookies[role] } });
      const visible = VISIBLE[role].includes(email);
      expect(response.status).toBe(visible ? 200 : 404);
      const body = await response.text();
      // A hidden lead's page gives nothing away, and a visible one names no hidden colleague.
      for (const other of ALL) {
        if (!VISIBLE[role].includes(other)) expect(body.includes(other), other).toBe(false);
      }
    });
  });
});
