import { defaultRuleSet, type RuleSet, validateRuleSet } from "@leadtrail/scoring";
import { ruleSetInZone } from "@leadtrail/workflows";

/** Where published rule sets come from (the `rule_set_versions` table in production). */
export interface RuleSetStore {
  /** The newest published version number of a site, or undefined when it has none. Must be cheap. */
  latestVersion(siteId: number): Promise<number | undefined>;
  /** The newest published rule set of a site (unvalidated JSON), or undefined. */
  latest(siteId: number): Promise<{ version: number; ruleSet: unknown } | undefined>;
  /**
   * Stores `ruleSet` as version 1 of a site that has none; true when it did. With it, a site
   * never runs on unrecorded rules: the defaults become a real, editable version on first use.
   */
  seed?(siteId: number, ruleSet: RuleSet): Promise<boolean>;
  /** The site's IANA time zone (re-read with the version check); UTC when absent. */
  timeZone?(siteId: number): Promise<string>;
}

export interface RuleSetCacheOptions {
  /** How often a site's published version is re-checked; a new version is loaded on the next write. */
  checkEveryMs?: number;
  /** Rules for a site that never published any. */
  fallback?: RuleSet;
  clock?: () => number;
}

interface Entry {
  /** The published rule set, with the site's zone as `dayOffsetAt` for per-day caps. */
  ruleSet: RuleSet;
  published: RuleSet;
  version: number | undefined;
  timeZone: string;
  checkedAt: number;
}

/**
 * The active rule set of each site, loaded once and kept in memory: scoring runs inside the
 * ingest transaction and must not query for rules per event. The reload hook: before each group
 * commit `prepare` is called for the sites in it; a site whose version was checked more than
 * `checkEveryMs` ago (default 5 s) gets one cheap `max(version)` query, and only a changed
 * version loads and validates the new rule set. So a rule set the dashboard publishes is in force
 * within a few seconds, with no restart. An invalid published rule set keeps the previous one.
 */
export function createRuleSetCache(store: RuleSetStore, options: RuleSetCacheOptions = {}) {
  const { checkEveryMs = 5000, fallback = defaultRuleSet, clock = () => Date.now() } = options;
  const entries = new Map<number, Entry>();

  async function refresh(siteId: number): Promise<void> {
    const entry = entries.get(siteId);
    const now = clock();
    if (entry && now - entry.checkedAt < checkEveryMs) return;
    let version = await store.latestVersion(siteId);
    const timeZone = (await store.timeZone?.(siteId)) ?? "UTC";
    // A site without published rules gets the defaults as version 1, so every ledger row names a
    // version that exists and marketers edit what is really in force.
    if (version === undefined && store.seed && (await store.seed(siteId, { ...fallback, version: 1 }))) {
      version = await store.latestVersion(siteId);
    }
    if (entry && version === entry.version) {
      entry.checkedAt = now;
      if (entry.timeZone !== timeZone)
        Object.assign(entry, { timeZone, ruleSet: ruleSetInZone(entry.published, timeZone) });
      return;
    }
    let ruleSet = entry?.published ?? fallback;
    if (version !== undefined) {
      const latest = await store.latest(siteId);
      const checked = latest ? validateRuleSet(latest.ruleSet) : undefined;
      if (checked?.ok) ruleSet = checked.ruleSet;
      else console.error(`rule set v${version} of site ${siteId} is invalid; keeping v${ruleSet.version}`);
    }
    entries.set(siteId, {
      ruleSet: ruleSetInZone(ruleSet, timeZone),
      published: ruleSet,
      version,
      timeZone,
      checkedAt: now,
    });
  }

  return {
    /** Loads or re-checks the rule sets of these sites; call before a write transaction. */
    async prepare(siteIds: Iterable<number>): Promise<void> {
      for (const siteId of new Set(siteIds)) await refresh(siteId);
    },
    /** The rule set in force for a site (the fallback until `prepare` has loaded one). */
    get(siteId: number): RuleSet {
      return entries.get(siteId)?.ruleSet ?? fallback;
    },
    /** The site's time zone as of the last check (UTC until `prepare` has loaded it). */
    timeZone(siteId: number): string {
      return entries.get(siteId)?.timeZone ?? "UTC";
    },
  };
}

export type RuleSetCache = ReturnType<typeof createRuleSetCache>;
