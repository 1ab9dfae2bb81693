// The background re-score racing real ingest: events that arrive while their lead is re-scored are
// neither lost nor counted twice, and every lead ends as a replay of its events under the new rules.
import { latestRescoreRun, loadLeadHistories, publishRuleSet, seedRuleSetVersion } from "@leadtrail/db";
import { defaultRuleSet, type RuleSet, replay } from "@leadtrail/scoring";
import { historySteps, runRescoreBatch } from "@leadtrail/workflows";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { batch, createTestCollector, pageview, type TestCollector } from "../testing/test-collector.ts";

const T0 = Date.UTC(2026, 2, 10, 9);
const PUBLISH = T0 + 3_600_000;
const LEADS = 8;
// v2: the pricing page is worth 25 on every view (no cap), so every pricing view must end up with
// exactly one ledger row.
const v2 = (version: number): RuleSet => ({
  ...defaultRuleSet,
  version,
  rules: defaultRuleSet.rules.map((r) => (r.id === "pricing-page" ? { ...r, points: 25, caps: {} } : r)),
});

describe("re-score job with concurrent ingest", () => {
  let t: TestCollector;
  beforeEach(async () => {
    // Every commit re-checks the published version, as collectors do within seconds.
    t = await createTestCollector(undefined, { ruleSetCheckMs: 0 });
    await seedRuleSetVersion(t.db, t.site.id, defaultRuleSet, T0 - 1000);
    for (let i = 0; i < LEADS; i++) {
      await t.post(
        batch([pageview("/id", { type: "identify", email: `p${i}@corp.test` }), pageview("/pricing")], {
          visitor: `visitor_${i}`,
        }),
        { "x-test-now": String(T0 + i * 1000) },
      );
    }
  });
  afterEach(() => t.cleanup());

  it("loses no event, counts none twice, and leaves every lead a replay of its events", async () => {
    await publishRuleSet(t.db, t.site.id, v2, 1, "pricing matters", PUBLISH);
    let clock = PUBLISH + 60_000;
    let posted = 0;
    for (let round = 0; round < 12; round++) {
      clock += 1000;
      const visitor = `visitor_${(round * 3) % LEADS}`;
      // Both race for the write lock: a batch of 2 leads and an event for one of them.
      const [result] = await Promise.all([
        runRescoreBatch(t.db, { now: clock, batchSize: 2 }),
        t.post(batch([pageview("/pricing")], { visitor }), { "x-test-now": String(clock) }),
      ]);
      posted++;
      if (result?.status === "done") break;
    }
    expect(await latestRescoreRun(t.db, t.site.id)).toMatchObject({ status: "done", done: LEADS });

    const q = async (sql: string) => (await t.db.$client.execute(sql)).rows;
    const pricingViews = await q("SELECT id FROM events WHERE path = '/pricing'");
    expect(pricingViews).toHaveLength(LEADS + posted);
    const pricingLedger = await q(
      "SELECT event_id, count(*) AS n, min(rule_version) AS v FROM score_ledger WHERE rule_id = 'pricing-page' GROUP BY event_id",
    );
    expect(pricingLedger).toHaveLength(pricingViews.length);
    expect(pricingLedger.every((r) => Number(r.n) === 1 && Number(r.v) === 2)).toBe(true);
    expect(await q("SELECT DISTINCT rule_version AS v FROM score_ledger")).toEqual([{ v: 2 }]);

    const ids = (await q("SELECT id FROM leads ORDER BY id")).map((r) => Number(r.id));
    const histories = await loadLeadHistories(t.db, ids);
    for (const lead of histories.values()) {
      const expected = replay(historySteps(lead), v2(2)).state;
      const state = lead.scoreState as typeof expected;
      expect(state.rules["pricing-page"]?.count, `lead ${lead.id}`).toBe(expected.rules["pricing-page"]?.count);
      expect(state.engagement, `lead ${lead.id}`).toBeCloseTo(expected.engagement, 9);
      expect(state.fit, `lead ${lead.id}`).toBe(expected.fit);
    }
  });
});
