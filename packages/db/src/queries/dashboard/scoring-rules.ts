import type { Database } from "../../client.ts";
import { sqlJson } from "../../json-text.ts";
import { withWriteTransaction } from "../../transactions.ts";
import { createRescoreRun } from "../scoring.ts";
import { selectRows } from "./filters.ts";

/** The rule set a site's marketers are editing, or undefined when there is no draft. */
export async function getRuleSetDraft(
  db: Database,
  siteId: number,
): Promise<{ ruleSet: unknown; updatedAt: number } | undefined> {
  const rows = await selectRows<{ ruleSet: string; updatedAt: number }>(
    db,
    "SELECT rule_set AS ruleSet, updated_at AS updatedAt FROM rule_set_drafts WHERE site_id = ?",
    [siteId],
  );
  const row = rows[0];
  return row ? { ruleSet: JSON.parse(row.ruleSet) as unknown, updatedAt: row.updatedAt } : undefined;
}

/** Saves (replaces) a site's draft rule set. */
export async function saveRuleSetDraft(
  db: Database,
  siteId: number,
  ruleSet: unknown,
  userId: number | null,
  now = Date.now(),
) {
  await db.$client.execute({
    sql: `INSERT INTO rule_set_drafts (site_id, rule_set, updated_by, updated_at) VALUES (?, ?, ?, ?)
          ON CONFLICT (site_id) DO UPDATE SET rule_set = excluded.rule_set, updated_by = excluded.updated_by,
            updated_at = excluded.updated_at`,
    args: [siteId, sqlJson(ruleSet), userId, now],
  });
}

/** Throws a site's draft away. */
export async function deleteRuleSetDraft(db: Database, siteId: number): Promise<void> {
  await db.$client.execute({ sql: "DELETE FROM rule_set_drafts WHERE site_id = ?", args: [siteId] });
}

/**
 * Publishes a rule set as the site's next version, removes the draft and queues the background
 * re-score of every lead with it (`rescore_runs`), in one write transaction so two publishes
 * cannot take the same version. `build` receives the version number and returns the rule set to
 * store (which carries its version inside). `userId` is null for a publish through the REST API by a
 * key nobody owns. Returns the new version.
 */
export async function publishRuleSet(
  db: Database,
  siteId: number,
  build: (version: number) => unknown,
  userId: number | null,
  note: string | null,
  now = Date.now(),
): Promise<number> {
  return withWriteTransaction(db, async (tx) => {
    const last = await tx.$client.execute({
      sql: "SELECT max(version) AS v FROM rule_set_versions WHERE site_id = ?",
      args: [siteId],
    });
    const version = Number(last.rows[0]?.v ?? 0) + 1;
    await tx.$client.execute({
      sql: `INSERT INTO rule_set_versions (site_id, version, rule_set, note, published_by, published_at)
            VALUES (?, ?, ?, ?, ?, ?)`,
      args: [siteId, version, sqlJson(build(version)), note, userId, now],
    });
    await tx.$client.execute({ sql: "DELETE FROM rule_set_drafts WHERE site_id = ?", args: [siteId] });
    await createRescoreRun(tx, siteId, version, now);
    return version;
  });
}

/** Published versions of a site's rules, newest first. */
export function listRuleSetVersions(
  db: Database,
  siteId: number,
  limit = 20,
): Promise<{ version: number; note: string | null; publishedBy: number | null; publishedAt: number }[]> {
  return selectRows(
    db,
    `SELECT version, note, published_by AS publishedBy, published_at AS publishedAt FROM rule_set_versions
      WHERE site_id = ? ORDER BY version DESC LIMIT ?`,
    [siteId, limit],
  );
}

/** A lead for the calibration view: its stage history with the score at each change, and its stored score. */
export interface CalibrationRow {
  history: { to: string; score: number | null }[];
  score: number;
}

// One calibration row per lead of `leads` (a subquery yielding id, engagement_score, fit_score in
// the wanted order): its stage moves (notes keep the stage and are left out) in order, each with
// the score it was made at, read through stage_changes_lead_idx.
const calibrationSql = (leads: string) =>
  `SELECT l.id, l.engagement_score + l.fit_score AS score,
          (SELECT json_group_array(json_object('to', sc.to_stage, 'score', sc.score))
             FROM (SELECT to_stage, score FROM stage_changes
                    WHERE lead_id = l.id AND from_stage IS NOT to_stage ORDER BY at, id) sc) AS history
     FROM (${leads}) l`;

/**
 * The site's most recently active leads (at most `limit`, latest activity first, leads never active
 * last) with their stage history, for packages/scoring's `calibrate`. The stored score (engagement
 * as of `scored_at` plus fit) stands in for the current one.
 */
export async function calibrationLeads(db: Database, siteId: number, limit = 5000): Promise<CalibrationRow[]> {
  // Active leads are read newest first from the sales lists' recency index (leads_site_recency_cover_idx,
  // on coalesce(last_activity_at, created_at), which is last_activity_at for them), so the page
  // sorts no more than `limit` leads however big the site is; the id breaks ties so the cut at
  // `limit` is stable.
  const rows = await selectRows<{ id: number; score: number; history: string | null }>(
    db,
    calibrationSql(`SELECT id, engagement_score, fit_score FROM leads
                     WHERE site_id = ? AND last_activity_at IS NOT NULL
                     ORDER BY coalesce(last_activity_at, created_at) DESC, id DESC LIMIT ?`),
    [siteId, limit],
  );
  // Leads without any activity come last (as NULLs sort in ORDER BY … DESC); only a site with
  // fewer active leads than `limit` reads them.
  if (rows.length < limit) {
    rows.push(
      ...(await selectRows<{ id: number; score: number; history: string | null }>(
        db,
        calibrationSql(`SELECT id, engagement_score, fit_score FROM leads
                         WHERE site_id = ? AND last_activity_at IS NULL ORDER BY id DESC LIMIT ?`),
        [siteId, limit - rows.length],
      )),
    );
  }
  return rows.map((r) => ({
    score: r.score,
    history: r.history ? (JSON.parse(r.history) as CalibrationRow["history"]) : [],
  }));
}

/** How many leads still in the Lead stage have a stored score at or above `threshold` (a threshold preview). */
export async function leadsAtOrAbove(db: Database, siteId: number, threshold: number): Promise<number> {
  const rows = await selectRows<{ n: number }>(
    db,
    "SELECT count(*) AS n FROM leads WHERE site_id = ? AND stage = 'lead' AND engagement_score + fit_score >= ?",
    [siteId, threshold],
  );
  return rows[0]?.n ?? 0;
}
