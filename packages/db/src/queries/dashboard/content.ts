import type { Database } from "../../client.ts";
import { type DashboardFilter, rangeMs, selectRows } from "./filters.ts";
import { PERSONA_BY_NAME_SQL } from "./funnel.ts";

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
  /** Leads whose first touch of this page (through any of their visitors) was within the period. */
  leads: number;
  mqlLeads: number;
  sqlLeads: number;
  wonLeads: number;
  /** Share of all leads that reached MQL / SQL / won (before the period's end) that touched this page, 0–1. */
  mqlShare: number;
  sqlShare: number;
  wonShare: number;
}

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
 * The leads behind each of the given pages and how far they went in the funnel: leads whose first
 * touch of the page (through any of their visitors) falls in the period, from
 * content_pipeline_daily; shares divide by the leads that reached the stage before the period's
 * end, from lead_funnel's indexes. With a segment, only leads of that persona (by name) count, on
 * both sides of the share. Both tables are kept current by refreshLeadSummaries.
 */
export async function contentPipeline(
  db: Database,
  filter: DashboardFilter,
  paths: readonly string[],
): Promise<ContentPipelineRow[]> {
  if (paths.length === 0) return [];
  const { end } = rangeMs(filter);
  const persona = filter.segment ? ` AND persona_id IN ${PERSONA_BY_NAME_SQL}` : "";
  const personaArgs = filter.segment ? [filter.siteId, filter.segment] : [];
  const touches = await selectRows<{ path: string; leads: number; mql: number; sql: number; won: number }>(
    db,
    `SELECT path, sum(leads) AS leads, sum(mql) AS mql, sum(sql) AS sql, sum(won) AS won
       FROM content_pipeline_daily
      WHERE site_id = ? AND path IN (${paths.map(() => "?").join(", ")}) AND day BETWEEN ? AND ?${persona}
      GROUP BY path`,
    [filter.siteId, ...paths, filter.from, filter.to, ...personaArgs],
  );
  const reachedBy = (column: string) =>
    `(SELECT count(*) FROM lead_funnel WHERE site_id = ? AND ${column} < ?${persona})`;
  const totals = await selectRows<{ mql: number; sql: number; won: number }>(
    db,
    `SELECT ${reachedBy("mql_at")} AS mql, ${reachedBy("sql_at")} AS sql, ${reachedBy("won_at")} AS won`,
    [1, 2, 3].flatMap(() => [filter.siteId, end, ...personaArgs]),
  );
  return pipelineRows(paths, touches, totals[0] ?? { mql: 0, sql: 0, won: 0 });
}

/** Joins per-page lead counts with the stage totals into share rows, in the order of `paths`. */
export function pipelineRows(
  paths: readonly string[],
  touches: readonly { path: string; leads: number; mql: number; sql: number; won: number }[],
  total: { mql: number; sql: number; won: number },
): ContentPipelineRow[] {
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
