import { combinedScore } from "./state.ts";
import type { Actor, RuleSet, ScoreState, Stage, StageChange } from "./types.ts";

/** What sales can do to a lead. A reason is required where the history must say why. */
export type SalesAction =
  /** MQL → SAL: sales accepts the lead. */
  | { type: "accept" }
  /** MQL or SAL → nurture: sales sends it back to marketing. */
  | { type: "reject"; reason: string }
  /** SAL → SQL: sales qualifies it as an opportunity. */
  | { type: "qualify" }
  /** SQL → won. */
  | { type: "win"; reason?: string }
  /** MQL, SAL or SQL → lost. */
  | { type: "lose"; reason: string }
  /** lost → nurture: a closed-lost lead goes back to marketing and may become MQL again. */
  | { type: "recycle"; reason?: string }
  /** lead or nurture → MQL by hand (a rep met them at a fair, say). */
  | { type: "mark_mql"; reason: string };

export type SalesActionType = SalesAction["type"];

/** Error codes a transition can return. */
export const TRANSITION_ERRORS = ["illegal_transition", "reason_required", "anonymous_visitor"] as const;
export type TransitionErrorCode = (typeof TRANSITION_ERRORS)[number];

export type TransitionResult =
  | { ok: true; state: ScoreState; stageChange: StageChange }
  | { ok: false; error: { code: TransitionErrorCode; message: string } };

/** From which stages each action may be taken, and where it leads. */
export const SALES_MOVES: Record<SalesActionType, { from: readonly Stage[]; to: Stage }> = {
  accept: { from: ["mql"], to: "sal" },
  reject: { from: ["mql", "sal"], to: "nurture" },
  qualify: { from: ["sal"], to: "sql" },
  win: { from: ["sql"], to: "won" },
  lose: { from: ["mql", "sal", "sql"], to: "lost" },
  recycle: { from: ["lost"], to: "nurture" },
  mark_mql: { from: ["lead", "nurture"], to: "mql" },
};

/** Stages the automatic threshold may move a lead out of (forward to MQL). */
export const AUTO_MQL_FROM: readonly Stage[] = ["lead", "nurture"];

/** Order used when two leads merge: the survivor keeps the furthest stage. */
export const STAGE_RANK: Record<Stage, number> = { lead: 0, nurture: 1, mql: 2, sal: 3, sql: 4, lost: 5, won: 6 };

/**
 * Applies a sales action. Illegal moves return an error result instead of throwing, so the
 * dashboard can show the message. `ruleSet` (optional) lets the stage change record the score.
 */
export function transition(
  state: ScoreState,
  action: SalesAction,
  actor: Actor,
  now: number,
  ruleSet?: Pick<RuleSet, "halfLifeDays">,
): TransitionResult {
  if (state.anonymous) {
    return { ok: false, error: { code: "anonymous_visitor", message: "An anonymous visitor has no stage." } };
  }
  const move = SALES_MOVES[action.type];
  if (!move.from.includes(state.stage)) {
    return {
      ok: false,
      error: {
        code: "illegal_transition",
        message: `Cannot ${action.type} a lead in stage "${state.stage}" (allowed from: ${move.from.join(", ")}).`,
      },
    };
  }
  const reason = "reason" in action ? (action.reason?.trim() ?? "") : "";
  if ((action.type === "reject" || action.type === "lose" || action.type === "mark_mql") && reason === "") {
    return { ok: false, error: { code: "reason_required", message: `A reason is required to ${action.type}.` } };
  }
  // Sales actions do not move `lastAt`: that clock only orders scoring, and a rescore replays
  // scoring without the sales actions.
  const at = now;
  const next: ScoreState = {
    ...state,
    stage: move.to,
    // Back in nurture (or made MQL by hand) the threshold must be crossed anew to count again;
    // otherwise a rejected lead above the threshold would bounce straight back to MQL.
    armed: move.to === "nurture" || move.to === "mql" ? false : state.armed,
    seq: state.seq + 1,
  };
  return {
    ok: true,
    state: next,
    stageChange: {
      from: state.stage,
      to: move.to,
      at,
      actor,
      reason: reason === "" ? null : reason,
      score: ruleSet ? combinedScore(state, ruleSet, at) : null,
    },
  };
}

/**
 * The automatic move: re-arms when the score is seen below the threshold, and makes an armed lead
 * (or recycled lead) an MQL when its combined score has reached it. Mutates `next` (a fresh copy
 * owned by the caller) and returns the change, if any. Never moves a lead backwards.
 */
export function checkThreshold(
  next: ScoreState,
  before: number,
  after: number,
  ruleSet: RuleSet,
  at: number,
  actor: Actor,
  why: string,
): StageChange | undefined {
  const threshold = ruleSet.mqlThreshold;
  // Compared as shown to users (two decimals): 35 points earned over a few minutes have decayed
  // to 34.9996, and a marketer who set "MQL at 35" expects that lead to be an MQL.
  const shownBefore = round2(before);
  const shownAfter = round2(after);
  if (shownBefore < threshold || shownAfter < threshold) next.armed = true;
  if (next.anonymous || !next.armed || shownAfter < threshold || !AUTO_MQL_FROM.includes(next.stage)) return undefined;
  const from = next.stage;
  next.stage = "mql";
  next.armed = false;
  return {
    from,
    to: "mql",
    at,
    actor,
    reason: `${why}: score ${round1(after)} reached the MQL threshold ${threshold} (rules v${ruleSet.version})`,
    score: after,
  };
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
