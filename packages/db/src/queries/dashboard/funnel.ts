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

// Cohorts come from the funnel_daily summary (kept current by refreshLeadSummaries): the month the
// lead was created, its first touch's campaign and channel ('' for none), and its persona (0: none).
const COHORT_SQL: Record<Cohort, string> = {
  month: "substr(d.day, 1, 7)",
  campaign: "nullif(d.campaign, '')",
  source: "nullif(d.source, '')",
  persona: "d.persona_id",
};

/** The persona ids of a site with a given name (the segment filter), as SQL with two arguments. */
export const PERSONA_BY_NAME_SQL = "(SELECT id FROM personas WHERE site_id = ? AND name = ?)";

/** Maps aggregated funnel counts to rows with stage-to-stage conversion rates. */
export function funnelRows(
  rows: readonly { cohort: string | null; lead: number; mql: number; sal: number; sql: number; won: number }[],
): FunnelRow[] {
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

/**
 * Leads created in the period, grouped by cohort, with how many reached MQL, SAL, SQL and won (a
 * rejected or lost lead keeps what it had reached). Without a cohort, one row "all". The segment
 * filter keeps leads of one persona (by name); the campaign/channel filters keep leads whose first
 * touch matches. Sums the period's funnel_daily rows (see schema/rollups.ts).
 */
export async function funnel(db: Database, filter: DashboardFilter, cohort?: Cohort): Promise<FunnelRow[]> {
  const where: string[] = ["d.site_id = ?", "d.day BETWEEN ? AND ?"];
  const args: InValue[] = [filter.siteId, filter.from, filter.to];
  if (filter.segment) {
    where.push(`d.persona_id IN ${PERSONA_BY_NAME_SQL}`);
    args.push(filter.siteId, filter.segment);
  }
  if (filter.campaign) {
    where.push("d.campaign = ?");
    args.push(filter.campaign);
  }
  if (filter.channel) {
    where.push("d.source = ?");
    args.push(filter.channel);
  }
  // Personas are grouped by id and named afterwards: one lookup per persona.
  const label = cohort === "persona" ? "p.name" : "g.k";
  const rows = await selectRows<{
    cohort: string | null;
    lead: number;
    mql: number;
    sal: number;
    sql: number;
    won: number;
  }>(
    db,
    `SELECT ${label} AS cohort, sum(g.lead) AS lead, sum(g.mql) AS mql, sum(g.sal) AS sal, sum(g.sql) AS sql,
            sum(g.won) AS won
       FROM (SELECT ${cohort ? COHORT_SQL[cohort] : "'all'"} AS k, sum(d.leads) AS lead, sum(d.mql) AS mql,
                    sum(d.sal) AS sal, sum(d.sql) AS sql, sum(d.won) AS won
               FROM funnel_daily d WHERE ${where.join(" AND ")} GROUP BY k HAVING sum(d.leads) > 0) g
       ${cohort === "persona" ? "LEFT JOIN personas p ON p.id = g.k" : ""}
      GROUP BY cohort ORDER BY lead DESC, cohort LIMIT 50`,
    args,
  );
  return funnelRows(rows);
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
 * previous change, or the lead's creation) to the change that left it. Exact nearest-rank values in
 * a bounded number of reads: the period's histogram (stage_time_daily) says how many exits each
 * stage had and which duration bucket holds the wanted rank; then only that bucket's exits are
 * walked, in order of duration (stage_exits_pick_idx), to the rank.
 */
export async function timeInStage(db: Database, filter: DashboardFilter): Promise<StageTime[]> {
  const { start, end } = rangeMs(filter);
  const histogram = await selectRows<{ stage: string; bucket: number; exits: number }>(
    db,
    `SELECT stage, bucket, sum(exits) AS exits FROM stage_time_daily
      WHERE site_id = ? AND day BETWEEN ? AND ? GROUP BY stage, bucket HAVING sum(exits) > 0 ORDER BY stage, bucket`,
    [filter.siteId, filter.from, filter.to],
  );
  const byStage = new Map<string, { bucket: number; exits: number }[]>();
  for (const h of histogram) {
    const list = byStage.get(h.stage) ?? [];
    list.push(h);
    byStage.set(h.stage, list);
  }
  // The value at one-based rank `rank` of a stage's exits in the period.
  const valueAt = async (stage: string, buckets: { bucket: number; exits: number }[], rank: number) => {
    let before = 0;
    for (const { bucket, exits } of buckets) {
      if (before + exits >= rank) {
        const rows = await selectRows<{ ms: number }>(
          db,
          `SELECT ms FROM stage_exits WHERE site_id = ? AND stage = ? AND bucket = ? AND left_at >= ? AND left_at < ?
            ORDER BY ms LIMIT 1 OFFSET ?`,
          [filter.siteId, stage, bucket, start, end, rank - before - 1],
        );
        return rows[0]?.ms ?? 0;
      }
      before += exits;
    }
    return 0;
  };
  const times: StageTime[] = [];
  for (const [stage, buckets] of byStage) {
    const count = buckets.reduce((n, b) => n + b.exits, 0);
    // Nearest rank ceil(q·n) in integers: ceil(n/2) = ⌊(n+1)/2⌋ and ceil(9n/10) = ⌊(9n+9)/10⌋.
    const medianMs = await valueAt(stage, buckets, Math.floor((count + 1) / 2));
    const p90Ms = await valueAt(stage, buckets, Math.floor((9 * count + 9) / 10));
    times.push({ stage, count, medianMs, p90Ms });
  }
  return sortStageTimes(times);
}

/** Orders time-in-stage rows along the funnel, the stages off the main line last. */
export function sortStageTimes(rows: readonly StageTime[]): StageTime[] {
  const order: string[] = [...FUNNEL_STAGES, "nurture", "lost"];
  return [...rows].sort((a, b) => order.indexOf(a.stage) - order.indexOf(b.stage));
}

/** The q-quantile (nearest rank) of an ascending list; 0 for an empty list. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  // The epsilon keeps ceil(0.9 · 30) at 27 where floating point says 27.000000000000004.
  const rank = Math.ceil(q * sorted.length - 1e-9) - 1;
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

/** The site's personas (the segment filter's choices), by name. */
export async function listSegments(db: Database, siteId: number): Promise<string[]> {
  const rows = await selectRows<{ name: string }>(
    db,
    "SELECT DISTINCT name FROM personas WHERE site_id = ? ORDER BY name LIMIT 100",
    [siteId],
  );
  return rows.map((r) => r.name);
}
