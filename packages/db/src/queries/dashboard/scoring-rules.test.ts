import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "../../testing.ts";
import { withWriteTransaction } from "../../transactions.ts";
import { recordStageChanges } from "../lead-stage.ts";
import { insertLead } from "../leads.ts";
import { createSite } from "../sites.ts";
import { type CalibrationRow, calibrationLeads } from "./scoring-rules.ts";

const T0 = Date.UTC(2026, 4, 4, 9);

describe("calibrationLeads", () => {
  let t: TestDb;
  let siteId: number;
  let otherSite: number;
  beforeEach(async () => {
    t = await createTestDb();
    siteId = (await createSite(t.db, { publicKey: "s", name: "S", domains: ["s.test"] })).id;
    otherSite = (await createSite(t.db, { publicKey: "o", name: "O", domains: ["o.test"] })).id;
  });
  afterEach(() => t.cleanup());

  /** A lead with its last activity (null: never active), stored scores and stage moves [from, to, score]. */
  const lead = async (
    email: string,
    lastActivityAt: number | null,
    scores: [number, number],
    moves: [string | null, string, number | null][] = [],
    site = siteId,
  ) => {
    const id = (
      await insertLead(t.db, {
        siteId: site,
        email,
        name: null,
        companyId: null,
        role: null,
        traits: {},
        unverified: false,
        createdAt: T0,
      })
    ).id;
    await t.db.$client.execute({
      sql: "UPDATE leads SET last_activity_at = ?, engagement_score = ?, fit_score = ? WHERE id = ?",
      args: [lastActivityAt, scores[0], scores[1], id],
    });
    await withWriteTransaction(t.db, (tx) =>
      recordStageChanges(
        tx,
        moves.map(([fromStage, toStage, score], i) => ({
          siteId: site,
          leadId: id,
          fromStage,
          toStage,
          actor: "test",
          reason: null,
          at: T0 + i,
          score,
        })),
      ),
    );
    return id;
  };

  // The definition: the site's leads by latest activity (never active last, ids breaking ties), each
  // with its moves (not notes) in order and the score at each, straight from leads and stage_changes.
  const direct = async (limit: number): Promise<CalibrationRow[]> => {
    const result = await t.db.$client.execute({
      sql: `SELECT l.engagement_score + l.fit_score AS score,
              (SELECT json_group_array(json_object('to', to_stage, 'score', score)) FROM (
                 SELECT to_stage, score FROM stage_changes
                  WHERE lead_id = l.id AND from_stage IS NOT to_stage ORDER BY at, id)) AS history
            FROM leads l WHERE l.site_id = ? ORDER BY l.last_activity_at DESC, l.id DESC LIMIT ?`,
      args: [siteId, limit],
    });
    return result.rows.map((r) => ({ score: Number(r.score), history: JSON.parse(String(r.history)) }));
  };

  it("returns the most recently active leads with their stage moves, as the leads and their history say", async () => {
    await lead("old@x.test", T0 + 1, [5, 1], [["lead", "mql", 36]]);
    await lead(
      "new@x.test",
      T0 + 9,
      [40, 2],
      [
        ["lead", "mql", 35],
        ["mql", "mql", 38], // a note
        ["mql", "nurture", 20],
        ["nurture", "mql", 37],
        ["mql", "sal", 41],
      ],
    );
    await lead("tie-a@x.test", T0 + 5, [10, 0]);
    await lead("tie-b@x.test", T0 + 5, [11, 0], [[null, "sql", null]]);
    await lead("never-a@x.test", null, [0, 3]);
    await lead("never-b@x.test", null, [1, 3], [["lead", "lost", 1]]);
    await lead("elsewhere@x.test", T0 + 99, [99, 9], [["lead", "mql", 50]], otherSite);

    const all = await calibrationLeads(t.db, siteId);
    expect(all.map((r) => r.score)).toEqual([42, 11, 10, 6, 4, 3]);
    expect(all[0]?.history).toEqual([
      { to: "mql", score: 35 },
      { to: "nurture", score: 20 },
      { to: "mql", score: 37 },
      { to: "sal", score: 41 },
    ]);
    // Every cut, including ones inside a tie and among the never-active leads.
    for (const limit of [1, 2, 3, 4, 5, 6, 7, 100]) {
      expect(await calibrationLeads(t.db, siteId, limit), `limit ${limit}`).toEqual(await direct(limit));
    }
  });

  it("returns nothing for a site without leads", async () => {
    await lead("elsewhere@x.test", T0, [1, 1], [], otherSite);
    const empty = (await createSite(t.db, { publicKey: "e", name: "E", domains: ["e.test"] })).id;
    expect(await calibrationLeads(t.db, empty)).toEqual([]);
  });
});
