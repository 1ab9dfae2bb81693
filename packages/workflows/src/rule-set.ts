import { type Executor, latestRuleSet } from "@leadtrail/db";
import { defaultRuleSet, type RuleSet, validateRuleSet } from "@leadtrail/scoring";

/** The site's published rule set, or the defaults when it has none (or an invalid one). */
export async function publishedRuleSet(tx: Executor, siteId: number): Promise<RuleSet> {
  const latest = await latestRuleSet(tx, siteId);
  const checked = latest ? validateRuleSet(latest.ruleSet) : undefined;
  return checked?.ok ? checked.ruleSet : defaultRuleSet;
}
