// The same questions as the rollup widgets, answered from the raw `events` table. They exist for
// the benchmark's baseline and for tests that check rollups against raw events; the dashboard
// itself never calls them (their cost grows with every event stored).
import type { Database } from "../../client.ts";
import { type DashboardFilter, rangeMs, selectRows } from "./filters.ts";

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
