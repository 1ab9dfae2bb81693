// Privacy through the real app: export everything about a lead, erase it, and make sure nothing
// mentioning it is left and a later event or identify does not bring it back.
import { applySalesAction, eraseLead, exportLead } from "@leadtrail/workflows";
import { seedRouting } from "@leadtrail/workflows/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { batch, createTestCollector, pageview, type TestCollector } from "../testing/test-collector.ts";

const T0 = Date.UTC(2026, 2, 10, 9);
const at = (ms: number) => ({ "x-test-now": String(ms) });
const EMAIL = "cto@erase-me.test";
const VISITORS = ["visitor_laptop", "visitor_phone"];

async function rows(t: TestCollector, sql: string) {
  return (await t.db.$client.execute(sql)).rows as Record<string, unknown>[];
}

/** Every row of every table, as text, with the table name. */
async function dumpAllTables(t: TestCollector): Promise<{ table: string; row: string }[]> {
  const tables = await rows(t, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
  const out: { table: string; row: string }[] = [];
  for (const { name } of tables) {
    for (const row of await rows(t, `SELECT * FROM "${String(name)}"`))
      out.push({ table: String(name), row: JSON.stringify(row) });
  }
  return out;
}

describe("export and erase a lead", () => {
  let t: TestCollector;
  let leadId: number;
  beforeEach(async () => {
    t = await createTestCollector();
    await seedRouting(t.db, t.site.id, {
      reps: [{ key: "ana" }],
      pools: [{ key: "all", slaMinutes: 30, reps: ["ana"] }],
      rules: [{ key: "everyone", pool: "all" }],
    });
    await t.post(
      batch([pageview("/products/lead-scoring", { props: { plan: "pro" } })], { visitor: VISITORS[0] }),
      at(T0),
    );
    await t.post(
      batch(
        [
          pageview("/id", { type: "identify", email: EMAIL, traits: { seniority: "c-level", name: "Erin Erased" } }),
          pageview("/contact", { type: "form", name: "contact" }),
        ],
        { visitor: VISITORS[0] },
      ),
      at(T0 + 1000),
    );
    await t.post(
      batch([pageview("/pricing"), pageview("/id", { type: "identify", email: EMAIL })], { visitor: VISITORS[1] }),
      at(T0 + 2000),
    );
    // Someone else, who must survive the erase.
    await t.post(
      batch([pageview("/id", { type: "identify", email: "keep@other.test" })], { visitor: "visitor_keep" }),
      at(T0 + 3000),
    );
    leadId = Number((await rows(t, `SELECT id FROM leads WHERE email = '${EMAIL}'`))[0]?.id);
    const accepted = await applySalesAction(t.db, { leadId, action: "accept", actor: "user:1", now: T0 + 4000 });
    expect(accepted.ok).toBe(true);
  });
  afterEach(() => t.cleanup());

  it("exports everything stored about the lead", async () => {
    const data = await exportLead(t.db, leadId, { now: T0 + 5000 });
    expect(data?.lead).toMatchObject({ id: leadId, email: EMAIL, stage: "sal" });
    expect(data?.company).toMatchObject({ domain: "erase-me.test" });
    expect(data?.visitors.map((v) => v.id).sort()).toEqual(VISITORS);
    expect(data?.events.map((e) => e.path)).toEqual(["/products/lead-scoring", "/id", "/contact", "/pricing", "/id"]);
    expect(data?.events[0]?.props).toEqual({ plan: "pro" });
    expect(data?.ledger.length).toBeGreaterThanOrEqual(4);
    expect(data?.stageChanges.map((s) => s.to_stage)).toEqual(["mql", "sal"]);
    expect(data?.assignments).toHaveLength(1);
    expect(data?.assignments[0]?.accepted_at).toBe(T0 + 4000);
    expect(data?.notifications).toHaveLength(1);
    expect(data?.outbox.map((o) => o.event_type)).toEqual(["lead.mql", "lead.assigned", "lead.stage_changed"]);
    expect(data?.contentTouches.map((c) => c.path).sort()).toEqual(["/pricing", "/products/lead-scoring"]);
    expect(await exportLead(t.db, leadId, { siteId: t.site.id + 1 })).toBeUndefined();
  });

  it("leaves no row mentioning the lead, and a later event or identify does not bring it back", async () => {
    const before = await dumpAllTables(t);
    expect(before.some((r) => r.row.includes(EMAIL))).toBe(true);

    const result = await eraseLead(t.db, leadId, { now: T0 + 5000 });
    expect(result?.tombstones).toBe(3);
    const after = await dumpAllTables(t);
    const mentions = after.filter((r) => [EMAIL, ...VISITORS].some((needle) => r.row.includes(needle)));
    expect(mentions).toEqual([]);
    const leadRefs = after.filter((r) => /"lead_id":/.test(r.row) && r.row.includes(`"lead_id":${leadId},`));
    expect(leadRefs).toEqual([]);
    expect(await rows(t, "SELECT email FROM leads")).toEqual([{ email: "keep@other.test" }]);
    // Rollups are aggregates and stay.
    expect((await rows(t, "SELECT sum(events) AS n FROM daily_stats WHERE dimension = ''"))[0]?.n).toBe(6);
    const erased = await rows(t, "SELECT payload FROM outbox WHERE event_type = 'lead.erased'");
    expect(JSON.parse(String(erased[0]?.payload)).data).toEqual({ leadId, siteId: t.site.id, actor: null });

    // The collector still has the laptop cached: its next event must be dropped, not re-create it.
    const later = await t.post(batch([pageview("/pricing")], { visitor: VISITORS[0] }), at(T0 + 6000));
    expect(later.status).toBe(200);
    const identifyAgain = await t.post(
      batch([pageview("/id", { type: "identify", email: EMAIL })], { visitor: VISITORS[1] }),
      at(T0 + 7000),
    );
    expect(identifyAgain.status).toBe(200);
    // A new browser naming the erased e-mail is stored as anonymous, but no lead comes back.
    await t.post(
      batch([pageview("/id", { type: "identify", email: EMAIL.toUpperCase() })], { visitor: "visitor_new" }),
      at(T0 + 8000),
    );
    const server = await t.app.request("/v1/identify", {
      method: "POST",
      headers: {
        authorization: "Bearer sk_test_secret",
        "content-type": "application/json",
        "x-test-now": String(T0 + 9000),
      },
      body: JSON.stringify({ site: "site_test", email: EMAIL, visitor: VISITORS[0] }),
    });
    expect(server.status).toBe(410);

    const final = await dumpAllTables(t);
    expect(final.filter((r) => [EMAIL, ...VISITORS].some((needle) => r.row.includes(needle)))).toEqual([]);
    expect(await rows(t, "SELECT email FROM leads")).toEqual([{ email: "keep@other.test" }]);
  });
});
