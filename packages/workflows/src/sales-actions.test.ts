import { withWriteTransaction } from "@leadtrail/db";
import { afterEach, describe, expect, it } from "vitest";
import { routeLead } from "./route-lead.ts";
import { applySalesAction, type SalesActionInput } from "./sales-actions.ts";
import { createFixture, type Fixture } from "./test-fixtures.ts";
import { seedRouting } from "./testing.ts";

const NOW = Date.UTC(2026, 2, 10, 10);

interface Case {
  name: string;
  from: string;
  action: SalesActionInput["action"];
  reason?: string;
  to?: string;
  error?: string;
  assignment?: "accepted" | "closed" | "open";
  owner?: "kept" | "cleared";
}

const cases: Case[] = [
  { name: "accept an MQL", from: "mql", action: "accept", to: "sal", assignment: "accepted", owner: "kept" },
  { name: "qualify a SAL", from: "sal", action: "qualify", to: "sql", assignment: "open", owner: "kept" },
  { name: "win an SQL", from: "sql", action: "win", to: "won", assignment: "closed", owner: "kept" },
  { name: "lose with a reason", from: "sal", action: "lose", reason: "budget", to: "lost", assignment: "closed" },
  { name: "reject back to nurture", from: "mql", action: "reject", reason: "student", to: "nurture", owner: "cleared" },
  { name: "qualify an MQL", from: "mql", action: "qualify", error: "illegal_transition" },
  { name: "win a SAL", from: "sal", action: "win", error: "illegal_transition" },
  { name: "accept a closed lead", from: "won", action: "accept", error: "illegal_transition" },
  { name: "reject without a reason", from: "mql", action: "reject", error: "reason_required" },
];

describe("sales actions", () => {
  const fixtures: Fixture[] = [];
  afterEach(() => {
    for (const f of fixtures.splice(0)) f.cleanup();
  });

  for (const c of cases) {
    it(`${c.error ? "refuses" : "applies"}: ${c.name}`, async () => {
      const f = await createFixture();
      fixtures.push(f);
      const ids = await seedRouting(f.db, f.site.id, {
        reps: [{ key: "ana" }],
        pools: [{ key: "p", slaMinutes: 60, reps: ["ana"] }],
        rules: [{ key: "r", pool: "p" }],
      });
      const leadId = await f.lead("s@corp.test", {}, c.from);
      await withWriteTransaction(f.db, (tx) => routeLead(tx, { leadId, now: NOW }));
      const outboxBefore = (await f.rows("SELECT count(*) AS n FROM outbox"))[0]?.n;
      const result = await applySalesAction(f.db, {
        leadId,
        action: c.action,
        reason: c.reason,
        actor: "user:7",
        value: c.action === "win" ? 12000 : null,
        now: NOW + 1000,
      });
      const [lead] = await f.rows("SELECT stage, owner_id FROM leads");
      if (c.error) {
        expect(result).toMatchObject({ ok: false, error: { code: c.error } });
        expect(lead?.stage).toBe(c.from);
        expect(await f.rows("SELECT count(*) AS n FROM stage_changes")).toEqual([{ n: 0 }]);
        expect((await f.rows("SELECT count(*) AS n FROM outbox"))[0]?.n).toBe(outboxBefore);
        return;
      }
      expect(result).toMatchObject({ ok: true, stage: c.to });
      expect(lead?.stage).toBe(c.to);
      // The won value stays on the lead (lists, CSV, REST show it), not only in the webhook.
      const [{ deal_value } = {}] = await f.rows("SELECT deal_value FROM leads");
      expect(deal_value).toBe(c.to === "won" ? 12000 : null);
      expect(await f.rows("SELECT from_stage, to_stage, actor, reason FROM stage_changes")).toEqual([
        { from_stage: c.from, to_stage: c.to, actor: "user:7", reason: c.reason ?? null },
      ]);
      const [a] = await f.rows("SELECT accepted_at, closed_at FROM lead_assignments");
      if (c.assignment === "accepted") expect(a).toEqual({ accepted_at: NOW + 1000, closed_at: null });
      if (c.assignment === "closed") expect(a?.closed_at).toBe(NOW + 1000);
      if (c.assignment === "open") expect(a).toEqual({ accepted_at: null, closed_at: null });
      if (c.owner === "kept") expect(lead?.owner_id).toBe(ids.users.ana);
      if (c.owner === "cleared") expect(lead?.owner_id).toBeNull();
      const [event] = await f.rows("SELECT payload FROM outbox WHERE event_type = 'lead.stage_changed'");
      expect(JSON.parse(String(event?.payload)).data).toMatchObject({ from: c.from, to: c.to, action: c.action });
    });
  }

  it("routes a lead marked MQL by hand", async () => {
    const f = await createFixture();
    fixtures.push(f);
    const ids = await seedRouting(f.db, f.site.id, {
      reps: [{ key: "ana" }],
      pools: [{ key: "p", reps: ["ana"] }],
      rules: [{ key: "r", pool: "p" }],
    });
    const leadId = await f.lead("fair@corp.test", {}, "lead");
    const result = await applySalesAction(f.db, {
      leadId,
      action: "mark_mql",
      reason: "met at a fair",
      actor: "user:7",
      now: NOW,
    });
    expect(result.ok).toBe(true);
    expect(await f.rows("SELECT stage, owner_id FROM leads")).toEqual([{ stage: "mql", owner_id: ids.users.ana }]);
    expect((await f.rows("SELECT event_type FROM outbox ORDER BY id")).map((r) => r.event_type)).toEqual([
      "lead.stage_changed",
      "lead.mql",
      "lead.assigned",
    ]);
  });

  it("does not act on a lead of another site", async () => {
    const f = await createFixture();
    fixtures.push(f);
    const leadId = await f.lead("o@corp.test");
    const result = await applySalesAction(f.db, { leadId, siteId: f.site.id + 1, action: "accept", actor: "user:1" });
    expect(result).toMatchObject({ ok: false, error: { code: "not_found" } });
  });
});
