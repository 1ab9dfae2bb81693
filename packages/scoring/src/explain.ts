import { decayFactor } from "./decay.ts";
import type { LedgerEntry, RuleLabel, RuleSet } from "./types.ts";

/** One rule's part in a lead's score. */
export interface RuleContribution {
  ruleId: string;
  kind: "engagement" | "fit";
  label?: RuleLabel;
  /** Ledger entries of this rule. */
  entries: number;
  /** Sum of raw deltas (what the ledger says, before decay). */
  points: number;
  /** What those points are worth at `now` (engagement decays; fit does not). */
  current: number;
}

/** A score taken apart entry by entry. */
export interface ScoreExplanation {
  engagement: number;
  fit: number;
  combined: number;
  /** Biggest current contributions first. */
  rules: RuleContribution[];
}

/**
 * Explains a score from its ledger: every entry decayed from its own time to `now` and summed per
 * rule. Because decay is linear this equals the stored engagement decayed to `now` (up to float
 * rounding), which is how "points match the log" is checked.
 */
export function explainScore(ledger: readonly LedgerEntry[], ruleSet: RuleSet, now: number): ScoreExplanation {
  const byRule = new Map<string, RuleContribution>();
  const labels = new Map(ruleSet.rules.map((r) => [r.id, r.label]));
  let engagement = 0;
  let fit = 0;
  for (const entry of ledger) {
    const current =
      entry.kind === "engagement" ? entry.delta * decayFactor(now - entry.at, ruleSet.halfLifeDays) : entry.delta;
    if (entry.kind === "engagement") engagement += current;
    else fit += current;
    const key = `${entry.kind}:${entry.ruleId}`;
    let c = byRule.get(key);
    if (!c) {
      c = { ruleId: entry.ruleId, kind: entry.kind, entries: 0, points: 0, current: 0 };
      const label = labels.get(entry.ruleId);
      if (label) c.label = label;
      byRule.set(key, c);
    }
    c.entries++;
    c.points += entry.delta;
    c.current += current;
  }
  const rules = [...byRule.values()].sort((x, y) => Math.abs(y.current) - Math.abs(x.current));
  return { engagement, fit, combined: engagement + fit, rules };
}
