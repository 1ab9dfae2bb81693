import { companyMemberScores, type Database, type LeadViewer } from "@leadtrail/db";
import { type CompanyRollup, companyRollup, currentScore, type RuleSet } from "@leadtrail/scoring";

/**
 * A lead's account (company) rolled up from every member's current score (packages/scoring
 * `companyRollup`): the account score and whether a buying group — several engaged people at
 * once — is at work, from the members `viewer` may see (visibleLeadsCondition). Null for a lead
 * without a company.
 */
export async function accountRollup(
  db: Database,
  companyId: number | null,
  viewer: LeadViewer,
  ruleSet: Pick<RuleSet, "halfLifeDays">,
  now: number,
): Promise<CompanyRollup | null> {
  if (companyId === null) return null;
  const members = await companyMemberScores(db, companyId, viewer);
  return companyRollup(
    members.map((m) => ({
      score: currentScore(m, ruleSet, now),
    })),
  );
}
