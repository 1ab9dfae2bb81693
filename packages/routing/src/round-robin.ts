/**
 * Smooth weighted round robin (the scheme nginx uses for upstream peers).
 *
 * Every rep carries a credit. On each pick, every eligible rep earns its weight in credit; the rep
 * with the most credit wins and pays back the total weight of the eligible reps. Over any run in which
 * the same reps are eligible, each rep wins in proportion to its weight, and the wins are spread out
 * (weights 5/1/1 give a a b a c a a, not a a a a a b c), so nobody gets a burst of leads. Credits of
 * reps who are skipped (away, full) are left untouched: they neither save up a backlog to flood them
 * on return nor lose their place. Ties go to the smaller rep id so the choice never depends on the
 * order reps happen to be listed in. Credits are plain data: the caller stores and returns them.
 */

/** A rep that may take the lead now, with its weight. */
export interface WeightedCandidate {
  id: string;
  weight: number;
}

/** The chosen rep and the pool's credits after the pick. */
export interface Pick {
  chosenId: string;
  credits: Record<string, number>;
}

/**
 * Picks one of `eligible` by smooth weighted round robin and returns the new credits; null when
 * nobody is eligible. Credits of reps not in `memberIds` are dropped, so removed reps do not linger.
 */
export function pickWeighted(
  eligible: readonly WeightedCandidate[],
  credits: Readonly<Record<string, number>>,
  memberIds: readonly string[],
): Pick | null {
  if (eligible.length === 0) return null;
  const next: Record<string, number> = {};
  for (const id of memberIds) next[id] = credits[id] ?? 0;
  let total = 0;
  let chosen: string | null = null;
  let best = Number.NEGATIVE_INFINITY;
  for (const candidate of eligible) {
    const credit = (next[candidate.id] ?? 0) + candidate.weight;
    next[candidate.id] = credit;
    total += candidate.weight;
    if (credit > best || (credit === best && chosen !== null && candidate.id < chosen)) {
      best = credit;
      chosen = candidate.id;
    }
  }
  if (chosen === null) return null;
  next[chosen] = best - total;
  return { chosenId: chosen, credits: next };
}
