import type { Database } from "../client.ts";
import { sqlJson } from "../json-text.ts";
import { insertStageChanges, type StageChangeRow } from "./ingest.ts";

// The funnel summaries (lead_funnel, funnel_daily, lead_touches, content_pipeline_daily, stage_exits,
// stage_time_daily; see schema/rollups.ts) are derived from a lead's own rows: its leads row, its
// stage_changes, its visitors and their content_touches. Instead of patching them event by event, every writer that
// changes any of those inputs asks for the affected leads to be recomputed from their rows, in the
// same write transaction. Recomputing one lead reads a handful of rows through indexes, and doing it
// for a set of leads is a fixed number of statements, so the result is exact in every direction
// (advance, rejection back to nurture, won/lost, a visitor moving between leads, erase, merge)
// without special cases. The counter tables (funnel_daily, content_pipeline_daily,
// stage_time_daily) are kept by taking back what the stored per-lead rows contributed and adding
// what the recomputed rows contribute.

/**
 * The rank of a main-line stage (0 lead, 1 MQL, 2 SAL, 3 SQL, 4 won) as SQL over `column`; nurture
 * and lost leave the main line and rank 0, so the furthest stage reached is a max() over history.
 */
export const stageRankSql = (column: string): string =>
  `CASE ${column} WHEN 'mql' THEN 1 WHEN 'sal' THEN 2 WHEN 'sql' THEN 3 WHEN 'won' THEN 4 ELSE 0 END`;

const LEADS = "(SELECT value FROM json_each(?))";
/**
 * The site's local calendar day of a time column, as SQL: the offset in force at that time comes
 * from the site's `site_tz_offsets` (none: UTC), so days follow the site's time zone across DST.
 */
export const localDaySql = (ms: string, siteId: string): string =>
  `strftime('%Y-%m-%d', ${ms} / 1000 + 60 * coalesce((SELECT o.offset_minutes FROM site_tz_offsets o
     WHERE o.site_id = ${siteId} AND o.from_ms <= ${ms} ORDER BY o.from_ms DESC LIMIT 1), 0), 'unixepoch')`;

// Adds (sign 1) or takes back (sign -1) the stored contribution of the listed leads to the
// per-page pipeline counts: one lead per page it touched, in the bucket of its first touch.
const pipelineCounts = (sign: 1 | -1) => `
  INSERT INTO content_pipeline_daily (site_id, path, day, persona_id, leads, mql, sql, won)
  SELECT lt.site_id, lt.path, ${localDaySql("lt.first_at", "lt.site_id")}, lf.persona_id, ${sign} * count(*),
         ${sign} * sum(lf.reached >= 1), ${sign} * sum(lf.reached >= 3), ${sign} * sum(lf.reached >= 4)
    FROM lead_touches lt JOIN lead_funnel lf ON lf.lead_id = lt.lead_id
   WHERE lt.lead_id IN ${LEADS}
   GROUP BY lt.site_id, lt.path, ${localDaySql("lt.first_at", "lt.site_id")}, lf.persona_id
  ON CONFLICT (site_id, path, day, persona_id) DO UPDATE SET
    leads = leads + excluded.leads, mql = mql + excluded.mql, sql = sql + excluded.sql, won = won + excluded.won`;

// First time the lead moved to rank ≥ k, from its history. Notes (same stage) are not moves: a note
// at a stage can only follow the move into it, but skipping them keeps this exactly the campaign
// milestones' and the raw queries' definition whatever the timestamps say.
const reachedAt = (k: number) =>
  `min(CASE WHEN ${stageRankSql("to_stage")} >= ${k} AND from_stage IS NOT to_stage THEN at END)`;
// The lead's first touch: its earliest visitor (the id breaks ties so the answer is stable).
const firstTouch = (column: string) =>
  `(SELECT v.${column} FROM visitors v WHERE v.lead_id = l.id ORDER BY v.first_seen_at, v.id LIMIT 1)`;

// Adds (sign 1) or takes back (sign -1) the listed leads' stage exits in the time-in-stage histogram.
const exitHistogram = (sign: 1 | -1) => `
  INSERT INTO stage_time_daily (site_id, day, stage, bucket, exits)
  SELECT site_id, ${localDaySql("left_at", "site_id")}, stage, bucket, ${sign} * count(*) FROM stage_exits
   WHERE lead_id IN ${LEADS}
   GROUP BY site_id, ${localDaySql("left_at", "site_id")}, stage, bucket
  ON CONFLICT (site_id, day, stage, bucket) DO UPDATE SET exits = exits + excluded.exits`;

