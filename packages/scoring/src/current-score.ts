import { decayedValue } from "./decay.ts";
import type { RuleSet } from "./types.ts";

/** The stored score columns of a lead: fit, and engagement as a value at `scoredAt`. */
export interface StoredScore {
  fitScore: number;
  engagementScore: number;
  scoredAt: number | null;
}

/**
 * A lead's combined score at `now`: fit plus its stored engagement decayed with the site's half-life.
 * What sales sorts by, the API reports and nurture tracks test against; every surface uses this one.
 */
export function currentScore(row: StoredScore, ruleSet: Pick<RuleSet, "halfLifeDays">, now: number): number {
  return row.fitScore + decayedValue(row.engagementScore, row.scoredAt, now, ruleSet.halfLifeDays);
}
