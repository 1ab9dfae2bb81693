import type { Database } from "../../client.ts";
import { type DashboardFilter, selectRows } from "./filters.ts";

/** One month of lead generation: new leads and new MQLs, from the daily rollups. */
export interface MonthCount {
  month: string;
  leads: number;
  mqls: number;
}

/** Months YYYY-MM from `fromDay`'s month to `toDay`'s month, inclusive. */
export function monthsBetween(fromDay: string, toDay: string): string[] {
  const months: string[] = [];
  let y = Number(fromDay.slice(0, 4));
  let m = Number(fromDay.slice(5, 7));
  const last = toDay.slice(0, 7);
  while (months.length < 240) {
    const month = `${y}-${String(m).padStart(2, "0")}`;
    months.push(month);
    if (month >= last) break;
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
  return months;
}

/**
 * Leads and MQLs per month (the article's measure of lead management), every month of the range
 * present. Reads the site totals of `daily_stats`, where the collector counts first identifies and
 * MQL crossings in the ingest transaction.
 */
export async function leadsPerMonth(db: Database, filter: DashboardFilter): Promise<MonthCount[]> {
  const rows = await selectRows<MonthCount>(
    db,
    `SELECT substr(day, 1, 7) AS month, sum(leads) AS leads, sum(mqls) AS mqls
       FROM daily_stats
      WHERE site_id = ? AND dimension = '' AND day BETWEEN ? AND ? AND value = ''
      GROUP BY month`,
    [filter.siteId, filter.from, filter.to],
  );
  const byMonth = new Map(rows.map((r) => [r.month, r]));
  return monthsBetween(filter.from, filter.to).map((month) => byMonth.get(month) ?? { month, leads: 0, mqls: 0 });
}

/** Main-line funnel stages in order, and the rank a lead has reached when it is in each. */
export const FUNNEL_STAGES = ["lead", "mql", "sal", "sql", "won"] as const;
export type FunnelStage = (typeof FUNNEL_STAGES)[number];

/** How many of the site's leads are in each stage right now (all seven stages, zeros included). */
export async function leadsByStage(db: Database, siteId: number): Promise<Record<string, number>> {
  const rows = await selectRows<{ stage: string; n: number }>(
    db,
    "SELECT stage, count(*) AS n FROM leads WHERE site_id = ? GROUP BY stage",
    [siteId],
  );
  const counts: Record<string, number> = { lead: 0, mql: 0, sal: 0, sql: 0, won: 0, lost: 0, nurture: 0 };
  for (const r of rows) counts[r.stage] = r.n;
  return counts;
}

/** A page's contribution to scoring over the period. */
export interface ContentPoints {
  path: string;
  points: number;
  pageviews: number;
}

/** The pages whose events contributed the most score points over the period. */
export async function topContentByPoints(db: Database, filter: DashboardFilter, limit = 10): Promise<ContentPoints[]> {
  return selectRows<ContentPoints>(
    db,
    `SELECT value AS path, sum(points) AS points, sum(pageviews) AS pageviews
       FROM daily_stats
      WHERE site_id = ? AND dimension = 'path' AND day BETWEEN ? AND ?
      GROUP BY value
      HAVING sum(points) <> 0
      ORDER BY points DESC, pageviews DESC
      LIMIT ?`,
    [filter.siteId, filter.from, filter.to, limit],
  );
}

/** Visitors seen in the last `windowMs` (default five minutes) before `now`. */
export async function visitorsNow(db: Database, siteId: number, now: number, windowMs = 5 * 60_000): Promise<number> {
  const rows = await selectRows<{ n: number }>(
    db,
    "SELECT count(*) AS n FROM visitors WHERE site_id = ? AND last_seen_at > ?",
    [siteId, now - windowMs],
  );
  return rows[0]?.n ?? 0;
}
