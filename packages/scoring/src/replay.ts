import { applyEvent } from "./apply-event.ts";
import { updateTraits } from "./fit.ts";
import { identify, mergeLeads } from "./identify.ts";
import { checkThreshold, type SalesAction, transition } from "./lifecycle.ts";
import { combinedScore, initialState } from "./state.ts";
import type {
  Actor,
  EngineResult,
  LedgerEntry,
  ProfileTraits,
  RuleSet,
  ScoreState,
  ScoringEvent,
  StageChange,
} from "./types.ts";

/**
 * One thing that happened to a lead, in the order the caller applied it. A lead's history is a
 * list of these: its events (ordered by stored id), profile updates, identified visitors (with
 * their own anonymous steps), merged leads (with theirs), sales actions and background re-scores.
 */
export type ReplayStep =
  | { kind: "event"; event: ScoringEvent; now: number }
  | { kind: "traits"; traits: ProfileTraits; now: number }
  | { kind: "identify"; visitor: ReplayStep[]; now: number }
  | { kind: "merge"; other: ReplayStep[]; now: number }
  | { kind: "transition"; action: SalesAction; actor: Actor; now: number }
  | { kind: "rescore"; now: number };

/** The rules in force: one rule set, or a lookup from processing time to the version active then. */
export type RuleSetSource = RuleSet | ((now: number) => RuleSet);

/** Everything a replay (or the incremental path) produces for a lead. */
export interface ReplayResult {
  state: ScoreState;
  /** The lead's ledger rows in insertion order (since its last re-score). */
  ledger: LedgerEntry[];
  /** Its stage history, including merged leads' histories. */
  stageChanges: StageChange[];
}

/**
 * Recomputes a lead (or, with `anonymous`, a visitor) from its history. Given the same steps and
 * rule versions it returns exactly — bit for bit — the state, ledger and stage history the
 * incremental calls produced, because it calls the same functions in the same order.
 */
export function replay(
  steps: readonly ReplayStep[],
  rules: RuleSetSource,
  options: { anonymous?: boolean } = {},
): ReplayResult {
  const resolve = typeof rules === "function" ? rules : () => rules;
  let state = initialState({ anonymous: options.anonymous ?? false });
  let ledger: LedgerEntry[] = [];
  const stageChanges: StageChange[] = [];
  const take = (result: EngineResult) => {
    state = result.state;
    ledger.push(...result.ledger);
    if (result.stageChange) stageChanges.push(result.stageChange);
  };
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i] as ReplayStep;
    const ruleSet = resolve(step.now);
    switch (step.kind) {
      case "event":
        take(applyEvent(state, step.event, ruleSet, step.now));
        break;
      case "traits":
        take(updateTraits(state, step.traits, ruleSet, step.now));
        break;
      case "identify": {
        const visitor = replay(step.visitor, rules, { anonymous: true });
        ledger.push(...visitor.ledger);
        take(identify(state, visitor.state, ruleSet, step.now));
        break;
      }
      case "merge": {
        const other = replay(step.other, rules);
        ledger.push(...other.ledger);
        stageChanges.push(...other.stageChanges);
        take(mergeLeads(state, other.state, ruleSet, step.now));
        break;
      }
      case "transition": {
        const result = transition(state, step.action, step.actor, step.now, ruleSet);
        if (result.ok) take({ state: result.state, ledger: [], stageChange: result.stageChange });
        break;
      }
      case "rescore": {
        const result = rescoreLead(steps.slice(0, i), state, ruleSet, step.now);
        state = result.state;
        ledger = result.ledger.slice();
        if (result.stageChange) stageChanges.push(result.stageChange);
        break;
      }
    }
  }
  return { state, ledger, stageChanges };
}

/** The outcome of re-scoring one lead with a new rule set. */
export interface RescoreResult {
  state: ScoreState;
  /** Replaces the lead's ledger rows (delete the old ones in the same transaction). */
  ledger: LedgerEntry[];
  /** Set when the new score makes the lead an MQL now (automatic moves only go forward). */
  stageChange?: StageChange;
  /** Combined score at `now` before and after. */
  scoreBefore: number;
  scoreAfter: number;
}

/**
 * Re-scores a lead with a new rule set: its history is replayed with `rules` for every step
 * (sales actions and earlier re-scores skipped), but its stage is kept — a lower score never moves
 * a lead back — and then the threshold is checked once at `now`, which may make it an MQL.
 * `current` is the stored state; its `seq` lets the job detect a write that raced it.
 *
 * `rules` is usually the one new version (a publish re-scores everything with it); a merge passes
 * the lookup of the version in force at each step instead. `why` starts the MQL reason.
 */
export function rescoreLead(
  steps: readonly ReplayStep[],
  current: ScoreState,
  rules: RuleSetSource,
  now: number,
  why = "re-scored",
): RescoreResult {
  const ruleSet = typeof rules === "function" ? rules(now) : rules;
  const scored = replayScoresOnly(steps, rules, current.anonymous);
  const at = Math.max(now, current.lastAt ?? now, scored.state.lastAt ?? now);
  const next: ScoreState = {
    ...scored.state,
    anonymous: current.anonymous,
    stage: current.stage,
    armed: current.armed,
    lastAt: at,
    seq: current.seq + 1,
  };
  const scoreBefore = combinedScore(current, ruleSet, at);
  const scoreAfter = combinedScore(next, ruleSet, at);
  const stageChange = checkThreshold(next, scoreAfter, scoreAfter, ruleSet, at, "system", why);
  const result: RescoreResult = { state: next, ledger: scored.ledger, scoreBefore, scoreAfter };
  if (stageChange) result.stageChange = stageChange;
  return result;
}

function replayScoresOnly(steps: readonly ReplayStep[], rules: RuleSetSource, anonymous: boolean): ReplayResult {
  // Stage changes computed inside are discarded by the caller: stages are history, not a
  // function of the new rules. Sales actions and earlier re-scores carry no points, so they go.
  return replay(scoringSteps(steps), rules, { anonymous });
}

function scoringSteps(steps: readonly ReplayStep[]): ReplayStep[] {
  const kept: ReplayStep[] = [];
  for (const step of steps) {
    if (step.kind === "transition" || step.kind === "rescore") continue;
    if (step.kind === "identify") kept.push({ ...step, visitor: scoringSteps(step.visitor) });
    else if (step.kind === "merge") kept.push({ ...step, other: scoringSteps(step.other) });
    else kept.push(step);
  }
  return kept;
}
