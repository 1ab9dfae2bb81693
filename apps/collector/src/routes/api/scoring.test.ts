// Scoring as code through the app: GET/PUT /v1/scoring with an admin-scoped key, field-level
// errors, drafts, and publishing through the dashboard's path (new version + background re-score).
import { createApiKey, createSite, grantApiKey } from "@leadtrail/db";
import { defaultRuleSet } from "@leadtrail/scoring";
import { apiKeyHash } from "@leadtrail/workflows";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { batch, createTestCollector, pageview, type TestCollector } from "../../testing/test-collector.ts";

const T0 = Date.UTC(2026, 2, 10, 9);

async function makeKey(t: TestCollector, secret: string, siteId: number, scopes: string[], createdBy: number | null) {
  const key = await createApiKey(t.db, {
    name: secret,
    prefix: secret.slice(0, 10),
    keyHash: await apiKeyHash(secret),
    createdBy,
  });
  await grantApiKey(t.db, { apiKeyId: key.id, siteId, scopes });
}

const rules = {
  mqlThreshold: 20,
  rules: [
    {
      id: "pricing",
      kind: "engagement",
      label: { en: "Pricing page" },
      points: 12,
      match: { type: "pageview", path: "*/pricing*" },
      caps: { perDay: 1 },
    },
    { id: "jobs", kind: "engagement", label: { en: "Jobs", de: "Stellen" }, points: -4, match: { path: "/jobs*" } },
  ],
};

