// The same questions as the rollup widgets, answered from the raw `events` table. They exist for
// the benchmark's baseline and for tests that check rollups against raw events; the dashboard
// itself never calls them (their cost grows with every event stored).
import type { InValue } from "@libsql/client";
import type { Database } from "../../client.ts";
import { stageRankSql } from "../lead-stage.ts";
import { type ContentPipelineRow, pipelineRows } from "./content.ts";
import { type DashboardFilter, rangeMs, selectRows } from "./filters.ts";
import {
  type Cohort,
  type FunnelRow,
  funnelRows,
  PERSONA_BY_NAME_SQL,
  quantile,
  type StageTime,
  sortStageTimes,
} from "./funnel.ts";
import { SALES_LEAD_COLUMNS, type SalesLeadQuery, type SalesLeadRow, salesListConditions } from "./sales.ts";

/** Page views, unique visitors per day summed, and engaged time over the period, from raw events. */
export async function rawBehaviourTotals(
  db: Database,
  filter: DashboardFilter,
): Promise<{ visitors: number; pageviews: number; engagedMs: number }> {
  const { start, end } = rangeMs(filter);
  const rows = await selectRows<{ visitors: number; pageviews: number; engagedMs: number }>(
    db,
    `SELECT coalesce(sum(visitors), 0) AS visitors, coalesce(sum(pageviews), 0) AS pageviews,
            coalesce(sum(engagedMs), 0) AS engagedMs FROM (
        SELECT count(DISTINCT visitor_id) AS visitors, sum(type = 'pageview') AS pageviews,
               sum(coalesce(engaged_ms, 0)) AS engagedMs
          FROM events WHERE site_id = ? AND received_at >= ? AND received_at < ?
         GROUP BY received_at / 86400000)`,
    [filter.siteId, start, end],
  );
  return rows[0] ?? { visitors: 0, pageviews: 0, engagedMs: 0 };
}

/** Daily page views and visitors from raw events. */
export function rawBehaviourSeries(
  db: Database,
  filter: DashboardFilter,
): Promise<{ day: string; pageviews: number; visitors: number }[]> {
  const { start, end } = rangeMs(filter);
  return selectRows(
    db,
    `SELECT date(received_at / 1000, 'unixepoch') AS day, sum(type = 'pageview') AS pageviews,
            count(DISTINCT visitor_id) AS visitors
       FROM events WHERE site_id = ? AND received_at >= ? AND received_at < ?
      GROUP BY day ORDER BY day`,
    [filter.siteId, start, end],
  );
}

/** Top pages by page views from raw events. */
export function rawTopPages(
  db: Database,
  filter: DashboardFilter,
  limit = 10,
): Promise<{ path: string; pageviews: number; visitors: number }[]> {
  const { start, end } = rangeMs(filter);
  return selectRows(
    db,
    `SELECT path, count(*) AS pageviews, count(DISTINCT visitor_id) AS visitors
       FROM events WHERE site_id = ? AND received_at >= ? AND received_at < ? AND type = 'pageview'
      GROUP BY path ORDER BY pageviews DESC LIMIT ?`,
    [filter.siteId, start, end, limit],
  );
}

/** Visitors by first-touch channel, counted from the raw events of the period. */
export function rawChannels(
  db: Database,
  filter: DashboardFilter,
  limit = 10,
): Promise<{ channel: string; visitors: number }[]> {
  const { start, end } = rangeMs(filter);
  return selectRows(
    db,
    `SELECT coalesce(v.channel, '') AS channel, count(DISTINCT e.visitor_id) AS visitors
       FROM events e JOIN visitors v ON v.site_id = e.site_id AND v.id = e.visitor_id
      WHERE e.site_id = ? AND e.received_at >= ? AND e.received_at < ?
      GROUP BY channel ORDER BY visitors DESC LIMIT ?`,
    [filter.siteId, start, end, limit],
  );
}

/** Content engagement (views, engaged time, scroll, leads touching) from raw events. */
export function rawContentEngagement(
  db: Database,
  filter: DashboardFilter,
  limit = 25,
): Promise<{ path: string; pageviews: number; engagedMs: number; scrollDepth: number | null; leads: number }[]> {
  const { start, end } = rangeMs(filter);
  return selectRows(
    db,
    `SELECT e.path, sum(e.type = 'pageview') AS pageviews, sum(coalesce(e.engaged_ms, 0)) AS engagedMs,
            avg(e.scroll_depth) AS scrollDepth, count(DISTINCT v.lead_id) AS leads
       FROM events e JOIN visitors v ON v.site_id = e.site_id AND v.id = e.visitor_id
      WHERE e.site_id = ? AND e.received_at >= ? AND e.received_at < ? AND e.path IS NOT NULL
      GROUP BY e.path ORDER BY pageviews DESC LIMIT ?`,
    [filter.siteId, start, end, limit],
  );
}

