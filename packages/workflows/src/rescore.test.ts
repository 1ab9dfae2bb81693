import { latestRescoreRun, loadLeadHistories, publishRuleSet, seedRuleSetVersion } from "@leadtrail/db";
import { combinedScore, defaultRuleSet, histogram, type RuleSet, replay, rescoreLead } from "@leadtrail/scoring";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { historySteps, previewRescore, processRescoreRuns, runRescoreBatch } from "./rescore.ts";
import { type EventSpec, seedScoredLead } from "./rescore-fixtures.ts";
import { storedState } from "./score-rows.ts";
import { createFixture, type Fixture } from "./test-fixtures.ts";

const T0 = Date.UTC(2026, 2, 2, 9);
const DAY = 86_400_000;
const NOW = T0 + 2 * DAY;

// Pricing is worth 25 instead of 10 in the draft: leads who looked at pricing become MQLs.
const draft: RuleSet = {
  ...defaultRuleSet,
  version: 2,
  rules: defaultRuleSet.rules.map((r) => (r.id === "pricing-page" ? { ...r, points: 25 } : r)),
};

const journeys: EventSpec[][] = [
  [
    { type: "pageview", path: "/demo/pricing", at: T0 },
    { type: "form", name: "newsletter", at: T0 + 60_000 },
  ],
  [{ type: "qr_scan", name: "p", at: T0 }],
  [
    { type: "pageview", path: "/demo/pricing", at: T0 },
    { type: "click", name: "product_image", at: T0 + 1000 },
    { type: "qr_scan", name: "p", at: T0 + 2000 },
  ],
  [
    { type: "form", name: "demo_request", at: T0 },
    { type: "pageview", path: "/demo/careers", at: T0 + 5000 },
  ],
  [{ type: "pageview", path: "/demo/blog", at: T0 }],
];

describe("background re-score and preview", () => {
  let f: Fixture;
  let ids: number[];
  beforeEach(async () => {
    f = await createFixture();
    await seedRuleSetVersion(f.db, f.site.id, defaultRuleSet, T0 - DAY);
    ids = [];
    for (const [i, events] of journeys.entries()) {
      const lead = await seedScoredLead(f, {
        email: `p${i}@corp.test`,
        visitor: `v_${i}`,
        events,
        rules: defaultRuleSet,
        stage: i === 3 ? "mql" : undefined,
      });
      ids.push(lead.id);
    }
  });
  afterEach(() => f.cleanup());

  /** Every lead replayed with `rules` the way publishing would (stage kept, threshold checked). */
  async function replayAll(rules: RuleSet) {
    const histories = await loadLeadHistories(f.db, ids);
    return [...histories.values()].map((lead) => ({
      id: lead.id,
      before: combinedScore(storedState(lead), defaultRuleSet, NOW),
      result: rescoreLead(historySteps(lead), storedState(lead), rules, NOW),
    }));
  }

  it("previews every lead in batches, writes nothing, and its counts equal a replay", async () => {
    const snapshot = () =>
      f.rows(`SELECT (SELECT group_concat(id || ':' || stage || ':' || engagement_score || ':' || fit_score) FROM leads) AS leads,
                (SELECT count(*) FROM score_ledger) AS ledger, (SELECT count(*) FROM stage_changes) AS sc,
                (SELECT count(*) FROM rescore_runs) AS runs, (SELECT count(*) FROM rule_set_versions) AS versions`);
    const before = await snapshot();
    const preview = await previewRescore(f.db, f.site.id, draft, NOW, { batchSize: 2 });
    expect(await snapshot()).toEqual(before);

    const expected = await replayAll(draft);
    const moved = expected.filter((e) => e.result.stageChange);
    expect(moved.map((e) => e.id)).toEqual([ids[0], ids[2]]);
    expect(preview.leads).toBe(journeys.length);
    expect(preview.stageChanges).toBe(moved.length);
    expect(preview.changed.map((c) => c.id)).toEqual(moved.map((e) => e.id));
    expect(preview.before).toEqual(histogram(expected.map((e) => e.before)));
    expect(preview.after).toEqual(histogram(expected.map((e) => e.result.scoreAfter)));
  });

  it("publishing queues a run; the job re-scores every lead in small batches with the new version", async () => {
    const version = await publishRuleSet(f.db, f.site.id, (v) => ({ ...draft, version: v }), 1, "pricing up", NOW);
    expect(version).toBe(2);
    expect(await latestRescoreRun(f.db, f.site.id)).toMatchObject({ version: 2, status: "pending", total: 5 });
    // Collectors pick a new version up within seconds: the run waits until they have.
    expect(await runRescoreBatch(f.db, { now: NOW + 1000, batchSize: 2 })).toBeUndefined();

    const later = NOW + 60_000;
    const first = await runRescoreBatch(f.db, { now: later, batchSize: 2 });
    expect(first).toMatchObject({ status: "running", leads: 2, done: 2, total: 5 });
    const rest = await processRescoreRuns(f.db, { now: () => later, batchSize: 2 });
    expect(rest.map((r) => r.status)).toEqual(["running", "done"]);
    expect(await latestRescoreRun(f.db, f.site.id)).toMatchObject({
      status: "done",
      done: 5,
      total: 5,
      stageChanges: 2,
    });
    expect(await processRescoreRuns(f.db, { now: () => later })).toEqual([]);

    const leads = await f.rows("SELECT id, stage FROM leads ORDER BY id");
    expect(leads.map((l) => l.stage)).toEqual(["mql", "lead", "mql", "mql", "lead"]);
    const versions = await f.rows("SELECT DISTINCT rule_version AS v FROM score_ledger");
    expect(versions).toEqual([{ v: 2 }]);
    const moves = await f.rows("SELECT lead_id, actor, reason FROM stage_changes ORDER BY lead_id");
    expect(moves).toEqual([
      { lead_id: ids[0], actor: "system", reason: expect.stringContaining("re-scored") },
      { lead_id: ids[2], actor: "system", reason: expect.stringContaining("(rules v2)") },
    ]);
    // The stored scores are exactly what a replay with v2 gives; the ledger explains them.
    const histories = await loadLeadHistories(f.db, ids);
    for (const lead of histories.values()) {
      const expected = replay(historySteps(lead), { ...draft, version: 2 }).state;
      expect(storedState(lead).engagement, `lead ${lead.id}`).toBe(expected.engagement);
      expect(storedState(lead).fit, `lead ${lead.id}`).toBe(expected.fit);
    }
    const [sum] = await f.rows(
      "SELECT sum(delta) AS points FROM score_ledger WHERE lead_id = ? AND kind = 'engagement'",
      [ids[0] as number],
    );
    expect(sum?.points).toBe(32); // pricing 25 + newsletter 7
  });

  it("a newer publish supersedes an unfinished run", async () => {
    await publishRuleSet(f.db, f.site.id, (v) => ({ ...draft, version: v }), 1, null, NOW);
    await runRescoreBatch(f.db, { now: NOW + 60_000, batchSize: 2 });
    await publishRuleSet(f.db, f.site.id, (v) => ({ ...defaultRuleSet, version: v }), 1, null, NOW + 70_000);
    const runs = await f.rows("SELECT version, status FROM rescore_runs ORDER BY id");
    expect(runs).toEqual([
      { version: 2, status: "superseded" },
      { version: 3, status: "pending" },
    ]);
  });
});
