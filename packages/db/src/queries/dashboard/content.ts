import type { Database } from "../../client.ts";
import { type DashboardFilter, rangeMs, selectRows } from "./filters.ts";

/** What one page (content asset) did over the period, from the daily rollups. */
export interface ContentRow {
  path: string;
  pageviews: number;
  visitors: number;
  engagedMs: number;
  /** Average scroll depth 0–1, or null when no scroll was reported. */
  scrollDepth: number | null;
  points: number;
}

/** A page's part in the pipeline: the leads who touched it and how far they went. */
export interface ContentPipelineRow {
  path: string;
  /** Leads whose visitors first touched this page within the period. */
  leads: number;
  mqlLeads: number;
  sqlLeads: number;
  wonLeads: number;
  /** Share of all leads that reached MQL / SQL / won (before the period's end) that touched this page, 0–1. */
  mqlShare: number;
  sqlShare: number;
  wonShare: number;
}

// The highest main-line stage a lead reached, from its history and its current stage:
// 1 = MQL, 2 = SAL, 3 = SQL, 4 = won (a lead rejected to nurture or lost keeps what it reached).
const RANK = (column: string) =>
  `CASE ${column} WHEN 'mql' THEN 1 WHEN 'sal' THEN 2 WHEN 'sql' THEN 3 WHEN 'won' THEN 4 ELSE 0 END`;

/** Views, engaged time, scroll depth and points per page over the period, most viewed first (rollups only). */
export async function contentEngagement(db: Database, filter: DashboardFilter, limit = 25): Promise<ContentRow[]> {
  const pages = await selectRows<{
    path: string;
    pageviews: number;
    visitors: number;
    engagedMs: number;
    scrollSum: number;
    scrollCount: number;
    points: number;
  }>(
    db,
    `SELECT value AS path, sum(pageviews) AS pageviews, sum(visitors) AS visitors, sum(engaged_ms) AS engagedMs,
            sum(scroll_sum) AS scrollSum, sum(scroll_count) AS scrollCount, sum(points) AS points
       FROM daily_stats
      WHERE site_id = ? AND dimension = 'path' AND day BETWEEN ? AND ?
      GROUP BY value
      ORDER BY pageviews DESC, value
      LIMIT ?`,
    [filter.siteId, filter.from, filter.to, limit],
  );
  return pages.map(({ scrollSum, scrollCount, ...p }) => ({
    ...p,
    scrollDepth: scrollCount > 0 ? scrollSum / scrollCount : null,
  }));
}

/**
 * The leads behind each of the given pages (from `content_touches` through the visitors they
 * identified as) and how far those leads went in the funnel. Its cost grows with the visitors who
 * touched the pages, not with the rollups: the dashboard streams it after the page has rendered
 * (see the benchmark's figures for why a per-path pipeline rollup is the next step).
 */
export async function contentPipeline(
  db: Database,
  filter: DashboardFilter,
  paths: readonly string[],
): Promise<ContentPipelineRow[]> {
  if (paths.length === 0) return [];
  const { start, end } = rangeMs(filter);
  const placeholders = paths.map(() => "?").join(", ");
  const reached = (leadIds: string) =>
    `SELECT l.id AS lead_id, max(${RANK("l.stage")}, coalesce((SELECT max(${RANK("sc.to_stage")})
            FROM stage_changes sc WHERE sc.lead_id = l.id), 0)) AS rank
       FROM leads l WHERE ${leadIds}`;
  const touches = await selectRows<{ path: string; leads: number; mql: number; sql: number; won: number }>(
    db,
    `WITH touched AS (
            SELECT DISTINCT ct.path, v.lead_id
              FROM content_touches ct
              JOIN visitors v ON v.site_id = ct.site_id AND v.id = ct.visitor_id
             WHERE ct.site_id = ? AND ct.path IN (${placeholders}) AND ct.first_at >= ? AND ct.first_at < ?
               AND v.lead_id IS NOT NULL),
          reach AS (${reached("l.id IN (SELECT lead_id FROM touched)")})
     SELECT t.path, count(*) AS leads, sum(coalesce(r.rank, 0) >= 1) AS mql, sum(coalesce(r.rank, 0) >= 3) AS sql,
            sum(coalesce(r.rank, 0) >= 4) AS won
       FROM touched t LEFT JOIN reach r ON r.lead_id = t.lead_id
      GROUP BY t.path`,
    [filter.siteId, ...paths, start, end],
  );
  // Denominators: every lead of the site that had reached the stage by the period's end.
  const totals = await selectRows<{ mql: number; sql: number; won: number }>(
    db,
    `SELECT coalesce(sum(rank >= 1), 0) AS mql, coalesce(sum(rank >= 3), 0) AS sql, coalesce(sum(rank >= 4), 0) AS won
       FROM (SELECT max(${RANK("to_stage")}) AS rank FROM stage_changes
              WHERE site_id = ? AND at < ? AND to_stage IN ('mql', 'sal', 'sql', 'won') GROUP BY lead_id)`,
    [filter.siteId, end],
  );
  const total = totals[0] ?? { mql: 0, sql: 0, won: 0 };
  const byPath = new Map(touches.map((t) => [t.path, t]));
  const share = (part: number, whole: number) => (whole > 0 ? Math.min(1, part / whole) : 0);
  return paths.map((path) => {
    const t = byPath.get(path);
    return {
      path,
      leads: t?.leads ?? 0,
      mqlLeads: t?.mql ?? 0,
      sqlLeads: t?.sql ?? 0,
      wonLeads: t?.won ?? 0,
      mqlShare: share(t?.mql ?? 0, total.mql),
      sqlShare: share(t?.sql ?? 0, total.sql),
      wonShare: share(t?.won ?? 0, total.won),
    };
  });
}

/** The most recent raw events on one page (a drill-down; always limited). */
export async function recentEventsOnPath(
  db: Database,
  siteId: number,
  path: string,
  limit = 50,
): Promise<{ id: number; type: string; visitorId: string; title: string | null; receivedAt: number }[]> {
  // Walks the site's newest events by index and stops at `limit` matches or 20 000 rows, so a
  // rare page cannot turn the drill-down into a scan of every event.
  return selectRows(
    db,
    `SELECT id, type, visitorId, title, receivedAt FROM (
        SELECT id, type, visitor_id AS visitorId, title, received_at AS receivedAt, path
          FROM events WHERE site_id = ? ORDER BY received_at DESC LIMIT 20000)
      WHERE path = ? LIMIT ?`,
    [siteId, path, Math.min(limit, 500)],
  );
}