// Adds (sign 1) or takes back (sign -1) the listed leads in the funnel counts of their creation day
// and cohort.
const funnelCounts = (sign: 1 | -1) => `
  INSERT INTO funnel_daily (site_id, day, campaign, source, persona_id, leads, mql, sal, sql, won)
  SELECT site_id, ${localDaySql("created_at", "site_id")}, coalesce(campaign, ''), coalesce(source, ''), persona_id, ${sign} * count(*),
         ${sign} * sum(reached >= 1), ${sign} * sum(reached >= 2), ${sign} * sum(reached >= 3), ${sign} * sum(reached >= 4)
    FROM lead_funnel WHERE lead_id IN ${LEADS}
   GROUP BY site_id, ${localDaySql("created_at", "site_id")}, coalesce(campaign, ''), coalesce(source, ''), persona_id
  ON CONFLICT (site_id, day, campaign, source, persona_id) DO UPDATE SET
    leads = leads + excluded.leads, mql = mql + excluded.mql, sal = sal + excluded.sal, sql = sql + excluded.sql,
    won = won + excluded.won`;

// Adds (sign 1) or takes back (sign -1) the listed attributed leads in their campaign's daily
// counts: created on the day of creation, MQL / SQL / won on the day each was first reached.
const campaignCounts = (sign: 1 | -1) => `
  INSERT INTO campaign_daily (site_id, campaign_id, persona_id, day, leads, mqls, sqls, won)
  SELECT site_id, campaign_id, persona_id, day, ${sign} * sum(leads), ${sign} * sum(mqls), ${sign} * sum(sqls),
         ${sign} * sum(won)
    FROM (SELECT site_id, campaign_id, persona_id, ${localDaySql("created_at", "site_id")} AS day, 1 AS leads, 0 AS mqls, 0 AS sqls,
                 0 AS won FROM lead_funnel WHERE lead_id IN ${LEADS} AND campaign_id <> 0
          UNION ALL
          SELECT site_id, campaign_id, persona_id, ${localDaySql("mql_at", "site_id")}, 0, 1, 0, 0
            FROM lead_funnel WHERE lead_id IN ${LEADS} AND campaign_id <> 0 AND mql_at IS NOT NULL
          UNION ALL
          SELECT site_id, campaign_id, persona_id, ${localDaySql("sql_at", "site_id")}, 0, 0, 1, 0
            FROM lead_funnel WHERE lead_id IN ${LEADS} AND campaign_id <> 0 AND sql_at IS NOT NULL
          UNION ALL
          SELECT site_id, campaign_id, persona_id, ${localDaySql("won_at", "site_id")}, 0, 0, 0, 1
            FROM lead_funnel WHERE lead_id IN ${LEADS} AND campaign_id <> 0 AND won_at IS NOT NULL)
   GROUP BY site_id, campaign_id, persona_id, day
  ON CONFLICT (site_id, campaign_id, day, persona_id) DO UPDATE SET
    leads = leads + excluded.leads, mqls = mqls + excluded.mqls, sqls = sqls + excluded.sqls, won = won + excluded.won`;

/** The duration bucket of an integer `ms` as SQL: digits × 10 + leading digit, ordered like `ms`. */
export const durationBucketSql = (ms: string): string => `(length(${ms}) * 10 + CAST(substr(${ms}, 1, 1) AS INTEGER))`;

const REFRESH: string[] = [
  pipelineCounts(-1),
  exitHistogram(-1),
  funnelCounts(-1),
  campaignCounts(-1),
  `DELETE FROM lead_touches WHERE lead_id IN ${LEADS}`,
  `DELETE FROM lead_funnel WHERE lead_id IN ${LEADS}`,
  `DELETE FROM stage_exits WHERE lead_id IN ${LEADS}`,
  // An erased (deleted) lead has no row here any more: its summaries stay deleted.
  `INSERT INTO lead_funnel (lead_id, site_id, created_at, reached, mql_at, sal_at, sql_at, won_at, campaign, source,
                            persona_id, campaign_id)
   SELECT l.id, l.site_id, l.created_at, max(${stageRankSql("l.stage")}, coalesce(h.rank, 0)), h.mql_at, h.sal_at,
          h.sql_at, h.won_at, ${firstTouch("utm_campaign")}, ${firstTouch("channel")}, coalesce(l.persona_id, 0),
          coalesce(l.campaign_id, 0)
     FROM leads l
     LEFT JOIN (SELECT lead_id, max(${stageRankSql("to_stage")}) AS rank, ${reachedAt(1)} AS mql_at,
                       ${reachedAt(2)} AS sal_at, ${reachedAt(3)} AS sql_at, ${reachedAt(4)} AS won_at
                  FROM stage_changes WHERE lead_id IN ${LEADS} GROUP BY lead_id) h ON h.lead_id = l.id
    WHERE l.id IN ${LEADS}`,
  `INSERT INTO lead_touches (lead_id, path, site_id, first_at)
   SELECT v.lead_id, ct.path, v.site_id, min(ct.first_at)
     FROM visitors v JOIN content_touches ct ON ct.site_id = v.site_id AND ct.visitor_id = v.id
    WHERE v.lead_id IN ${LEADS}
    GROUP BY v.lead_id, ct.path`,
  pipelineCounts(1),
  funnelCounts(1),
  campaignCounts(1),
  // A move is a change whose stage differs (notes and reassignments keep the stage); the time in
  // the stage it left runs from the previous move, or from the lead's creation.
  `INSERT INTO stage_exits (id, site_id, lead_id, stage, left_at, ms, bucket)
   SELECT id, site_id, lead_id, from_stage, at, ms, ${durationBucketSql("ms")} FROM (
   SELECT id, site_id, lead_id, from_stage, at, CAST(max(0, ms) AS INTEGER) AS ms FROM (
     SELECT sc.id, sc.site_id, sc.lead_id, sc.from_stage, sc.at,
            sc.at - coalesce(lag(sc.at) OVER (PARTITION BY sc.lead_id ORDER BY sc.at, sc.id), l.created_at) AS ms
       FROM stage_changes sc JOIN leads l ON l.id = sc.lead_id
      WHERE sc.lead_id IN ${LEADS} AND sc.from_stage IS NOT sc.to_stage)
    WHERE from_stage IS NOT NULL)`,
  exitHistogram(1),
];