describe("GET/PUT /v1/scoring", () => {
  let t: TestCollector;
  beforeEach(async () => {
    t = await createTestCollector("/*tracker*/", { ruleSetCheckMs: 0 });
    const user = await t.db.$client.execute(
      "INSERT INTO users (email, name, role, password_hash, created_at) VALUES ('ops@acme.test', 'Ops', 'admin', 'x', 0) RETURNING id",
    );
    const userId = Number(user.rows[0]?.id);
    await makeKey(t, "lt_admin_key", t.site.id, ["admin"], userId);
    await makeKey(t, "lt_write_key", t.site.id, ["read", "write"], null);
    const other = await createSite(t.db, { publicKey: "other", name: "Other", domains: ["other.test"] });
    await makeKey(t, "lt_other_admin", other.id, ["admin"], null);
  });
  afterEach(() => t.cleanup());

  const call = (path: string, key: string | null, init: RequestInit = {}) =>
    t.app.request(path, {
      ...init,
      headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), "x-test-now": String(T0), ...init.headers },
    });
  const put = (path: string, key: string, body: string) =>
    call(path, key, { method: "PUT", body, headers: { "content-type": "application/json" } });
  const rows = async (sql: string) => (await t.db.$client.execute(sql)).rows;

  it("reads the published rules (the defaults on a new site) and no draft", async () => {
    const res = await call("/v1/scoring", "lt_admin_key");
    expect(res.status).toBe(200);
    const body = (await res.json()) as { version: number; ruleSet: typeof defaultRuleSet; draft: unknown };
    expect(body).toEqual({ version: 1, ruleSet: defaultRuleSet, draft: null });
  });

  const refusals = [
    { name: "no key", key: null, path: "/v1/scoring", status: 401, code: "unauthorized" },
    { name: "an unknown key", key: "lt_nope", path: "/v1/scoring", status: 401, code: "unauthorized" },
    {
      name: "a read/write key without admin",
      key: "lt_write_key",
      path: "/v1/scoring",
      status: 403,
      code: "forbidden",
    },
    {
      name: "another site's admin key naming this site",
      key: "lt_other_admin",
      path: "/v1/scoring?site=site_test",
      status: 401,
      code: "unauthorized",
    },
  ];
  for (const r of refusals) {
    it(`refuses ${r.name}: ${r.status}, for GET and PUT, writing nothing`, async () => {
      const get = await call(r.path, r.key);
      expect(get.status).toBe(r.status);
      expect(await get.json()).toMatchObject({ error: { code: r.code } });
      const res = await call(r.path, r.key, { method: "PUT", body: JSON.stringify(rules) });
      expect(res.status).toBe(r.status);
      expect(await rows("SELECT count(*) AS n FROM rule_set_drafts")).toEqual([{ n: 0 }]);
    });
  }

  it("answers 400 for a body that is not JSON", async () => {
    const res = await put("/v1/scoring", "lt_admin_key", "{rules: [");
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { code: "bad_request", message: "body is not valid JSON" } });
  });

  it("answers 422 with every bad field by its JSON path, and stores nothing", async () => {
    const bad = {
      mqlThreshold: 0,
      rules: [
        { ...rules.rules[0], points: 0, caps: { perDay: 0 } },
        { id: "x", kind: "fit", label: { en: "" }, points: 3, match: { companySize: { min: 10, max: 5 } } },
      ],
    };
    const res = await put("/v1/scoring?publish=true", "lt_admin_key", JSON.stringify(bad));
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { code: string; message: string; fields: { path: string }[] } };
    expect(body.error.code).toBe("invalid_rule_set");
    expect(body.error.message).toBe("the rule set has 5 problems");
    expect(body.error.fields.map((f) => f.path)).toEqual([
      "mqlThreshold",
      "rules[0].points",
      "rules[0].caps.perDay",
      "rules[1].label.en",
      "rules[1].match.companySize",
    ]);
    expect(await rows("SELECT count(*) AS n FROM rule_set_versions")).toEqual([{ n: 0 }]);
    expect(await rows("SELECT count(*) AS n FROM rule_set_drafts")).toEqual([{ n: 0 }]);
  });

  it("saves a draft without publishing; GET shows it beside the live rules", async () => {
    const res = await put("/v1/scoring", "lt_admin_key", JSON.stringify(rules));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "draft", version: 1 });
    const body = (await (await call("/v1/scoring", "lt_admin_key")).json()) as {
      ruleSet: { rules: unknown[] };
      draft: { mqlThreshold: number; halfLifeDays: number; rules: { label: unknown }[] };
    };
    expect(body.ruleSet).toEqual(defaultRuleSet);
    expect(body.draft.mqlThreshold).toBe(20);
    // Left out of the JSON: kept from the live rules. The German label defaults to the English one.
    expect(body.draft.halfLifeDays).toBe(defaultRuleSet.halfLifeDays);
    expect(body.draft.rules[0]?.label).toEqual({ en: "Pricing page", de: "Pricing page" });
    expect(await rows("SELECT count(*) AS n FROM rule_set_versions")).toEqual([{ n: 0 }]);
  });

  it("publishing on a site that never scored keeps the defaults as version 1", async () => {
    const res = await put("/v1/scoring?publish=true", "lt_admin_key", JSON.stringify(rules));
    expect(await res.json()).toMatchObject({ status: "published", version: 2 });
    const versions = await rows("SELECT version, rule_set FROM rule_set_versions ORDER BY version");
    expect(versions.map((v) => Number(v.version))).toEqual([1, 2]);
    expect(JSON.parse(String(versions[0]?.rule_set))).toEqual(defaultRuleSet);
  });

  it("publishes a new version with a background re-score, and new events score under it", async () => {
    // An event under the defaults first: the site gets its version 1.
    await t.post(batch([pageview("/pricing")], { visitor: "visitor_before" }), { "x-test-now": String(T0) });
    await put("/v1/scoring", "lt_admin_key", JSON.stringify({ mqlThreshold: 99 }));
    const res = await put("/v1/scoring?publish=true&note=from%20git", "lt_admin_key", JSON.stringify(rules));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "published", version: 2, ruleSet: { version: 2 } });
    expect(await rows("SELECT version, note, published_by AS by FROM rule_set_versions ORDER BY version")).toEqual([
      { version: 1, note: "default rules", by: null },
      { version: 2, note: "from git", by: expect.any(Number) },
    ]);
    // Published like the dashboard does: the draft is gone and the re-score of every lead is queued.
    expect(await rows("SELECT count(*) AS n FROM rule_set_drafts")).toEqual([{ n: 0 }]);
    expect(await rows("SELECT version, status FROM rescore_runs")).toEqual([{ version: 2, status: "pending" }]);
    expect(((await (await call("/v1/scoring", "lt_admin_key")).json()) as { version: number }).version).toBe(2);

    const after = await t.post(batch([pageview("/en/pricing"), pageview("/jobs/1")], { visitor: "visitor_after" }), {
      "x-test-now": String(T0 + 60_000),
    });
    expect(after.status).toBe(200);
    const ledger = await rows(
      "SELECT rule_id AS rule, rule_version AS v, delta FROM score_ledger WHERE rule_version = 2 ORDER BY id",
    );
    expect(ledger).toEqual([
      { rule: "pricing", v: 2, delta: 12 },
      { rule: "jobs", v: 2, delta: -4 },
    ]);
  });
});
