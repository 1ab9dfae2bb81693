import { type Database, latestRuleSet } from "@leadtrail/db";
import { defaultRuleSet, type RuleSet, validateRuleSet } from "@leadtrail/scoring";

/**
 * The site's published rule set (labels, half-life and grades for scores and breakdowns), else the
 * defaults: a stored set that no longer validates counts as none. Takes an executor so it can run
 * inside a write transaction (imports, mail).
 */
export async function publishedRuleSet(db: Database, siteId: number): Promise<RuleSet> {
  const latest = await latestRuleSet(db, siteId);
  const checked = latest ? validateRuleSet(latest.ruleSet) : undefined;
  return checked?.ok ? checked.ruleSet : defaultRuleSet;
}

/** {@link publishedRuleSet} for callers holding the drizzle database (read surfaces). */
export function siteRuleSet(db: Database, siteId: number): Promise<RuleSet> {
  return publishedRuleSet(db, siteId);
}
