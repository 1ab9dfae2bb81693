import {
  addRebuildChunk,
  type Database,
  finishRollupRebuild,
  type RebuildRun,
  rebuildLeads,
  rebuildVisitors,
  takeRollupRebuild,
} from "@leadtrail/db";
import { RollupBatch, recountLead, recountVisitor } from "../ingest/rollups.ts";

/** How a rebuild's result is reported (the newest rebuild row as Settings shows it). */
export interface RollupRebuildDone {
  id: number;
  siteId: number;
  timeZone: string;
  status: "done" | "superseded";
}

/**
 * The rollup rebuild job's pass: takes the oldest open rebuild (starting it: offsets, funnel
 * counters, cut-offs, see @leadtrail/db rollup-rebuild.ts) and re-counts the site's traffic, leads
 * and MQLs from the raw tables in the new zone, `chunk` visitors or leads at a time: each chunk is
 * read without a lock, counted in memory with the write path's rules (ingest/rollups.ts) and added
 * in its own short write transaction, so the collector's commits go on in between. The last step
 * swaps the result into `daily_stats` at once. Undefined when no rebuild was open.
 */
export async function runRollupRebuild(
  db: Database,
  now: number,
  { chunk = 500 }: { chunk?: number } = {},
): Promise<RollupRebuildDone | undefined> {
  const run = await takeRollupRebuild(db, now);
  if (!run) return undefined;
  const result = (status: RollupRebuildDone["status"]) => ({
    id: run.id,
    siteId: run.siteId,
    timeZone: run.timeZone,
    status,
  });
  let cursor = run.cursor;
  for (;;) {
    const batch = new RollupBatch(() => run.timeZone);
    let counted = 0;
    if (cursor.startsWith("v:")) {
      const visitors = await rebuildVisitors(db, run, cursor.slice(2), chunk);
      for (const v of visitors) recountVisitor(batch, run.siteId, v);
      counted = visitors.length;
      cursor = visitors.length < chunk ? "l:0" : `v:${visitors[visitors.length - 1]?.id}`;
    } else {
      const leads = await rebuildLeads(db, run, Number(cursor.slice(2)), chunk);
      for (const l of leads) recountLead(batch, run.siteId, l);
      counted = leads.length;
      cursor = leads.length < chunk ? "end" : `l:${leads[leads.length - 1]?.id}`;
    }
    if (!(await addRebuildChunk(db, run, batch.deltas(), cursor, counted))) return result("superseded");
    if (cursor === "end") break;
  }
  return (await finishRollupRebuild(db, run as RebuildRun, now)) ? result("done") : result("superseded");
}
