// Routing inside the ingest transaction: a lead that crosses the MQL threshold is assigned in the
// same commit, through the real app and database.
import { seedRouting } from "@leadtrail/workflows/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { batch, createTestCollector, pageview, type TestCollector } from "../testing/test-collector.ts";

const T0 = Date.UTC(2026, 2, 10, 9);
const at = (ms: number) => ({ "x-test-now": String(ms) });

async function rows(t: TestCollector, sql: string) {
  return (await t.db.$client.execute(sql)).rows as Record<string, unknown>[];
}

/** identify (c-level, business e-mail: fit 20) + contact form (20) = 40 ≥ 35: MQL in one batch. */
function mqlBatch(visitor: string, email: string, traits: Record<string, string> = {}) {
  return batch(
    [
      pageview("/id", { type: "identify", email, traits: { seniority: "c-level", ...traits } }),
      pageview("/contact", { type: "form", name: "contact" }),
    ],
    { visitor },
  );
}

describe("routing when a lead becomes MQL during ingest", () => {
  let t: TestCollector;
  let ids: Awaited<ReturnType<typeof seedRouting>>;
  beforeEach(async () => {
    t = await createTestCollector();
    ids = await seedRouting(t.db, t.site.id, {
      reps: [{ key: "ana" }, { key: "ben" }, { key: "carl" }],
      pools: [
        { key: "dach", slaMinutes: 60, reps: ["ana", "ben"] },
        { key: "rest", reps: ["carl"] },
      ],
      rules: [
        { key: "dach-rule", pool: "dach", conditions: { regions: ["DACH"] } },
        { key: "catch-all", pool: "rest" },
      ],
    });
    await t.db.$client.execute({
      sql: "INSERT INTO webhook_endpoints (site_id, url, secret, events, created_at) VALUES (?, ?, ?, ?, ?)",
      args: [t.site.id, "http://127.0.0.1:9/hook", "s3cret", JSON.stringify(["lead.mql", "lead.assigned"]), T0],
    });
  });
  afterEach(() => t.cleanup());

  it("assigns the lead in the same commit: rule, candidates, owner, state, notification and outbox rows", async () => {
    const res = await t.post(mqlBatch("visitor_de", "cto@bigcorp.test", { country: "DE" }), at(T0));
    expect(res.status).toBe(200);
    const [lead] = await rows(t, "SELECT id, stage, owner_id FROM leads");
    expect(lead?.stage).toBe("mql");
    const assignments = await rows(t, "SELECT * FROM lead_assignments");
    expect(assignments).toHaveLength(1);
    const a = assignments[0] as Record<string, unknown>;
    expect(a).toMatchObject({
      lead_id: lead?.id,
      rule_id: ids.rules["dach-rule"],
      pool_id: ids.pools.dach,
      trigger: "mql",
      at: T0,
      sla_due_at: T0 + 60 * 60_000,
      closed_at: null,
    });
    // Ties go to the smaller rep id: ana.
    expect(a.rep_id).toBe(ids.users.ana);
    expect(lead?.owner_id).toBe(ids.users.ana);
    const candidates = JSON.parse(String(a.candidates)) as { repId: string; status: string }[];
    expect(candidates.map((c) => [c.repId, c.status])).toEqual([
      [String(ids.users.ana), "chosen"],
      [String(ids.users.ben), "eligible"],
    ]);
    expect(await rows(t, "SELECT pool_id FROM routing_pool_state")).toEqual([{ pool_id: ids.pools.dach }]);
    expect(await rows(t, "SELECT user_id, kind, lead_id FROM notifications")).toEqual([
      { user_id: ids.users.ana, kind: "lead_assigned", lead_id: lead?.id },
    ]);
    const outbox = await rows(t, "SELECT event_type, lead_id, payload FROM outbox ORDER BY id");
    expect(outbox.map((o) => o.event_type)).toEqual(["lead.mql", "lead.assigned"]);
    const assigned = JSON.parse(String(outbox[1]?.payload));
    expect(assigned.data.lead).toMatchObject({ id: lead?.id, email: "cto@bigcorp.test", ownerId: ids.users.ana });
    expect(assigned.data.assignment).toMatchObject({ repId: ids.users.ana, ruleId: ids.rules["dach-rule"] });
  });

  it("alternates between equal reps (the round-robin state is stored between commits)", async () => {
    await t.post(mqlBatch("visitor_1", "one@bigcorp.test", { country: "AT" }), at(T0));
    await t.post(mqlBatch("visitor_2", "two@bigcorp.test", { country: "CH" }), at(T0 + 1000));
    await t.post(mqlBatch("visitor_3", "three@bigcorp.test", { country: "DE" }), at(T0 + 2000));
    const owners = await rows(t, "SELECT email, owner_id FROM leads ORDER BY id");
    expect(owners.map((o) => o.owner_id)).toEqual([ids.users.ana, ids.users.ben, ids.users.ana]);
  });

  it("sends a lead outside every region to the next matching rule", async () => {
    await t.post(mqlBatch("visitor_us", "vp@bigcorp.test", { country: "US" }), at(T0));
    const [a] = await rows(t, "SELECT rep_id, rule_id FROM lead_assignments");
    expect(a).toEqual({ rep_id: ids.users.carl, rule_id: ids.rules["catch-all"] });
  });

  it("does no routing work for a commit without an MQL", async () => {
    await t.post(batch([pageview("/pricing")], { visitor: "visitor_anon" }), at(T0));
    await t.post(
      batch([pageview("/id", { type: "identify", email: "intern@bigcorp.test" })], { visitor: "visitor_low" }),
      at(T0 + 1000),
    );
    expect(await rows(t, "SELECT stage FROM leads")).toEqual([{ stage: "lead" }]);
    expect(await rows(t, "SELECT count(*) AS n FROM lead_assignments")).toEqual([{ n: 0 }]);
    expect(await rows(t, "SELECT count(*) AS n FROM outbox")).toEqual([{ n: 0 }]);
    expect(await rows(t, "SELECT count(*) AS n FROM notifications")).toEqual([{ n: 0 }]);
  });
});

describe("routing without any rule", () => {
  it("puts the lead in the fallback queue, still announcing the MQL", async () => {
    const t = await createTestCollector();
    try {
      await t.post(mqlBatch("visitor_q", "cfo@bigcorp.test"), at(T0));
      const [a] = await rows(t, "SELECT rep_id, queue_id, decision FROM lead_assignments");
      expect(a).toMatchObject({ rep_id: null, queue_id: "unassigned" });
      expect(JSON.parse(String(a?.decision)).queueReason).toBe("no_rule_matched");
      expect(await rows(t, "SELECT owner_id FROM leads")).toEqual([{ owner_id: null }]);
      expect(await rows(t, "SELECT event_type FROM outbox")).toEqual([{ event_type: "lead.mql" }]);
    } finally {
      t.cleanup();
    }
  });
});