/** Score points per page from the ledger joined to raw events. */
export function rawTopContentByPoints(
  db: Database,
  filter: DashboardFilter,
  limit = 10,
): Promise<{ path: string; points: number }[]> {
  const { start, end } = rangeMs(filter);
  return selectRows(
    db,
    `SELECT e.path, sum(s.delta) AS points
       FROM score_ledger s JOIN events e ON e.id = s.event_id
      WHERE s.site_id = ? AND s.at >= ? AND s.at < ? AND s.kind = 'engagement' AND e.path IS NOT NULL
      GROUP BY e.path ORDER BY points DESC LIMIT ?`,
    [filter.siteId, start, end, limit],
  );
}

/** New leads per month from the leads table (what the rollup's `leads` counter answers). */
export function rawLeadsPerMonth(db: Database, filter: DashboardFilter): Promise<{ month: string; leads: number }[]> {
  const { start, end } = rangeMs(filter);
  return selectRows(
    db,
    `SELECT strftime('%Y-%m', created_at / 1000, 'unixepoch') AS month, count(*) AS leads
       FROM leads WHERE site_id = ? AND created_at >= ? AND created_at < ? GROUP BY month ORDER BY month`,
    [filter.siteId, start, end],
  );
}

// The funnel questions from leads, stage_changes, visitors and content_touches (what the
// lead_funnel, content_pipeline_daily and stage_exits summaries answer).

const RAW_COHORT_SQL: Record<Cohort, string> = {
  month: "strftime('%Y-%m', l.created_at / 1000, 'unixepoch')",
  campaign: "(SELECT v.utm_campaign FROM visitors v WHERE v.lead_id = l.id ORDER BY v.first_seen_at, v.id LIMIT 1)",
  source: "(SELECT v.channel FROM visitors v WHERE v.lead_id = l.id ORDER BY v.first_seen_at, v.id LIMIT 1)",
  persona: "(SELECT p.name FROM personas p WHERE p.id = l.persona_id)",
};

/** The funnel by cohort from leads and their whole stage history. */
export async function rawFunnel(db: Database, filter: DashboardFilter, cohort?: Cohort): Promise<FunnelRow[]> {
  const { start, end } = rangeMs(filter);
  const where: string[] = ["l.site_id = ?", "l.created_at >= ?", "l.created_at < ?"];
  const args: InValue[] = [filter.siteId, start, end];
  if (filter.segment) {
    where.push(`l.persona_id IN ${PERSONA_BY_NAME_SQL}`);
    args.push(filter.siteId, filter.segment);
  }
  if (filter.campaign) {
    where.push(`${RAW_COHORT_SQL.campaign} = ?`);
    args.push(filter.campaign);
  }
  if (filter.channel) {
    where.push(`${RAW_COHORT_SQL.source} = ?`);
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
    `WITH reached AS (
        SELECT lead_id, max(${stageRankSql("to_stage")}) AS rank FROM stage_changes GROUP BY lead_id),
          cohort AS (
        SELECT ${cohort ? RAW_COHORT_SQL[cohort] : "'all'"} AS cohort,
               max(${stageRankSql("l.stage")}, coalesce(r.rank, 0)) AS rank
          FROM leads l LEFT JOIN reached r ON r.lead_id = l.id WHERE ${where.join(" AND ")})
     SELECT cohort, count(*) AS lead, sum(rank >= 1) AS mql, sum(rank >= 2) AS sal, sum(rank >= 3) AS sql,
            sum(rank >= 4) AS won
       FROM cohort GROUP BY cohort ORDER BY lead DESC, cohort LIMIT 50`,
    args,
  );
  return funnelRows(rows);
}

