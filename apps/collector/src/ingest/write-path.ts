import { type Database, markFirstEvent, withWriteTransaction } from "@leadtrail/db";
import type { RuleSetCache } from "../scoring/rule-sets.ts";
import { VisitorCache } from "./visitor-cache.ts";
import type { IngestOp, OpResult } from "./write-ops.ts";
import { WriteRun } from "./write-run.ts";

// The collector's one write path: the function the group commit calls with many requests' ops.
// Its jobs each have a file: the ops and answers (write-ops.ts), the visitor cache and its
// optimistic-version retry (visitor-cache.ts), the transaction's run through the ops
// (write-run.ts) with visits (visit-tracking.ts), identify (identify-lead.ts), the engine's
// results as rows (score-book.ts) and the writes at its end (persist-run.ts).

export interface IngestWriterOptions {
  db: Database;
  ruleSets: RuleSetCache;
  /** Called with the number of events stored after each commit (metrics). */
  onCommit?: (stored: number) => void;
  /**
   * Visitors kept in memory after a commit, so the next events of a visitor need no read
   * (default 20,000 ≈ 20–40 MB; 0 turns the cache off).
   */
  visitorCacheSize?: number;
  /** (site, path, visitor) content touches remembered as stored, so they are not written again (default 50,000). */
  touchCacheSize?: number;
}

/**
 * The group-commit write function: many requests' ops in ONE write transaction. It reads the
 * visitors and leads involved, stores events (deduplicated by client id), scores every newly
 * stored event with packages/scoring for its lead (or its anonymous visitor), handles identify,
 * and writes visitors, leads, ledger, stage changes and the daily rollups — a fixed handful of
 * set-based statements per transaction, however many events it holds. Returns one result per op.
 * Visitor rows are cached between commits; a commit that finds a cached row changed by another
 * writer is run again with fresh rows (visitor-cache.ts).
 */
export function createIngestWriter(options: IngestWriterOptions) {
  const markedSites = new Set<number>();
  const cache = new VisitorCache(options.visitorCacheSize, options.touchCacheSize);
  return async function writeOps(ops: IngestOp[]): Promise<OpResult[]> {
    await options.ruleSets.prepare(ops.map((op) => op.siteId));
    return cache.retryStale(() => writeOnce(ops));
  };

  async function writeOnce(ops: IngestOp[]): Promise<OpResult[]> {
    let run: WriteRun | undefined;
    const results = await withWriteTransaction(options.db, async (tx) => {
      run = new WriteRun(tx, options.ruleSets, cache);
      const out = await run.execute(ops);
      for (const siteId of run.sitesWithEvents) {
        if (!markedSites.has(siteId)) await markFirstEvent(tx, siteId, run.firstEventAt.get(siteId) ?? Date.now());
      }
      return out;
    });
    // Committed: what this transaction wrote is now what the database holds.
    const done = run as WriteRun;
    cache.remember(done.visitorRows, done.touchKeys);
    for (const op of ops) if (op.kind === "events") markedSites.add(op.siteId);
    options.onCommit?.(done.stored);
    return results;
  }
}
