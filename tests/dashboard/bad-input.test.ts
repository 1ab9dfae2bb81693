// Every dashboard form action and query parameter with garbage where it expects an id, a number,
// a choice or a date: a 4xx with a reason, never a 500 (NaN reaching libSQL, a rolled-over date).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, type Fixture, login, sendAction, startFixture } from "./fixture.ts";

/** Values no id, number, choice or date field may accept. */
const GARBAGE = ["abc", "NaN", "1e999", "-1", "1.5", "", "9".repeat(400), "0x1F", "2026-02-30", "' OR 1=1 --"];

/** Every field name an action reads as an id, number, choice or date. */
const FIELDS = [
  "id",
  "rep",
  "pool",
  "user",
  "link",
  "rule",
  "key",
  "site",
  "role",
  "op",
  "value",
  "sla",
  "weight",
  "capacity",
  "direction",
  "enabled",
  "active",
  "halfLifeDays",
  "mqlThreshold",
  "awayFrom",
  "awayUntil",
  "startsAt",
  "endsAt",
  "budget",
  "mqlGoal",
  "scopes",
  "members",
  "stages",
  "events",
  "acquisition",
  "legalBasis",
];

/** Every form action of the dashboard (route?/action); `[lead]` is a lead the admin may see. */
const ACTIONS = [
  "/settings?/addSite",
  "/settings?/updateSite",
  "/settings?/addUser",
  "/settings?/setRole",
  "/settings?/setPassword",
  "/settings?/deleteUser",
  "/settings?/createKey",
  "/settings?/revokeKey",
  "/settings/routing?/addPool",
  "/settings/routing?/setMembers",
  "/settings/routing?/saveRep",
  "/settings/routing?/addAway",
  "/settings/routing?/removeAway",
  "/settings/routing?/addRule",
  "/settings/routing?/moveRule",
  "/settings/routing?/setRuleEnabled",
  "/settings/routing?/deleteRule",
  "/settings/routing?/deletePool",
  "/settings/webhooks?/addEndpoint",
  "/settings/webhooks?/grantKey",
  "/leads/[lead]?/acquisition",
  "/leads/[lead]?/accept",
  "/leads/[lead]?/reject",
  "/leads/[lead]?/qualify",
  "/leads/[lead]?/win",
  "/leads/[lead]?/lose",
  "/leads/[lead]?/note",
  "/leads/[lead]?/reassign",
  "/leads/[lead]?/merge",
  "/leads/[lead]?/erase",
  "/my-leads?/take",
  "/my-leads?/bulk",
  "/notifications?/read",
  "/campaigns?/create",
  "/campaigns?/delete",
  "/campaigns/1?/update",
  "/campaigns/1?/createLink",
  "/campaigns/1?/deleteLink",
  "/personas?/save",
  "/personas?/toggle",
  "/nurture?/saveItem",
  "/nurture?/saveTrack",
  "/scoring?/saveDraft",
];

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

  describe.each(GARBAGE)("every action with %j in every id, number, choice and date field", (garbage) => {
    it.each(ACTIONS)("%s answers 4xx", async (action) => {
      const path = action.replace("[lead]", String(f.leads["reader@smallco.test"]));
      const fields = FIELDS.map((name) => [name, garbage] as [string, string]);
      const status = await statusOf(await sendAction(f.url, path, admin, fields));
      expect(status, action).toBeGreaterThanOrEqual(400);
      expect(status, action).toBeLessThan(500);
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