/** Time in stage from the stage history with a window over each lead's moves. */
export async function rawTimeInStage(db: Database, filter: DashboardFilter): Promise<StageTime[]> {
  const { start, end } = rangeMs(filter);
  const rows = await selectRows<{ stage: string; ms: number }>(
    db,
    `SELECT stage, ms FROM (
        SELECT sc.from_stage AS stage, sc.at,
               sc.at - coalesce(lag(sc.at) OVER (PARTITION BY sc.lead_id ORDER BY sc.at, sc.id), l.created_at) AS ms
          FROM stage_changes sc JOIN leads l ON l.id = sc.lead_id
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
  return sortStageTimes(
    [...byStage.entries()].map(([stage, sorted]) => ({
      stage,
      count: sorted.length,
      medianMs: quantile(sorted, 0.5),
      p90Ms: quantile(sorted, 0.9),
    })),
  );
}

/** Content pipeline shares from content_touches, visitors, leads and the stage history. */
export async function rawContentPipeline(
  db: Database,
  filter: DashboardFilter,
  paths: readonly string[],
): Promise<ContentPipelineRow[]> {
  if (paths.length === 0) return [];
  const { start, end } = rangeMs(filter);
  const persona = filter.segment ? ` AND l.persona_id IN ${PERSONA_BY_NAME_SQL}` : "";
  const personaArgs = filter.segment ? [filter.siteId, filter.segment] : [];
  const rank = `max(${stageRankSql("l.stage")}, coalesce((SELECT max(${stageRankSql("sc.to_stage")})
                  FROM stage_changes sc WHERE sc.lead_id = l.id), 0))`;
  const touches = await selectRows<{ path: string; leads: number; mql: number; sql: number; won: number }>(
    db,
    `WITH touched AS (
            SELECT ct.path, v.lead_id, min(ct.first_at) AS first_at
              FROM content_touches ct JOIN visitors v ON v.site_id = ct.site_id AND v.id = ct.visitor_id
             WHERE ct.site_id = ? AND ct.path IN (${paths.map(() => "?").join(", ")}) AND v.lead_id IS NOT NULL
             GROUP BY ct.path, v.lead_id),
          reach AS (
            SELECT t.path, ${rank} AS rank FROM touched t JOIN leads l ON l.id = t.lead_id
             WHERE t.first_at >= ? AND t.first_at < ?${persona})
     SELECT path, count(*) AS leads, sum(rank >= 1) AS mql, sum(rank >= 3) AS sql, sum(rank >= 4) AS won
       FROM reach GROUP BY path`,
    [filter.siteId, ...paths, start, end, ...personaArgs],
  );
  const totals = await selectRows<{ mql: number; sql: number; won: number }>(
    db,
    `SELECT coalesce(sum(rank >= 1), 0) AS mql, coalesce(sum(rank >= 3), 0) AS sql, coalesce(sum(rank >= 4), 0) AS won
       FROM (SELECT max(${stageRankSql("sc.to_stage")}) AS rank FROM stage_changes sc JOIN leads l ON l.id = sc.lead_id
              WHERE sc.site_id = ? AND sc.at < ?${persona} GROUP BY sc.lead_id)`,
    [filter.siteId, end, ...personaArgs],
  );
  return pipelineRows(paths, touches, totals[0] ?? { mql: 0, sql: 0, won: 0 });
}

/**
 * A sales list's leads answered the direct way (one statement: per-lead subqueries for the first
 * touch, lower()/instr() substring filters, read from the wide rows): the baseline that
 * `listSalesLeads` (candidates from covering indexes, full rows only for the shown ids) must equal.
 */
export function rawSalesLeads(db: Database, q: SalesLeadQuery): Promise<SalesLeadRow[]> {
  const { where, args } = salesListConditions(q);
  if (q.campaign) {
    where.push("EXISTS (SELECT 1 FROM visitors v WHERE v.lead_id = l.id AND v.utm_campaign = ?)");
    args.push(q.campaign);
  }
  if (q.company) {
    where.push(
      "(instr(lower(coalesce(c.name, '')), lower(?)) > 0 OR instr(lower(coalesce(c.domain, '')), lower(?)) > 0)",
    );
    args.push(q.company, q.company);
  }
  if (q.search) {
    where.push("(instr(lower(l.email), lower(?)) > 0 OR instr(lower(coalesce(l.name, '')), lower(?)) > 0)");
    args.push(q.search, q.search);
  }
  args.push(q.limit ?? 5000);
  return selectRows<SalesLeadRow>(
    db,
    `SELECT ${SALES_LEAD_COLUMNS}
       FROM leads l LEFT JOIN companies c ON c.id = l.company_id LEFT JOIN users u ON u.id = l.owner_id
      WHERE ${where.join(" AND ")}
      ORDER BY coalesce(l.last_activity_at, l.created_at) DESC LIMIT ?`,
    args,
  );
}
