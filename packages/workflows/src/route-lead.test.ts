import { withWriteTransaction } from "@leadtrail/db";
import { afterEach, describe, expect, it } from "vitest";
import { explainLeadRoute, routeLead } from "./route-lead.ts";
import { createFixture, type Fixture } from "./test-fixtures.ts";
import { seedRouting } from "./testing.ts";

const NOW = Date.UTC(2026, 2, 10, 10);

async function setup() {
  const f = await createFixture();
  const ids = await seedRouting(f.db, f.site.id, {
    reps: [{ key: "ana", weight: 2 }, { key: "ben" }, { key: "zoe", capacity: 0 }],
    pools: [
      { key: "software", slaMinutes: 15, reps: ["ana", "ben"] },
      { key: "full", reps: ["zoe"] },
    ],
    rules: [
      { key: "big-software", pool: "full", conditions: { industries: ["software"] } },
      { key: "software", pool: "software", conditions: { industries: ["software"] } },
    ],
    fallbackQueueId: "inbox",
  });
  return { f, ids };
}

describe("routing a lead on demand", () => {
  const cleanups: Fixture[] = [];
  afterEach(() => {
    for (const f of cleanups.splice(0)) f.cleanup();
  });

  it("is deterministic: the same leads and settings give the same owners in two databases", async () => {
    const owners: string[][] = [];
    for (let run = 0; run < 2; run++) {
      const { f, ids } = await setup();
      cleanups.push(f);
      const names = Object.fromEntries(Object.entries(ids.users).map(([k, v]) => [v, k]));
      const out: string[] = [];
      for (let i = 0; i < 6; i++) {
        const leadId = await f.lead(`l${i}@corp.test`, { industry: "Software" });
        const routed = await withWriteTransaction(f.db, (tx) => routeLead(tx, { leadId, now: NOW + i }));
        out.push(names[Number(routed?.decision.repId)] ?? "queue");
      }
      owners.push(out);
    }
    // Weight 2 : 1, interleaved; zoe is at capacity so "big-software" falls through.
    expect(owners[0]).toEqual(["ana", "ben", "ana", "ana", "ben", "ana"]);
    expect(owners[1]).toEqual(owners[0]);
  });

  it("records the fall-through, the SLA and the owner", async () => {
    const { f, ids } = await setup();
    cleanups.push(f);
    const leadId = await f.lead("x@corp.test", { industry: "software" });
    const routed = await withWriteTransaction(f.db, (tx) => routeLead(tx, { leadId, now: NOW }));
    expect(routed?.decision).toMatchObject({
      outcome: "assigned",
      ruleId: String(ids.rules.software),
      fellThroughRuleIds: [String(ids.rules["big-software"])],
      slaDueAt: NOW + 15 * 60_000,
      trigger: "manual",
    });
    expect(await f.rows("SELECT owner_id FROM leads")).toEqual([{ owner_id: ids.users.ana }]);
  });

  it("queues a lead no rule matches in the site's fallback queue", async () => {
    const { f } = await setup();
    cleanups.push(f);
    const leadId = await f.lead("y@retail.test", { industry: "retail" });
    const routed = await withWriteTransaction(f.db, (tx) => routeLead(tx, { leadId, now: NOW }));
    expect(routed?.decision).toMatchObject({ outcome: "queued", queueId: "inbox", queueReason: "no_rule_matched" });
    expect(await f.rows("SELECT rep_id, queue_id FROM lead_assignments")).toEqual([
      { rep_id: null, queue_id: "inbox" },
    ]);
    expect(await f.rows("SELECT owner_id FROM leads")).toEqual([{ owner_id: null }]);
  });

  it("previews without storing or advancing the round robin", async () => {
    const { f, ids } = await setup();
    cleanups.push(f);
    const leadId = await f.lead("p@corp.test", { industry: "software" });
    const first = await explainLeadRoute(f.db, leadId, NOW);
    const second = await explainLeadRoute(f.db, leadId, NOW);
    expect(first?.decision.repId).toBe(String(ids.users.ana));
    expect(second?.decision).toEqual(first?.decision);
    expect(first?.lines.join("\n")).toContain("at capacity");
    expect(await f.rows("SELECT count(*) AS n FROM lead_assignments")).toEqual([{ n: 0 }]);
    expect(await f.rows("SELECT count(*) AS n FROM routing_pool_state")).toEqual([{ n: 0 }]);
  });
});
