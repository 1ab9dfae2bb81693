// Every dashboard form action and query parameter with garbage where it expects an id, a number,
// a choice or a date: a 4xx with a reason, never a 500 (NaN reaching libSQL, a rolled-over date).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, type Fixture, login, sendAction, startFixture, USERS } from "./fixture.ts";

/** Values no id, number, choice or date field may accept. */
const GARBAGE = ["abc", "NaN", "1e999", "-1", "1.5", "", "9".repeat(400), "0x1F", "2026-02-30", "' OR 1=1 --"];

/**
 * Every form action of the dashboard: the fields of a valid post (so that only the garbage field
 * is wrong), and the fields that name records or choices, each replaced by garbage in turn.
 * `[lead]` is the pool lead; `f` is the fixture (its site, users and leads).
 */
interface ActionCase {
  path: string;
  valid: (f: Fixture) => Record<string, string>;
  fields: string[];
}
const salesId = (f: Fixture) => String(f.userIds[USERS.sales.email]);
const ACTIONS: ActionCase[] = [
  {
    path: "/settings?/updateSite",
    valid: (f) => ({ id: String(f.siteId), name: "Acme", domains: "acme.test" }),
    fields: ["id"],
  },
  {
    path: "/settings?/addUser",
    valid: () => ({ email: "garbage@acme.test", password: "a-long-enough-password", role: "sales" }),
    fields: ["role"],
  },
  { path: "/settings?/setRole", valid: (f) => ({ id: salesId(f), role: "sales" }), fields: ["id", "role"] },
  {
    path: "/settings?/setPassword",
    valid: (f) => ({ id: salesId(f), password: USERS.sales.password }),
    fields: ["id"],
  },
  { path: "/settings?/deleteUser", valid: () => ({}), fields: ["id"] },
  {
    path: "/settings?/createKey",
    valid: (f) => ({ name: "garbage key", site: String(f.siteId), scopes: "read" }),
    fields: ["site", "scopes"],
  },
  { path: "/settings?/revokeKey", valid: () => ({}), fields: ["id"] },
  { path: "/settings/routing?/addPool", valid: () => ({ name: "garbage pool" }), fields: ["sla"] },
  { path: "/settings/routing?/setMembers", valid: (f) => ({ members: salesId(f) }), fields: ["pool"] },
  {
    path: "/settings/routing?/saveRep",
    valid: (f) => ({ user: salesId(f), weight: "1", capacity: "10", hours: "", timeZone: "UTC" }),
    fields: ["user", "weight", "capacity", "timeZone"],
  },
  {
    path: "/settings/routing?/addAway",
    valid: (f) => ({ user: salesId(f), awayFrom: "2026-01-01", awayUntil: "2026-01-02" }),
    fields: ["user", "awayFrom", "awayUntil"],
  },
  {
    path: "/settings/routing?/removeAway",
    valid: (f) => ({ user: salesId(f), awayFrom: "2026-01-01", awayUntil: "2026-01-02" }),
    fields: ["user", "awayFrom", "awayUntil"],
  },
  { path: "/settings/routing?/addRule", valid: () => ({ name: "garbage rule" }), fields: ["pool"] },
  { path: "/settings/routing?/moveRule", valid: () => ({ rule: "1", direction: "up" }), fields: ["rule", "direction"] },
  { path: "/settings/routing?/setRuleEnabled", valid: () => ({ rule: "1", enabled: "on" }), fields: ["rule"] },
  { path: "/settings/routing?/deleteRule", valid: () => ({}), fields: ["rule"] },
  { path: "/settings/routing?/deletePool", valid: () => ({}), fields: ["pool"] },
  {
    path: "/settings/webhooks?/addEndpoint",
    valid: () => ({ url: "https://hooks.example.test/garbage" }),
    fields: ["events"],
  },
  {
    path: "/settings/webhooks?/grantKey",
    valid: (f) => ({ site: String(f.siteId), scopes: "read" }),
    fields: ["key"],
  },
  { path: "/leads/[lead]?/acquisition", valid: () => ({ acquisition: "cold" }), fields: ["legalBasis"] },
  { path: "/leads/[lead]?/win", valid: () => ({}), fields: ["value"] },
  { path: "/leads/[lead]?/lose", valid: () => ({ reason: "garbage" }), fields: ["value"] },
  { path: "/leads/[lead]?/reassign", valid: () => ({}), fields: ["rep"] },
  { path: "/leads/[lead]?/merge", valid: () => ({ reason: "garbage" }), fields: ["into"] },
  { path: "/leads/[lead]?/erase", valid: () => ({}), fields: ["confirm"] },
  { path: "/my-leads?/take", valid: () => ({}), fields: ["id"] },
  {
    path: "/my-leads?/bulk",
    valid: (f) => ({ op: "assign", rep: salesId(f), id: String(f.leads["head@midcorp.test"]) }),
    fields: ["rep", "id", "op"],
  },
  { path: "/notifications?/read", valid: () => ({}), fields: ["id"] },
  {
    path: "/campaigns?/create",
    valid: () => ({ name: "garbage campaign", utmCampaign: "garbage", channel: "paid" }),
    fields: ["startsOn", "endsOn", "budget", "mqlGoal", "owner"],
  },
  { path: "/campaigns?/delete", valid: () => ({}), fields: ["id"] },
  {
    path: "/campaigns/1?/update",
    valid: () => ({ name: "Spring webinar", utmCampaign: "spring", channel: "paid" }),
    fields: ["startsOn", "endsOn", "budget", "mqlGoal", "owner"],
  },
  {
    path: "/campaigns/1?/createLink",
    valid: () => ({ target: "/pricing", source: "poster", medium: "qr", code: "garbage-link" }),
    fields: ["kind"],
  },
  { path: "/campaigns/1?/deleteLink", valid: () => ({}), fields: ["link"] },
  { path: "/personas?/save", valid: () => ({ name: "garbage persona", roles: "cto" }), fields: ["id"] },
  { path: "/personas?/toggle", valid: () => ({ enabled: "on" }), fields: ["id"] },
  {
    path: "/nurture?/saveItem",
    valid: () => ({ key: "garbage-item", topics: "security", match: "/blog/garbage" }),
    fields: ["id", "kind"],
  },
  { path: "/nurture?/saveTrack", valid: () => ({ name: "garbage track" }), fields: ["id"] },
  { path: "/scoring?/saveDraft", valid: () => ({ halfLifeDays: "30" }), fields: ["mqlThreshold", "halfLifeDays"] },
];

