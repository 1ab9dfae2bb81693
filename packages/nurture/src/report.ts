/**
 * The track report: how far each step reaches, how often it converts, and which steps come before
 * leads turn MQL and are won. Pure aggregation over the progress objects and stage histories the
 * caller loads; a step removed from the track is left out, a step never offered shows zeros.
 */
import type { Stage } from "@leadtrail/scoring";
import type { NurtureProgress, NurtureTrack } from "./types.ts";

/** One lead as the report needs it: its progress and its stage changes (any order). */
export interface ReportLead {
  progress: NurtureProgress;
  stageChanges: readonly { to: Stage; at: number }[];
}

export interface StepReport {
  stepId: string;
  contentId: string;
  /** Leads the step was offered to. */
  reached: number;
  /** Of those, leads that consumed the content after the offer. */
  converted: number;
  /** converted / reached; null when nobody was reached. */
  conversionRate: number | null;
  /** Reached leads that became MQL after the offer. */
  mqlAfter: number;
  /** Reached leads that were won after the offer. */
  wonAfter: number;
  /** Leads whose last offer from this track before their MQL was this step (last-touch credit). */
  lastBeforeMql: number;
  /** The same for Closed Won. */
  lastBeforeWon: number;
}

export interface TrackReport {
  trackId: string;
  /** Leads offered at least one step of the track. */
  leads: number;
  /** Of those, leads that became MQL / were won after their first offer. */
  mql: number;
  won: number;
  steps: StepReport[];
}

const rate = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);

/** The first change to `stage` strictly after `after`, or null. */
function firstAfter(changes: ReportLead["stageChanges"], stage: Stage, after: number): number | null {
  let first: number | null = null;
  for (const change of changes) {
    if (change.to === stage && change.at > after && (first === null || change.at < first)) first = change.at;
  }
  return first;
}

/** The step offered last before `at` (ties: the later step in the track), or null. */
function lastOfferBefore(offers: { stepId: string; index: number; at: number }[], at: number): string | null {
  let best: { stepId: string; index: number; at: number } | null = null;
  for (const offer of offers) {
    if (offer.at >= at) continue;
    if (best === null || offer.at > best.at || (offer.at === best.at && offer.index > best.index)) best = offer;
  }
  return best?.stepId ?? null;
}

/**
 * Aggregates a track's report over many leads. "After" is strict: an MQL at the very millisecond of
 * an offer was not preceded by it. Credit for MQL and won goes to the last offer before the first such
 * change that followed any offer of the track, so each lead credits at most one step for each.
 */
export function trackReport(track: NurtureTrack, leads: Iterable<ReportLead>): TrackReport {
  const steps: StepReport[] = track.steps.map((step) => ({
    stepId: step.id,
    contentId: step.contentId,
    reached: 0,
    converted: 0,
    conversionRate: null,
    mqlAfter: 0,
    wonAfter: 0,
    lastBeforeMql: 0,
    lastBeforeWon: 0,
  }));
  const byId = new Map(steps.map((s) => [s.stepId, s]));
  const indexOf = new Map(track.steps.map((s, i) => [s.id, i]));
  const totals = { leads: 0, mql: 0, won: 0 };
  for (const lead of leads) {
    const recorded = lead.progress.tracks[track.id] ?? {};
    const offers: { stepId: string; index: number; at: number }[] = [];
    for (const [stepId, record] of Object.entries(recorded)) {
      const report = byId.get(stepId);
      const index = indexOf.get(stepId);
      if (report === undefined || index === undefined) continue;
      offers.push({ stepId, index, at: record.offeredAt });
      report.reached += 1;
      if (record.convertedAt !== null && record.convertedAt >= record.offeredAt) report.converted += 1;
      if (firstAfter(lead.stageChanges, "mql", record.offeredAt) !== null) report.mqlAfter += 1;
      if (firstAfter(lead.stageChanges, "won", record.offeredAt) !== null) report.wonAfter += 1;
    }
    if (offers.length === 0) continue;
    totals.leads += 1;
    const firstOffer = Math.min(...offers.map((o) => o.at));
    for (const [stage, key, total] of [
      ["mql", "lastBeforeMql", "mql"],
      ["won", "lastBeforeWon", "won"],
    ] as const) {
      const at = firstAfter(lead.stageChanges, stage, firstOffer);
      if (at === null) continue;
      totals[total] += 1;
      const stepId = lastOfferBefore(offers, at);
      const report = stepId === null ? undefined : byId.get(stepId);
      if (report) report[key] += 1;
    }
  }
  for (const s of steps) s.conversionRate = rate(s.converted, s.reached);
  return { trackId: track.id, ...totals, steps };
}
