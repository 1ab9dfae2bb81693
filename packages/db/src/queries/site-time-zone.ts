import type { Database } from "../client.ts";
import { DEFAULT_TIME_ZONE, isTimeZone, offsetChanges } from "../local-time.ts";
import { withWriteTransaction } from "../transactions.ts";

// A site's time zone: `sites.time_zone` is what the collector keys new rollup rows by (it re-reads
// it every few seconds); `site_tz_offsets` is what SQL buckets lead milestones by. A change sets
// the first at once and queues a `rollup_rebuilds` row; the collector's rebuild job then swaps the
// offsets, recounts the day-keyed funnel counters and re-counts the site's traffic from the raw
// tables in the new zone (rollup-rebuild.ts).

/** A queued rebuild's step count until it starts (then: the site's visitors and leads). */
const REBUILD_STEPS = 1;

/** The site's time zone (UTC for an unknown site). */
export async function siteTimeZone(db: Database, siteId: number): Promise<string> {
  const r = await db.$client.execute({ sql: "SELECT time_zone FROM sites WHERE id = ?", args: [siteId] });
  return String((r.rows[0] as { time_zone?: string } | undefined)?.time_zone ?? DEFAULT_TIME_ZONE);
}

/** Replaces a site's stored offset changes with those of `timeZone` (none for UTC). */
export async function writeSiteOffsets(db: Database, siteId: number, timeZone: string): Promise<void> {
  await db.$client.execute({ sql: "DELETE FROM site_tz_offsets WHERE site_id = ?", args: [siteId] });
  if (timeZone === DEFAULT_TIME_ZONE) return;
  const rows = offsetChanges(timeZone).map((c) => [siteId, c.fromMs, c.offsetMinutes]);
  await db.$client.execute({
    sql: `INSERT INTO site_tz_offsets (site_id, from_ms, offset_minutes)
          SELECT value->>0, value->>1, value->>2 FROM json_each(?)`,
    args: [JSON.stringify(rows)],
  });
}

/**
 * Sets a site's time zone. Returns "unchanged" when it already has it; otherwise the new zone is
 * in force for new rollup rows at once and a rebuild of the site's day-keyed rollups is queued.
 * Throws on a name that is not an IANA zone (validate at the boundary first).
 */
export async function setSiteTimeZone(
  db: Database,
  siteId: number,
  timeZone: string,
  now: number,
): Promise<"unchanged" | "queued"> {
  if (!isTimeZone(timeZone)) throw new Error(`not a time zone: ${timeZone}`);
  return withWriteTransaction(db, async (tx) => {
    if ((await siteTimeZone(tx, siteId)) === timeZone) return "unchanged";
    await tx.$client.execute({ sql: "UPDATE sites SET time_zone = ? WHERE id = ?", args: [timeZone, siteId] });
    await tx.$client.execute({
      sql: "INSERT INTO rollup_rebuilds (site_id, time_zone, total, created_at) VALUES (?, ?, ?, ?)",
      args: [siteId, timeZone, REBUILD_STEPS, now],
    });
    return "queued";
  });
}

/** A rollup rebuild as Settings shows it. */
export interface RollupRebuild {
  id: number;
  siteId: number;
  timeZone: string;
  status: "pending" | "running" | "done" | "failed";
  done: number;
  total: number;
  createdAt: number;
  finishedAt: number | null;
}

const REBUILD_COLUMNS = `id, site_id AS siteId, time_zone AS timeZone, status, done, total, created_at AS createdAt,
  finished_at AS finishedAt`;

/** The newest rebuild of each listed site. */
export async function latestRollupRebuilds(db: Database, siteIds: readonly number[]): Promise<RollupRebuild[]> {
  if (siteIds.length === 0) return [];
  const r = await db.$client.execute({
    sql: `SELECT ${REBUILD_COLUMNS} FROM rollup_rebuilds
           WHERE id IN (SELECT max(id) FROM rollup_rebuilds WHERE site_id IN (SELECT value FROM json_each(?)) GROUP BY site_id)`,
    args: [JSON.stringify(siteIds)],
  });
  return r.rows as unknown as RollupRebuild[];
}
