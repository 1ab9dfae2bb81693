import { engagementAt } from "./state.ts";
import type { GradeBounds, RuleSet, ScoreState } from "./types.ts";

export type FitLetter = "A" | "B" | "C" | "D";
export type EngagementLevel = 1 | 2 | 3 | 4;

/** A lead's grade: how well they fit (A best) and how engaged they are now (1 hottest), e.g. "A1". */
export interface Grade {
  fit: FitLetter;
  engagement: EngagementLevel;
  grade: `${FitLetter}${EngagementLevel}`;
}

/** Grades a fit and an engagement score against the bounds (each bound is a minimum, inclusive). */
export function gradeOf(fit: number, engagement: number, bounds: GradeBounds): Grade {
  const letters: FitLetter[] = ["A", "B", "C"];
  const levels: EngagementLevel[] = [1, 2, 3];
  const fi = bounds.fit.findIndex((min) => fit >= min);
  const ei = bounds.engagement.findIndex((min) => engagement >= min);
  const f = fi < 0 ? "D" : (letters[fi] ?? "D");
  const e = ei < 0 ? 4 : (levels[ei] ?? 4);
  return { fit: f, engagement: e, grade: `${f}${e}` };
}

/** The grade of a state at `now` (engagement decayed to then). */
export function gradeState(state: ScoreState, ruleSet: RuleSet, now: number): Grade {
  return gradeOf(state.fit, engagementAt(state, ruleSet, now), ruleSet.grades);
}