/** Garbage that is a legitimate value of a field (an empty optional field, a fractional amount). */
const ACCEPTED: Record<string, string[]> = {
  sla: [""],
  budget: ["", "1.5"],
  value: ["", "1.5"],
  halfLifeDays: ["", "1.5"],
  startsOn: [""],
  endsOn: [""],
  owner: [""],
  mqlGoal: [""],
  // An empty kind is the default (a plain tracked link).
  kind: [""],
  legalBasis: [""],
  timeZone: [""],
  // An empty id on an editor's form means "a new record".
  "/personas?/save id": [""],
  "/nurture?/saveItem id": [""],
  "/nurture?/saveTrack id": [""],
};

/** Pages and endpoints with garbage in the path or the query. */
const QUERIES = [
  "/leads/abc",
  "/leads/1e999",
  "/leads/-1",
  "/leads/1.5",
  "/leads/abc/export",
  "/campaigns/abc",
  "/campaigns/1/links/abc/qr.png",
  "/campaigns/1/links/NaN/qr.svg",
  "/my-leads?owner=abc&minScore=1e999&days=NaN&grade=ZZ&stage=root&cursor=%00%01",
  "/my-leads/export.csv?owner=-1&minScore=abc&days=1e999",
  "/settings/routing?lead=abc",
  "/settings/routing?lead=1e999",
  "/nurture?item=abc&track=NaN",
  "/personas?edit=1e999",
  "/funnel?cohort=abc&from=2026-02-30",
  "/?from=2026-02-30",
  "/?to=2026-13-01",
  "/behaviour?from=abc",
  "/content?from=2026-04-31&path=%00",
  "/visitors?from=2026-02-29",
  "/leads?from=9999-99-99",
  "/scoring/progress?run=abc",
];

describe("bad input to the dashboard", () => {
  let f: Fixture;
  let admin: string;

  beforeAll(async () => {
    f = await startFixture();
    admin = await login(f.url, ADMIN.email, ADMIN.password);
  });
  afterAll(async () => {
    await f?.stop();
  });

  const statusOf = async (response: Response) => {
    if (!(response.headers.get("content-type") ?? "").includes("application/json")) return response.status;
    const body = (await response.json()) as { type?: string; status?: number };
    return body.type === "success" ? 200 : (body.status ?? response.status);
  };

  const cases = ACTIONS.flatMap((action) => action.fields.map((field) => ({ ...action, field })));
  describe.each(GARBAGE)("%j", (garbage) => {
    it.each(cases)("in $field of $path answers 4xx", async ({ path, valid, field }) => {
      const fields = { ...valid(f), [field]: garbage };
      const url = path.replace("[lead]", String(f.leads["reader@smallco.test"]));
      const status = await statusOf(await sendAction(f.url, url, admin, fields));
      expect(status, `${field}=${garbage}`).toBeLessThan(500);
      if (!(ACCEPTED[`${path} ${field}`] ?? ACCEPTED[field] ?? []).includes(garbage))
        expect(status, `${field}=${garbage}`).toBeGreaterThanOrEqual(400);
    });
  });

  it.each(QUERIES)("GET %s answers 4xx, or the page with the bad value ignored", async (path) => {
    const response = await fetch(`${f.url}${path}`, { redirect: "manual", headers: { cookie: admin } });
    expect(response.status, path).toBeLessThan(500);
  });

  it.each(["/?from=2026-02-30", "/funnel?to=2026-02-29", "/leads?from=2026-04-31"])(
    "GET %s refuses the impossible date with a clear 400 instead of rolling it into the next month",
    async (path) => {
      const response = await fetch(`${f.url}${path}`, { headers: { cookie: admin } });
      expect(response.status).toBe(400);
      expect(await response.text()).toContain("This date does not exist");
    },
  );

  it("reads a real date as given", async () => {
    const response = await fetch(`${f.url}/?from=2024-02-29&to=2024-03-01`, { headers: { cookie: admin } });
    expect(response.status).toBe(200);
  });
});
