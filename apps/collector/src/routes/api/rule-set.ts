import { type Database, latestRuleSet } from "@leadtrail/db";
import { defaultRuleSet, type RuleSet, validateRuleSet } from "@leadtrail/scoring";

/** The site's published rule set (labels and half-life for scores and breakdowns), else the defaults. */
export async function ruleSetOf(db: Database, siteId: number): Promise<RuleSet> {
  const latest = await latestRuleSet(db.$client, siteId);
  if (!latest) return defaultRuleSet;
  const checked = validateRuleSet(latest.ruleSet);
  return checked.ok ? checked.ruleSet : defaultRuleSet;
}
