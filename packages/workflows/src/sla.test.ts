import { withWriteTransaction } from "@leadtrail/db";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { routeLead } from "./route-lead.ts";
import { applySalesAction } from "./sales-actions.ts";
import { findAndRerouteSlaBreaches } from "./sla.ts";
import { createFixture, type Fixture } from "./test-fixtures.ts";
import { type SeededRouting, seedRouting } from "./testing.ts";

const NOW = Date.UTC(2026, 2, 10, 10);
const MIN = 60_000;

describe("SLA job", () => {
  let f: Fixture;
  let ids: SeededRouting;
  let leadId: number;
  beforeEach(async () => {
    f = await createFixture();
    ids = await seedRouting(f.db, f.site.id, {
      reps: [{ key: "ana" }, { key: "ben" }],
      pools: [{ key: "team", slaMinutes: 30, reps: ["ana", "ben"] }],
      rules: [{ key: "all", pool: "team" }],
    });
    leadId = await f.lead("sla@corp.test");
    await withWriteTransaction(f.db, (tx) => routeLead(tx, { leadId, now: NOW, trigger: "mql" }));
  });
  afterEach(() => f.cleanup());

  it("does nothing before the SLA runs out", async () => {
    expect(await findAndRerouteSlaBreaches(f.db, NOW + 30 * MIN - 1)).toEqual([]);
    expect(await f.rows("SELECT count(*) AS n FROM sla_misses")).toEqual([{ n: 0 }]);
  });

  it("records the miss, notifies the rep and re-routes to someone else; then to the queue", async () => {
    const first = await findAndRerouteSlaBreaches(f.db, NOW + 31 * MIN);
    expect(first).toEqual([expect.objectContaining({ leadId, missedBy: ids.users.ana, overdueMs: MIN })]);
    expect(first[0]?.decision).toMatchObject({ trigger: "sla_reroute", repId: String(ids.users.ben) });
    expect(await f.rows("SELECT rep_id, overdue_ms FROM sla_misses")).toEqual([
      { rep_id: ids.users.ana, overdue_ms: MIN },
    ]);
    expect(await f.rows("SELECT rep_id, trigger, closed_at FROM lead_assignments ORDER BY id")).toEqual([
      { rep_id: ids.users.ana, trigger: "mql", closed_at: NOW + 31 * MIN },
      { rep_id: ids.users.ben, trigger: "sla_reroute", closed_at: null },
    ]);
    expect(await f.rows("SELECT owner_id FROM leads")).toEqual([{ owner_id: ids.users.ben }]);
    expect(await f.rows("SELECT user_id, kind FROM notifications ORDER BY id")).toEqual([
      { user_id: ids.users.ana, kind: "lead_assigned" },
      { user_id: ids.users.ana, kind: "sla_breach" },
      { user_id: ids.users.ben, kind: "lead_assigned" },
    ]);
    // Ben misses it too: both are excluded now, so the lead waits in the fallback queue.
    const second = await findAndRerouteSlaBreaches(f.db, NOW + 62 * MIN);
    expect(second[0]?.decision).toMatchObject({ outcome: "queued", queueReason: "no_rep_available" });
    expect(await f.rows("SELECT owner_id FROM leads")).toEqual([{ owner_id: null }]);
    expect(await findAndRerouteSlaBreaches(f.db, NOW + 999 * MIN)).toEqual([]);
  });

  it("leaves an accepted lead alone", async () => {
    const accepted = await applySalesAction(f.db, { leadId, action: "accept", actor: "user:1", now: NOW + 5 * MIN });
    expect(accepted.ok).toBe(true);
    expect(await findAndRerouteSlaBreaches(f.db, NOW + 60 * MIN)).toEqual([]);
  });
});
