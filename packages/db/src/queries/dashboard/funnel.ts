import type { InValue } from "@libsql/client";
import type { Database } from "../../client.ts";
import { type DashboardFilter, rangeMs, selectRows } from "./filters.ts";
import { FUNNEL_STAGES, type FunnelStage } from "./overview.ts";

/** What the funnel groups leads by. */
export const COHORTS = ["month", "campaign", "source", "persona"] as const;
export type Cohort = (typeof COHORTS)[number];

/** One funnel: how many leads reached each main-line stage, with stage-to-stage conversion. */
export interface FunnelRow {
  cohort: string;
  counts: Record<FunnelStage, number>;
  /** counts[stage] / counts[previous stage], 0–1; the first stage has none. */
  conversion: Record<Exclude<FunnelStage, "lead">, number>;
}

// A lead's first visitor is where it came from: campaign and source are its first touch.
const COHORT_SQL: Record<Cohort, string> = {
  month: "strftime('%Y-%m', l.created_at / 1000, 'unixepoch')",
  campaign: "(SELECT v.utm_campaign FROM visitors v WHERE v.lead_id = l.id ORDER BY v.first_seen_at LIMIT 1)",
  source: "(SELECT v.channel FROM visitors v WHERE v.lead_id = l.id ORDER BY v.first_seen_at LIMIT 1)",
  persona: "coalesce(json_extract(l.traits, '$.persona'), l.role)",
};

const RANK = (column: string) =>
  `CASE ${column} WHEN 'mql' THEN 1 WHEN 'sal' THEN 2 WHEN 'sql' THEN 3 WHEN 'won' THEN 4 ELSE 0 END`;

/**
 * Leads created in the period, grouped by cohort, with how many reached MQL, SAL, SQL and won (from
 * `stage_changes` and the current stage). Without a cohort, one row "all". The segment filter keeps
 * leads of one persona; the campaign/channel filters keep leads whose first touch matches.
 */
export async function funnel(db: Database, filter: DashboardFilter, cohort?: Cohort): Promise<FunnelRow[]> {
  const { start, end } = rangeMs(filter);
  const where: string[] = ["l.site_id = ?", "l.created_at >= ?", "l.created_at < ?"];
  const args: InValue[] = [filter.siteId, start, end];
  if (filter.segment) {
    where.push(`${COHORT_SQL.persona} = ?`);
    args.push(filter.segment);
  }
  if (filter.campaign) {
    where.push(`${COHORT_SQL.campaign} = ?`);
    args.push(filter.campaign);
  }
  if (filter.channel) {
    where.push(`${COHORT_SQL.source} = ?`);
    args.push(filter.channel);
  }
  const rows = await selectRows<{
    cohort: string | null;
    lead: number;
    mql: number;
    sal: number;
    sql: number;
    won: number;
  }>(
    db,
    // A lead's stage changes all happen after it was created, so the changes of the period's
    // cohort are found with one range scan of the site's changes since the period start
    // (stage_changes_site_at_idx) instead of one lookup per lead.
    `WITH reached AS (
        SELECT lead_id, max(${RANK("to_stage")}) AS rank FROM stage_changes
         WHERE site_id = ? AND at >= ? AND to_stage IN ('mql', 'sal', 'sql', 'won') GROUP BY lead_id),
          cohort AS (
        SELECT l.id, ${cohort ? COHORT_SQL[cohort] : "'all'"} AS cohort,
               max(${RANK("l.stage")}, coalesce(r.rank, 0)) AS rank
          FROM leads l LEFT JOIN reached r ON r.lead_id = l.id WHERE ${where.join(" AND ")})
     SELECT cohort, count(*) AS lead, sum(rank >= 1) AS mql, sum(rank >= 2) AS sal, sum(rank >= 3) AS sql,
            sum(rank >= 4) AS won
       FROM cohort GROUP BY cohort ORDER BY lead DESC, cohort LIMIT 50`,
    [filter.siteId, start, ...args],
  );
  return rows.map((r) => {
    const counts = { lead: r.lead, mql: r.mql, sal: r.sal, sql: r.sql, won: r.won };
    const rate = (a: number, b: number) => (b > 0 ? a / b : 0);
    return {
      cohort: r.cohort ?? "",
      counts,
      conversion: {
        mql: rate(counts.mql, counts.lead),
        sal: rate(counts.sal, counts.mql),
        sql: rate(counts.sql, counts.sal),
        won: rate(counts.won, counts.sql),
      },
    };
  });
}

