import {
  addDailyStats,
  addHourlyStats,
  type Database,
  insertContentTouches,
  insertLedger,
  insertVisitors,
  recordStageChanges,
  saveLeadScores,
  setVisitorLeads,
  updateVisitors,
  type VisitorRow,
} from "@leadtrail/db";
import type { RuleSet } from "@leadtrail/scoring";
import { routeMqls } from "@leadtrail/workflows";
import { leadsToRefresh, type RollupBatch } from "./rollups.ts";
import type { ScoreBook } from "./score-book.ts";
import { StaleVisitorsError } from "./visitor-cache.ts";

// The end of a write transaction: everything it worked out in memory is written with a fixed
// handful of set-based statements, however many events it holds — visitors, leads' scores,
// ledger, daily and hourly rollups, content touches, stage changes (with the funnel summaries
// they change) — and the leads that became MQL are routed before the commit.

/** What one transaction worked out, ready to be written. */
export interface RunOutcome {
  /** The transaction's visitors by `site|visitor` key, as they are to be stored. */
  visitors: ReadonlyMap<string, VisitorRow>;
  /** The lead each stored visitor had before the transaction (absent: a new visitor). */
  storedLeadOf: ReadonlyMap<string, number | null>;
  book: ScoreBook;
  rollups: RollupBatch;
  ruleSetOf: (siteId: number) => RuleSet;
  /** Whether a content touch is known to be stored already (VisitorCache#hasTouch). */
  hasTouch: (key: string) => boolean;
}

/** Writes a transaction's outcome; returns the visitor rows and content touches as now stored (for the cache). */
export async function persistRun(
  tx: Database,
  run: RunOutcome,
): Promise<{ visitorRows: VisitorRow[]; touchKeys: string[] }> {
  run.book.scoreVisitorRows(run.visitors);
  const visitorRows = await saveVisitors(tx, run.visitors, run.storedLeadOf);
  await saveLeadScores(tx, run.book.leadScoreRows(run.ruleSetOf));
  await insertLedger(tx, run.book.ledger);
  await addDailyStats(tx, run.rollups.deltas());
  await addHourlyStats(tx, run.rollups.hourly());
  const touches = run.rollups.touches().filter((t) => !run.hasTouch(t.key));
  await insertContentTouches(tx, touches);
  await recordStageChanges(
    tx,
    run.book.stageChanges,
    leadsToRefresh({
      visitors: run.visitors,
      storedLeadOf: run.storedLeadOf,
      leadIds: run.book.leadIds(),
      touches,
    }),
  );
  // Only a commit in which a lead became MQL does any routing work.
  if (run.book.mqls.length > 0) await routeMqls(tx, run.book.mqls);
  return { visitorRows, touchKeys: touches.map((t) => t.key) };
}

/**
 * New visitors are inserted whole; stored ones get their hot columns written, conditional on
 * their version (a cached row another writer has changed since fails the check and the whole
 * transaction is re-run with fresh rows: StaleVisitorsError); a changed lead is written on its own.
 * Returns the rows as stored, their versions moved on.
 */
async function saveVisitors(
  tx: Database,
  visitors: ReadonlyMap<string, VisitorRow>,
  storedLeadOf: ReadonlyMap<string, number | null>,
): Promise<VisitorRow[]> {
  const inserts: VisitorRow[] = [];
  const updates: VisitorRow[] = [];
  const leadChanges: VisitorRow[] = [];
  for (const [key, v] of visitors) {
    const storedLead = storedLeadOf.get(key);
    if (storedLead === undefined) inserts.push(v);
    else {
      updates.push(v);
      if (storedLead !== v.leadId) leadChanges.push(v);
    }
  }
  await insertVisitors(tx, inserts);
  const updated = await updateVisitors(tx, updates);
  if (updated !== updates.length) throw new StaleVisitorsError(updates.map((v) => `${v.siteId}|${v.id}`));
  await setVisitorLeads(tx, leadChanges);
  for (const v of inserts) v.version = 1;
  for (const v of updates) v.version++;
  return [...inserts, ...updates];
}