/**
 * Recomputes the funnel summaries of the given leads from their rows (see the comment at the top).
 * Call it in the write transaction that changed a lead's stage history or stage, its visitors, the
 * pages they touched, its persona, or that deleted or merged it (pass the removed lead's id too).
 */
export async function refreshLeadSummaries(db: Database, leadIds: Iterable<number>): Promise<void> {
  const ids = [...new Set(leadIds)];
  if (ids.length === 0) return;
  const list = sqlJson(ids);
  for (const sql of REFRESH) {
    const placeholders = sql.split(LEADS).length - 1;
    await db.$client.execute({ sql, args: Array.from({ length: placeholders }, () => list) });
  }
}

/**
 * Records stage changes: appends them to `stage_changes` and brings the funnel summaries of their
 * leads (and of `alsoRefresh`, leads whose visitors or pages changed in the same transaction) up to
 * date. Every writer of a stage calls this after writing the lead's `stage` column.
 */
export async function recordStageChanges(
  db: Database,
  rows: readonly StageChangeRow[],
  alsoRefresh: Iterable<number> = [],
): Promise<void> {
  await insertStageChanges(db, rows);
  await refreshLeadSummaries(db, [...rows.map((r) => r.leadId), ...alsoRefresh]);
}

/** The summary tables that count per local day (the rest hold per-lead rows with times). */
const DAY_COUNTERS = ["funnel_daily", "campaign_daily", "content_pipeline_daily", "stage_time_daily"] as const;

/**
 * Recounts a site's day-keyed funnel counters (funnel_daily, campaign_daily, content_pipeline_daily,
 * stage_time_daily) from its per-lead rows with the site's current `site_tz_offsets`: what a time
 * zone change needs. Run it in the transaction that replaces the offsets, so that the incremental
 * take-backs always use the offsets the stored counts were made with.
 */
export async function regroupDayCounters(db: Database, siteId: number): Promise<void> {
  for (const table of DAY_COUNTERS)
    await db.$client.execute({ sql: `DELETE FROM ${table} WHERE site_id = ?`, args: [siteId] });
  for (const sql of [pipelineCounts(1), funnelCounts(1), campaignCounts(1), exitHistogram(1)]) {
    const bySite = sql.replaceAll(`lead_id IN ${LEADS}`, "site_id = ?");
    await db.$client.execute({ sql: bySite, args: Array.from({ length: bySite.split("?").length - 1 }, () => siteId) });
  }
}

/** Every funnel summary table (each has a site_id column). */
export const SUMMARY_TABLES = [
  "lead_funnel",
  "funnel_daily",
  "campaign_daily",
  "lead_touches",
  "content_pipeline_daily",
  "stage_exits",
  "stage_time_daily",
] as const;

/**
 * Rebuilds the funnel summaries of a database (or one site) from scratch: deletes their rows and
 * recomputes every lead, in batches. For a database with leads from before the summaries existed,
 * or to check the incremental ones against (see lead-stage.test.ts). Returns the leads recomputed.
 */
export async function rebuildLeadSummaries(db: Database, siteId?: number, batch = 2000): Promise<number> {
  for (const table of SUMMARY_TABLES) {
    await db.$client.execute(
      siteId === undefined ? `DELETE FROM ${table}` : { sql: `DELETE FROM ${table} WHERE site_id = ?`, args: [siteId] },
    );
  }
  let after = 0;
  let done = 0;
  for (;;) {
    const rows = (
      await db.$client.execute({
        sql: `SELECT id FROM leads WHERE id > ? ${siteId === undefined ? "" : "AND site_id = ?"} ORDER BY id LIMIT ?`,
        args: siteId === undefined ? [after, batch] : [after, siteId, batch],
      })
    ).rows as unknown as { id: number }[];
    if (rows.length === 0) return done;
    await refreshLeadSummaries(
      db,
      rows.map((r) => Number(r.id)),
    );
    done += rows.length;
    after = Number(rows[rows.length - 1]?.id);
  }
}
