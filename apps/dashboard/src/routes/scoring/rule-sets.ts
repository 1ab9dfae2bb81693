import { getRuleSetDraft, latestRuleSet, seedRuleSetVersion } from "@leadtrail/db";
import { defaultRuleSet, type RuleSet, validateRuleSet } from "@leadtrail/scoring";

/**
 * The site's published rules: the newest version. A site that has none yet (created before the
 * defaults were seeded, and without traffic) gets the defaults stored as version 1 here, so what
 * the page shows and edits is a real version.
 */
export async function published(db: App.Locals["db"], siteId: number): Promise<RuleSet> {
  let latest = await latestRuleSet(db, siteId);
  if (!latest && (await seedRuleSetVersion(db, siteId, defaultRuleSet, Date.now()))) {
    latest = await latestRuleSet(db, siteId);
  }
  const checked = latest ? validateRuleSet(latest.ruleSet) : null;
  return checked?.ok ? checked.ruleSet : defaultRuleSet;
}

/** The live rules and the draft being edited (null when there is none). */
export async function editing(db: App.Locals["db"], siteId: number) {
  const live = await published(db, siteId);
  const draft = await getRuleSetDraft(db, siteId);
  const checked = draft ? validateRuleSet(draft.ruleSet) : null;
  return { live, draft: checked?.ok ? checked.ruleSet : null };
}
