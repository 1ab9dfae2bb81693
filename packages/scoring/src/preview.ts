import { DEFAULT_SCORE_EDGES, type Histogram, histogram } from "./histogram.ts";
import { type ReplayStep, type RuleSetSource, replay, rescoreLead } from "./replay.ts";
import { combinedScore } from "./state.ts";
import type { RuleSet, ScoreState, Stage } from "./types.ts";

/** A lead as the preview sees it: its history and, if at hand, its stored state. */
export interface PreviewLead {
  id?: number | string;
  steps: readonly ReplayStep[];
  /** The stored state; replayed from `steps` with the old rules when absent. */
  state?: ScoreState;
}

/** A lead whose stage the new rules would change. */
export interface PreviewStageChange {
  id?: number | string;
  from: Stage;
  to: Stage;
  scoreBefore: number;
  scoreAfter: number;
}

/** What publishing `newRules` would do, computed without writing anything. */
export interface PreviewResult {
  leads: number;
  /** Leads whose stage would change (only forward: to MQL). */
  stageChanges: number;
  changed: PreviewStageChange[];
  /** MQL-or-later leads whose score would fall below the threshold (they keep their stage). */
  fallBelowThreshold: number;
  /** Leads whose score moves by more than 0.01. */
  scoreChanged: number;
  before: Histogram;
  after: Histogram;
  meanBefore: number;
  meanAfter: number;
}

/**
 * Previews a rule change: every lead is re-scored with `newRules` exactly as publishing would
 * (same `rescoreLead`), and the result is summarised — stage changes, score distribution before
 * and after. Nothing is written; the dashboard can run it on a sample or on every lead.
 */
export function previewRuleChange(
  leads: Iterable<PreviewLead>,
  oldRules: RuleSetSource,
  newRules: RuleSet,
  now: number,
  options: { edges?: number[] } = {},
): PreviewResult {
  const oldAtNow = typeof oldRules === "function" ? oldRules(now) : oldRules;
  const beforeScores: number[] = [];
  const afterScores: number[] = [];
  const changed: PreviewStageChange[] = [];
  let fallBelowThreshold = 0;
  let scoreChanged = 0;
  for (const lead of leads) {
    const state = lead.state ?? replay(lead.steps, oldRules).state;
    const before = combinedScore(state, oldAtNow, now);
    const result = rescoreLead(lead.steps, state, newRules, now);
    const after = result.scoreAfter;
    beforeScores.push(before);
    afterScores.push(after);
    if (Math.abs(after - before) > 0.01) scoreChanged++;
    if (result.stageChange) {
      const c: PreviewStageChange = {
        from: state.stage,
        to: result.state.stage,
        scoreBefore: before,
        scoreAfter: after,
      };
      if (lead.id !== undefined) c.id = lead.id;
      changed.push(c);
    } else if (
      state.stage !== "lead" &&
      state.stage !== "nurture" &&
      after < newRules.mqlThreshold &&
      before >= oldAtNow.mqlThreshold
    ) {
      fallBelowThreshold++;
    }
  }
  return {
    leads: beforeScores.length,
    stageChanges: changed.length,
    changed,
    fallBelowThreshold,
    scoreChanged,
    before: histogram(beforeScores, options.edges),
    after: histogram(afterScores, options.edges),
    meanBefore: mean(beforeScores),
    meanAfter: mean(afterScores),
  };
}

function mean(values: number[]): number {
  return values.length === 0 ? 0 : values.reduce((s, v) => s + v, 0) / values.length;
}

/**
 * Adds up the previews of separate batches of leads, so a caller can preview every lead of a
 * site batch by batch in bounded memory: counts and histograms add, means are weighted by the
 * leads of each side, and at most `keepChanged` stage changes are kept as examples.
 */
export function combinePreviews(a: PreviewResult, b: PreviewResult, keepChanged = 50): PreviewResult {
  const leads = a.leads + b.leads;
  const weighted = (x: number, y: number) => (leads === 0 ? 0 : (x * a.leads + y * b.leads) / leads);
  return {
    leads,
    stageChanges: a.stageChanges + b.stageChanges,
    changed: [...a.changed, ...b.changed].slice(0, keepChanged),
    fallBelowThreshold: a.fallBelowThreshold + b.fallBelowThreshold,
    scoreChanged: a.scoreChanged + b.scoreChanged,
    before: addHistograms(a.before, b.before),
    after: addHistograms(a.after, b.after),
    meanBefore: weighted(a.meanBefore, b.meanBefore),
    meanAfter: weighted(a.meanAfter, b.meanAfter),
  };
}

/** An empty preview (no leads) to start adding batches to. */
export function emptyPreview(edges: readonly number[] = DEFAULT_SCORE_EDGES): PreviewResult {
  const none = histogram([], edges);
  return {
    leads: 0,
    stageChanges: 0,
    changed: [],
    fallBelowThreshold: 0,
    scoreChanged: 0,
    before: none,
    after: { edges: [...none.edges], counts: [...none.counts] },
    meanBefore: 0,
    meanAfter: 0,
  };
}

function addHistograms(x: Histogram, y: Histogram): Histogram {
  if (x.edges.length !== y.edges.length || x.edges.some((e, i) => e !== y.edges[i])) {
    throw new Error("cannot add histograms with different band edges");
  }
  return { edges: [...x.edges], counts: x.counts.map((c, i) => c + (y.counts[i] ?? 0)) };
}
