// The REST API through the app: API keys (hashed, per site, scoped), lists, lead detail, stage changes.
import { createApiKey, createSite, grantApiKey } from "@leadtrail/db";
import { apiKeyHash } from "@leadtrail/workflows";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { batch, createTestCollector, pageview, type TestCollector } from "../../testing/test-collector.ts";

const T0 = Date.UTC(2026, 2, 10, 9);
const at = (ms: number) => ({ "x-test-now": String(ms) });

async function makeKey(t: TestCollector, secret: string, siteId: number, scopes: string[]) {
  const key = await createApiKey(t.db, {
    name: secret,
    prefix: secret.slice(0, 10),
    keyHash: await apiKeyHash(secret),
    createdBy: null,
  });
  await grantApiKey(t.db, { apiKeyId: key.id, siteId, scopes });
  return key;
}

describe("REST API", () => {
  let t: TestCollector;
  let mqlId: number;
  let leadId: number;
  beforeEach(async () => {
    t = await createTestCollector();
    await makeKey(t, "lt_read_key", t.site.id, ["read"]);
    await makeKey(t, "lt_write_key", t.site.id, ["read", "write"]);
    const other = await createSite(t.db, { publicKey: "other", name: "Other", domains: ["other.test"] });
    await makeKey(t, "lt_other_site", other.id, ["read", "write"]);
    await t.post(
      batch(
        [
          pageview("/id", { type: "identify", email: "cto@bigcorp.test", traits: { seniority: "c-level" } }),
          pageview("/contact", { type: "form", name: "contact" }),
        ],
        { visitor: "visitor_mql" },
      ),
      at(T0),
    );
    await t.post(
      batch([pageview("/id", { type: "identify", email: "max@gmail.com" })], { visitor: "visitor_low" }),
      at(T0 + 1000),
    );
    const leads = (await t.db.$client.execute("SELECT id, stage FROM leads ORDER BY id")).rows;
    mqlId = Number(leads[0]?.id);
    leadId = Number(leads[1]?.id);
  });
  afterEach(() => t.cleanup());

  const call = (path: string, key: string | null, init: RequestInit = {}) =>
    t.app.request(path, {
      ...init,
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        "x-test-now": String(T0 + 60_000),
        ...init.headers,
      },
    });
  const stage = (id: number, key: string, body: unknown) =>
    call(`/v1/leads/${id}/stage`, key, {
      method: "POST",
      body: JSON.stringify(body),
      headers: { "content-type": "application/json" },
    });

  const identifyCases = [
    { name: "a write key of the site", key: "lt_write_key", status: 201 },
    { name: "a read-only key", key: "lt_read_key", status: 403 },
    { name: "another site's write key", key: "lt_other_site", status: 401 },
    { name: "an unknown key", key: "lt_nope", status: 401 },
  ];
  for (const c of identifyCases) {
    it(`identifies with ${c.name}: ${c.status}`, async () => {
      const res = await call("/v1/identify", c.key, {
        method: "POST",
        body: JSON.stringify({ site: t.site.publicKey, email: "crm@newco.test" }),
        headers: { "content-type": "application/json" },
      });
      expect(res.status).toBe(c.status);
      const created = await t.db.$client.execute("SELECT count(*) AS n FROM leads WHERE email = 'crm@newco.test'");
      expect(Number(created.rows[0]?.n)).toBe(c.status === 201 ? 1 : 0);
    });
  }

  const authCases = [
    { name: "no key", path: () => "/v1/leads", key: null, status: 401, code: "unauthorized" },
    { name: "wrong key", path: () => "/v1/leads", key: "lt_nope", status: 401, code: "unauthorized" },
    {
      name: "another site's key reading a lead",
      path: () => `/v1/leads/${mqlId}`,
      key: "lt_other_site",
      status: 404,
      code: "not_found",
    },
  ];
  for (const c of authCases) {
    it(`answers ${c.status} for ${c.name}`, async () => {
      const res = await call(c.path(), c.key);
      expect(res.status).toBe(c.status);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe(c.code);
    });
  }

  it("never lists another site's leads", async () => {
    const res = await call("/v1/leads", "lt_other_site");
    expect(await res.json()).toEqual({ leads: [], next_cursor: null });
  });

  it("refuses a revoked key", async () => {
    await t.db.$client.execute("UPDATE api_keys SET revoked_at = 1 WHERE name = 'lt_read_key'");
    expect((await call("/v1/leads", "lt_read_key")).status).toBe(401);
  });

  it("lists leads with filters and cursor pagination", async () => {
    const page1 = (await (await call("/v1/leads?limit=1", "lt_read_key")).json()) as {
      leads: { id: number; email: string; score: number; stage: string }[];
      next_cursor: string | null;
    };
    expect(page1.leads.map((l) => l.id)).toEqual([mqlId]);
    expect(page1.next_cursor).not.toBeNull();
    const page2 = (await (
      await call(`/v1/leads?limit=1&cursor=${page1.next_cursor}`, "lt_read_key")
    ).json()) as typeof page1;
    expect(page2.leads.map((l) => l.id)).toEqual([leadId]);
    const page3 = (await (
      await call(`/v1/leads?limit=1&cursor=${page2.next_cursor}`, "lt_read_key")
    ).json()) as typeof page1;
    expect(page3).toEqual({ leads: [], next_cursor: null });

    const mqls = (await (await call("/v1/leads?stage=mql", "lt_read_key")).json()) as typeof page1;
    expect(mqls.leads.map((l) => l.email)).toEqual(["cto@bigcorp.test"]);
    const hot = (await (await call("/v1/leads?min_score=35", "lt_read_key")).json()) as typeof page1;
    expect(hot.leads.map((l) => l.id)).toEqual([mqlId]);
    expect(hot.leads[0]?.score).toBeGreaterThanOrEqual(35);
    const recent = (await (await call(`/v1/leads?updated_since=${T0 + 500}`, "lt_read_key")).json()) as typeof page1;
    expect(recent.leads.map((l) => l.id)).toEqual([leadId]);
    expect((await call("/v1/leads?stage=hot", "lt_read_key")).status).toBe(400);
  });

  it("reads one lead with its breakdown by rule, stage history and assignments", async () => {
    const res = await call(`/v1/leads/${mqlId}`, "lt_read_key");
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      lead: { email: string; stage: string };
      breakdown: { ruleId: string; points: number }[];
      stageHistory: { from: string; to: string }[];
      assignments: { queueId: string | null }[];
    };
    expect(body.lead).toMatchObject({ email: "cto@bigcorp.test", stage: "mql" });
    expect(body.breakdown).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ ruleId: "contact-form", points: 20 }),
        expect.objectContaining({ ruleId: "fit-senior-decision-maker", points: 15 }),
      ]),
    );
    expect(body.stageHistory).toEqual([expect.objectContaining({ from: "lead", to: "mql" })]);
    expect(body.assignments).toEqual([expect.objectContaining({ queueId: "unassigned" })]);
  });

  it("changes the stage with a write key, and refuses illegal moves with the engine's code", async () => {
    expect((await stage(mqlId, "lt_read_key", { action: "accept" })).status).toBe(403);
    expect((await stage(mqlId, "lt_other_site", { action: "accept" })).status).toBe(404);
    const illegal = await stage(mqlId, "lt_write_key", { action: "win" });
    expect(illegal.status).toBe(409);
    expect(((await illegal.json()) as { error: { code: string } }).error.code).toBe("illegal_transition");
    const noReason = await stage(mqlId, "lt_write_key", { action: "lose" });
    expect(((await noReason.json()) as { error: { code: string } }).error.code).toBe("reason_required");

    const accepted = await stage(mqlId, "lt_write_key", { action: "accept" });
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toMatchObject({ stage: "sal" });
    expect((await t.db.$client.execute(`SELECT stage FROM leads WHERE id = ${mqlId}`)).rows).toEqual([
      { stage: "sal" },
    ]);
    expect((await stage(mqlId, "lt_write_key", { action: "bogus" })).status).toBe(400);
  });

  it("keeps the deal value of a win on the lead, for reads and lists", async () => {
    expect((await stage(mqlId, "lt_write_key", { action: "accept" })).status).toBe(200);
    expect((await stage(mqlId, "lt_write_key", { action: "qualify" })).status).toBe(200);
    expect((await stage(mqlId, "lt_write_key", { action: "win", value: -5 })).status).toBe(400);
    expect((await stage(mqlId, "lt_write_key", { action: "win", value: 48_000 })).status).toBe(200);
    const one = (await (await call(`/v1/leads/${mqlId}`, "lt_read_key")).json()) as { lead: { dealValue: unknown } };
    expect(one.lead.dealValue).toBe(48_000);
    const list = (await (await call("/v1/leads?stage=won", "lt_read_key")).json()) as {
      leads: { id: number; dealValue: unknown }[];
    };
    expect(list.leads).toEqual([expect.objectContaining({ id: mqlId, dealValue: 48_000 })]);
  });
});
