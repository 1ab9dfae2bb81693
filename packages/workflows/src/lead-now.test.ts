import { DAY_MS } from "@leadtrail/scoring";
import { afterEach, describe, expect, it } from "vitest";
import { loadLeadNow } from "./lead-now.ts";
import { createFixture, type Fixture } from "./test-fixtures.ts";

describe("loadLeadNow", () => {
  const fixtures: Fixture[] = [];
  afterEach(() => {
    for (const f of fixtures.splice(0)) f.cleanup();
  });

  it("gives the score and the rule breakdown decayed to now, the stage history and the assignments", async () => {
    const f = await createFixture();
    fixtures.push(f);
    const id = await f.lead("ann@acme.test", {}, "mql");
    const ledger: [string, string, number, number][] = [
      ["pricing-visit", "engagement", 10, 0],
      ["pricing-visit", "engagement", 10, 0],
      ["job-page", "engagement", -4, 0],
      ["role-cto", "fit", 6, 0],
    ];
    for (const [rule, kind, delta, at] of ledger)
      await f.db.$client.execute({
        sql: "INSERT INTO score_ledger (site_id, lead_id, rule_id, rule_version, kind, delta, at) VALUES (?, ?, ?, 1, ?, ?, ?)",
        args: [f.site.id, id, rule, kind, delta, at],
      });
    // The stored columns as ingest keeps them: fit, and engagement as of its last change.
    await f.db.$client.execute({
      sql: "UPDATE leads SET fit_score = 6, engagement_score = 16, scored_at = 0 WHERE id = ?",
      args: [id],
    });
    await f.db.$client.execute({
      sql: "INSERT INTO stage_changes (site_id, lead_id, from_stage, to_stage, actor, reason, at) VALUES (?, ?, 'lead', 'mql', 'system', 'threshold', 5)",
      args: [f.site.id, id],
    });
    const now = 30 * DAY_MS; // one half-life of the default rule set
    const lead = await loadLeadNow(f.db, id, now);
    expect(lead?.score).toBeCloseTo(6 + 8, 10);
    expect(
      lead?.explanation.rules.map((r) => [r.ruleId, r.kind, r.entries, r.points, Math.round(r.current * 100) / 100]),
    ).toEqual([
      ["pricing-visit", "engagement", 2, 20, 10],
      ["role-cto", "fit", 1, 6, 6],
      ["job-page", "engagement", 1, -4, -2],
    ]);
    expect(lead?.ledger).toHaveLength(4);
    expect(lead?.stageHistory.map((s) => [s.from_stage, s.to_stage, s.actor])).toEqual([["lead", "mql", "system"]]);
    expect(lead?.assignments).toEqual([]);
    expect(await loadLeadNow(f.db, id + 1000, now)).toBeUndefined();
  });
});
