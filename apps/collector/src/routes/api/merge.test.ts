// POST /v1/leads/:id/merge through the app: two leads of one person, made by real ingest.
import { createApiKey, createSite, grantApiKey, loadLeadHistories } from "@leadtrail/db";
import { defaultRuleSet, replay } from "@leadtrail/scoring";
import { apiKeyHash, historySteps } from "@leadtrail/workflows";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { batch, createTestCollector, pageview, type TestCollector } from "../../testing/test-collector.ts";

const T0 = Date.UTC(2026, 2, 10, 9);
const NOW = T0 + 3_600_000;

async function makeKey(t: TestCollector, secret: string, siteId: number, scopes: string[]) {
  const key = await createApiKey(t.db, {
    name: secret,
    prefix: secret.slice(0, 10),
    keyHash: await apiKeyHash(secret),
    createdBy: null,
  });
  await grantApiKey(t.db, { apiKeyId: key.id, siteId, scopes });
}

describe("POST /v1/leads/:id/merge", () => {
  let t: TestCollector;
  let keepId: number;
  let mergeId: number;
  let foreignId: number;
  beforeEach(async () => {
    t = await createTestCollector();
    await makeKey(t, "lt_write_key", t.site.id, ["read", "write"]);
    await makeKey(t, "lt_read_key", t.site.id, ["read"]);
    const other = await createSite(t.db, { publicKey: "other", name: "Other", domains: ["other.test"] });
    await t.post(
      batch(
        [
          pageview("/id", { type: "identify", email: "anna@acme-corp.test", traits: { seniority: "director" } }),
          pageview("/products", { type: "click", name: "product_image" }),
          pageview("/newsletter", { type: "form", name: "newsletter" }),
        ],
        { visitor: "visitor_laptop" },
      ),
      { "x-test-now": String(T0) },
    );
    await t.post(
      batch(
        [
          pageview("/pricing"),
          pageview("/newsletter", { type: "form", name: "newsletter" }),
          pageview("/id", { type: "identify", email: "anna@gmail.com" }),
        ],
        { visitor: "visitor_phone" },
      ),
      { "x-test-now": String(T0 + 60_000) },
    );
    const rows = (await t.db.$client.execute("SELECT id FROM leads ORDER BY id")).rows;
    keepId = Number(rows[0]?.id);
    mergeId = Number(rows[1]?.id);
    const foreign = await t.db.$client.execute({
      sql: "INSERT INTO leads (site_id, email, created_at) VALUES (?, 'x@other.test', 0) RETURNING id",
      args: [other.id],
    });
    foreignId = Number(foreign.rows[0]?.id);
  });
  afterEach(() => t.cleanup());

  const call = (path: string, key: string, body?: unknown) =>
    t.app.request(path, {
      method: body === undefined ? "GET" : "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "x-test-now": String(NOW) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it("merges the two leads: one lead with both browsers, its score a replay of all their events", async () => {
    const res = await call(`/v1/leads/${keepId}/merge`, "lt_write_key", { merge: mergeId, reason: "same person" });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { leadId: number; stage: string; moved: Record<string, number> };
    expect(body).toMatchObject({ leadId: keepId, merged: mergeId, moved: { visitors: 1 } });

    const visitors = await t.db.$client.execute("SELECT lead_id FROM visitors ORDER BY id");
    expect(visitors.rows.map((r) => Number(r.lead_id))).toEqual([keepId, keepId]);
    const lead = (await loadLeadHistories(t.db, [keepId])).get(keepId);
    expect(lead?.events).toHaveLength(6);
    const expected = replay(historySteps(lead as NonNullable<typeof lead>), defaultRuleSet).state;
    const [row] = (
      await t.db.$client.execute({ sql: "SELECT engagement_score, fit_score FROM leads WHERE id = ?", args: [keepId] })
    ).rows;
    expect(row?.engagement_score).toBe(expected.engagement);
    expect(row?.fit_score).toBe(expected.fit);
    // Newsletter twice (once per device) counts once for one person: 3 + 7 + 10 (pricing), and the
    // phone's visit is the person's second one (+2).
    const [points] = (
      await t.db.$client.execute({
        sql: "SELECT sum(delta) AS p FROM score_ledger WHERE lead_id = ? AND kind = 'engagement'",
        args: [keepId],
      })
    ).rows;
    expect(points?.p).toBe(22);

    const merged = await call(`/v1/leads/${mergeId}`, "lt_read_key");
    expect(merged.status).toBe(404);
    const detail = (await (await call(`/v1/leads/${keepId}`, "lt_read_key")).json()) as {
      stageHistory: { actor: string; reason: string | null }[];
    };
    expect(detail.stageHistory).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ reason: `merged lead #${mergeId} (anna@gmail.com): same person` }),
      ]),
    );
  });

  const refusals = [
    { name: "the same lead", status: 400, code: "bad_request", key: "lt_write_key", target: () => keepId },
    { name: "another site's lead", status: 404, code: "not_found", key: "lt_write_key", target: () => foreignId },
    { name: "a lead that does not exist", status: 404, code: "not_found", key: "lt_write_key", target: () => 99_999 },
    { name: "a read-only key", status: 403, code: "forbidden", key: "lt_read_key", target: () => mergeId },
  ];
  for (const c of refusals) {
    it(`answers ${c.status} for ${c.name} and writes nothing`, async () => {
      const count = async () =>
        (
          await t.db.$client.execute(
            "SELECT (SELECT count(*) FROM leads) AS l, (SELECT count(*) FROM lead_merges) AS m",
          )
        ).rows[0];
      const before = await count();
      const res = await call(`/v1/leads/${keepId}/merge`, c.key, { merge: c.target() });
      expect(res.status).toBe(c.status);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe(c.code);
      expect(await count()).toEqual(before);
    });
  }

  it("answers 400 with the field for a malformed body", async () => {
    const res = await call(`/v1/leads/${keepId}/merge`, "lt_write_key", { merge: "two" });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/^merge: /);
  });
});
