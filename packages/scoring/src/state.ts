import { decayedValue, engagementSortKey } from "./decay.ts";
import type { RuleSet, ScoreState, Stage } from "./types.ts";

/** How many recent event ids a state remembers to ignore retries. Callers dedup globally first. */
export const RECENT_IDS = 32;

/** A fresh state for a new lead (or, with `anonymous`, a new visitor). */
export function initialState(options: { anonymous?: boolean; stage?: Stage } = {}): ScoreState {
  return {
    v: 1,
    anonymous: options.anonymous ?? false,
    engagement: 0,
    engagementAt: null,
    fit: 0,
    fitByRule: {},
    stage: options.stage ?? "lead",
    armed: true,
    lastAt: null,
    visits: 0,
    rules: {},
    recent: [],
    seq: 0,
  };
}

/** Engagement of a state at `now`. */
export function engagementAt(state: ScoreState, ruleSet: Pick<RuleSet, "halfLifeDays">, now: number): number {
  return decayedValue(state.engagement, state.engagementAt, now, ruleSet.halfLifeDays);
}

/** What sales sorts by: fit plus current engagement. */
export function combinedScore(state: ScoreState, ruleSet: Pick<RuleSet, "halfLifeDays">, now: number): number {
  return state.fit + engagementAt(state, ruleSet, now);
}

/** The state's engagement sort key (store it in `leads.engagement_sort_key`). */
export function sortKey(state: ScoreState, ruleSet: Pick<RuleSet, "halfLifeDays">): number {
  return engagementSortKey(state.engagement, state.engagementAt, ruleSet.halfLifeDays);
}
