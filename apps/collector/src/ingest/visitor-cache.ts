import { type Database, loadVisitors, type VisitorRow } from "@leadtrail/db";
import { erasedVisitorIds } from "@leadtrail/workflows";
import { LruMap } from "./lru.ts";

// Visitor rows kept between commits, and the optimistic-version retry that makes that safe.
//
// Visitors are cached between commits (bounded, least recently used out first): a returning
// visitor's row — counters, visit state and anonymous score state — is taken from memory instead
// of being read and parsed again. The cache is safe with other writers (a second collector on the
// same database) because every visitor update is conditional on the row's `version` still being
// the cached one (persist-run.ts); a mismatch rolls the whole transaction back and runs it again
// with the rows of that group read from the database. Leads are never cached: sales changes their
// stage from the dashboard, and the stored stage is the truth scoring continues from.

/**
 * A commit found visitor rows changed by another writer since this collector cached them (their
 * `version` moved on): the transaction is rolled back and run again with those rows read afresh.
 */
export class StaleVisitorsError extends Error {
  constructor(readonly keys: string[]) {
    super(`${keys.length} cached visitor row(s) changed by another writer`);
  }
}

/** How often a group is re-run after a StaleVisitorsError before the error goes to the requests. */
const STALE_RETRIES = 2;

/** A browser of a site; its key in the transaction's maps is `site|visitor`. */
export interface VisitorKey {
  siteId: number;
  id: string;
}

/** The visitors of one transaction as it starts. */
export interface LoadedVisitors {
  /** Stored rows by `site|visitor` key, each the transaction's own copy. */
  rows: Map<string, VisitorRow>;
  /** Keys of erased people's browsers (not stored): their events are dropped. */
  erased: Set<string>;
}

export class VisitorCache {
  readonly #visitors: LruMap<string, VisitorRow>;
  /** (site, path, visitor) content touches remembered as stored, so they are not written again. */
  readonly #touches: LruMap<string, true>;

  constructor(visitorCacheSize = 20_000, touchCacheSize = 50_000) {
    this.#visitors = new LruMap(visitorCacheSize);
    this.#touches = new LruMap(touchCacheSize);
  }

  /**
   * The rows of these browsers, from the cache or read in `tx`. Cached rows are copied: the
   * transaction may still roll back, and the cache must keep what is committed. (The score state
   * inside is never mutated — the engine returns new states.)
   */
  async load(tx: Database, keys: ReadonlyMap<string, VisitorKey>): Promise<LoadedVisitors> {
    const rows = new Map<string, VisitorRow>();
    const misses: VisitorKey[] = [];
    for (const [key, k] of keys) {
      const cached = this.#visitors.get(key);
      if (cached) rows.set(key, { ...cached });
      else misses.push(k);
    }
    for (const [key, row] of await loadVisitors(tx, misses)) rows.set(key, row);
    return { rows, erased: await erasedAmong(tx, misses, rows) };
  }

  /** Whether a content touch (ContentTouch#key) is known to be stored. */
  hasTouch(key: string): boolean {
    return this.#touches.get(key) !== undefined;
  }

  /** After a commit: these rows and touches are what the database holds now. */
  remember(rows: readonly VisitorRow[], touchKeys: readonly string[]): void {
    for (const row of rows) this.#visitors.set(`${row.siteId}|${row.id}`, row);
    for (const key of touchKeys) this.#touches.set(key, true);
  }

  /** Runs `write`, and again with the stale rows forgotten after a StaleVisitorsError (a bounded number of times). */
  async retryStale<T>(write: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await write();
      } catch (error) {
        if (!(error instanceof StaleVisitorsError) || attempt >= STALE_RETRIES) throw error;
        for (const key of error.keys) this.#visitors.delete(key);
      }
    }
  }
}

/**
 * Browsers that are not stored (new, or deleted by an erase) may belong to an erased person:
 * their tombstones are looked up once per transaction, only for those visitors.
 */
async function erasedAmong(
  tx: Database,
  misses: readonly VisitorKey[],
  stored: ReadonlyMap<string, VisitorRow>,
): Promise<Set<string>> {
  const erased = new Set<string>();
  const unknownBySite = new Map<number, string[]>();
  for (const k of misses) {
    if (stored.has(`${k.siteId}|${k.id}`)) continue;
    const list = unknownBySite.get(k.siteId) ?? [];
    list.push(k.id);
    unknownBySite.set(k.siteId, list);
  }
  for (const [siteId, ids] of unknownBySite) {
    for (const id of await erasedVisitorIds(tx, siteId, ids)) erased.add(`${siteId}|${id}`);
  }
  return erased;
}