/** How long leads stayed in a stage before they left it. */
export interface StageTime {
  stage: string;
  /** Leads that left the stage in the period. */
  count: number;
  medianMs: number;
  p90Ms: number;
}

/**
 * Time in stage (median and p90) for stage exits in the period: the time from entering a stage (its
 * previous change, or the lead's creation) to the change that left it.
 */
export async function timeInStage(db: Database, filter: DashboardFilter): Promise<StageTime[]> {
  const { start, end } = rangeMs(filter);
  const rows = await selectRows<{ stage: string; ms: number }>(
    db,
    `SELECT stage, ms FROM (
        SELECT sc.from_stage AS stage, sc.at,
               sc.at - coalesce(lag(sc.at) OVER (PARTITION BY sc.lead_id ORDER BY sc.at, sc.id), l.created_at) AS ms
          FROM stage_changes sc JOIN leads l ON l.id = sc.lead_id
         -- notes and reassignments are kept in the history with the stage unchanged: not a move
         WHERE sc.site_id = ? AND sc.at < ? AND sc.from_stage IS NOT sc.to_stage)
      WHERE at >= ? AND stage IS NOT NULL
      ORDER BY stage, ms`,
    [filter.siteId, end, start],
  );
  const byStage = new Map<string, number[]>();
  for (const r of rows) {
    const list = byStage.get(r.stage) ?? [];
    list.push(Math.max(0, r.ms));
    byStage.set(r.stage, list);
  }
  const order = [...FUNNEL_STAGES, "nurture", "lost"];
  return [...byStage.entries()]
    .sort(([a], [b]) => order.indexOf(a) - order.indexOf(b))
    .map(([stage, sorted]) => ({
      stage,
      count: sorted.length,
      medianMs: quantile(sorted, 0.5),
      p90Ms: quantile(sorted, 0.9),
    }));
}

/** The q-quantile (nearest rank) of an ascending list; 0 for an empty list. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil(q * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] ?? 0;
}

/** Why leads left the funnel in the period: rejections back to nurture and losses, by reason. */
export interface ExitReason {
  toStage: "nurture" | "lost";
  fromStage: string | null;
  reason: string;
  count: number;
}

/** Rejection (→ nurture) and loss (→ lost) reasons in the period, most frequent first. */
export async function exitReasons(db: Database, filter: DashboardFilter, limit = 20): Promise<ExitReason[]> {
  const { start, end } = rangeMs(filter);
  return selectRows<ExitReason>(
    db,
    `SELECT to_stage AS toStage, from_stage AS fromStage, coalesce(reason, '') AS reason, count(*) AS count
       FROM stage_changes
      WHERE site_id = ? AND at >= ? AND at < ? AND to_stage IN ('nurture', 'lost')
      GROUP BY to_stage, from_stage, coalesce(reason, '')
      ORDER BY count DESC LIMIT ?`,
    [filter.siteId, start, end, limit],
  );
}

/** The personas (segments) that leads of a site have, for the segment filter. */
export async function listSegments(db: Database, siteId: number): Promise<string[]> {
  const rows = await selectRows<{ persona: string }>(
    db,
    `SELECT DISTINCT coalesce(json_extract(traits, '$.persona'), role) AS persona FROM leads
      WHERE site_id = ? AND persona IS NOT NULL ORDER BY persona LIMIT 100`,
    [siteId],
  );
  return rows.map((r) => r.persona);
}
