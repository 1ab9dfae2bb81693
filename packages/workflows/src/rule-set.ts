import { type Database, latestRuleSet } from "@leadtrail/db";
import { defaultRuleSet, type RuleSet, validateRuleSet } from "@leadtrail/scoring";

/**
 * The site's published rule set (labels, half-life and grades for scores and breakdowns), else the
 * defaults: a stored set that no longer validates counts as none.
 */
export async function siteRuleSet(db: Database, siteId: number): Promise<RuleSet> {
  const latest = await latestRuleSet(db.$client, siteId);
  if (!latest) return defaultRuleSet;
  const checked = validateRuleSet(latest.ruleSet);
  return checked.ok ? checked.ruleSet : defaultRuleSet;
}
