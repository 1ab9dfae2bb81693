/**
 * The next best content for a lead: which step of which nurture track is due now, or why none is.
 *
 * Tracks apply to a lead when they are enabled, serve its stage, and are for its persona or for every
 * persona. They are worked through one at a time in a fixed order — persona tracks before generic
 * ones, then lower `priority`, then track id — so two tracks never mail the same lead in parallel and
 * a generic track takes over only when the persona's tracks are done. Inside a track the steps run in
 * their order: a step already offered, or whose content the lead already consumed or another track
 * already offered, is passed; a step whose stage/score/content conditions do not hold now is passed for
 * now (it may become eligible later); the first remaining step is the candidate. It is due when its timing conditions hold, otherwise the
 * lead waits until they will. A track with no candidate but with passed-over steps is blocked, and the
 * next track is tried; a track whose steps are all offered or consumed is exhausted.
 */
import { DAY_MS, type Stage } from "@leadtrail/scoring";
import type { NurtureLead, NurtureProgress, NurtureStep, NurtureTrack, Persona, StepConditions } from "./types.ts";

/** A step that may be offered now. */
export interface DueStep {
  status: "due";
  trackId: string;
  stepId: string;
  contentId: string;
  /** 0-based position of the step in its track. */
  stepIndex: number;
}

/** The next step exists but its timing conditions hold only from `until`. */
export interface WaitingStep {
  status: "waiting";
  trackId: string;
  stepId: string;
  contentId: string;
  stepIndex: number;
  until: number;
}

/** Why a step that was neither offered nor consumed cannot be offered now. */
export interface BlockedStep {
  stepId: string;
  reasons: string[];
}

/** Steps remain in the applicable tracks, but none of their conditions hold now. */
export interface Blocked {
  status: "blocked";
  trackId: string;
  steps: BlockedStep[];
}

/** Every step of every applicable track was offered or consumed. */
export interface Exhausted {
  status: "exhausted";
  trackIds: string[];
}

/** No enabled track serves this lead's persona and stage. */
export interface NoTrack {
  status: "no_track";
}

export type NextBest = DueStep | WaitingStep | Blocked | Exhausted | NoTrack;

/** Orders tracks: persona-specific first, then priority, then id (code-unit order). */
function compareTracks(a: NurtureTrack, b: NurtureTrack): number {
  const specificA = a.personaId !== null ? 0 : 1;
  const specificB = b.personaId !== null ? 0 : 1;
  if (specificA !== specificB) return specificA - specificB;
  const priority = (a.priority ?? 0) - (b.priority ?? 0);
  if (priority !== 0) return priority;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The tracks that serve a persona in a stage, in the order they are worked through. */
export function applicableTracks(
  personaId: string | null | undefined,
  stage: Stage,
  tracks: readonly NurtureTrack[],
): NurtureTrack[] {
  return tracks
    .filter(
      (t) =>
        t.enabled !== false &&
        t.stages.includes(stage) &&
        (t.personaId === null || (personaId !== null && personaId !== undefined && t.personaId === personaId)),
    )
    .sort(compareTracks);
}

function staticFailures(conditions: StepConditions, lead: NurtureLead, consumed: ReadonlySet<string>): string[] {
  const reasons: string[] = [];
  if (conditions.stages !== undefined && !conditions.stages.includes(lead.stage)) {
    reasons.push(`stage ${lead.stage} not in ${conditions.stages.join(", ")}`);
  }
  const score = lead.score;
  const known = typeof score === "number" && Number.isFinite(score);
  if (conditions.minScore !== undefined && !(known && score >= conditions.minScore)) {
    reasons.push(known ? `score ${score} below ${conditions.minScore}` : "score unknown");
  }
  if (conditions.maxScore !== undefined && !(known && score <= conditions.maxScore)) {
    reasons.push(known ? `score ${score} above ${conditions.maxScore}` : "score unknown");
  }
  const seen = (conditions.notConsumed ?? []).filter((id) => consumed.has(id));
  if (seen.length > 0) reasons.push(`already consumed ${seen.join(", ")}`);
  return reasons;
}

/** The earliest time the step's timing conditions hold (−∞ when it has none or nothing happened yet). */
function dueFrom(conditions: StepConditions, lastTouchAt: number | null, previousOfferAt: number | null): number {
  let from = Number.NEGATIVE_INFINITY;
  if (conditions.minDaysSinceLastTouch !== undefined && lastTouchAt !== null) {
    from = Math.max(from, lastTouchAt + conditions.minDaysSinceLastTouch * DAY_MS);
  }
  if (conditions.minDaysSincePreviousStep !== undefined && previousOfferAt !== null) {
    from = Math.max(from, previousOfferAt + conditions.minDaysSincePreviousStep * DAY_MS);
  }
  return from;
}

type TrackOutcome =
  | { kind: "candidate"; step: NurtureStep; index: number; from: number }
  | { kind: "blocked"; steps: BlockedStep[] }
  | { kind: "exhausted" };

function walkTrack(
  track: NurtureTrack,
  lead: NurtureLead,
  progress: NurtureProgress,
  consumed: ReadonlySet<string>,
  offeredContent: ReadonlySet<string>,
  lastTouchAt: number | null,
): TrackOutcome {
  const offered = progress.tracks[track.id] ?? {};
  // "Previous step" is the latest offer in this track: passed-over steps were never sent, so they do
  // not reset the pause between two mails.
  let previousOfferAt: number | null = null;
  for (const step of track.steps) {
    const at = offered[step.id]?.offeredAt;
    if (at !== undefined) previousOfferAt = Math.max(previousOfferAt ?? at, at);
  }
  const blocked: BlockedStep[] = [];
  for (const [index, step] of track.steps.entries()) {
    if (offered[step.id] !== undefined || consumed.has(step.contentId) || offeredContent.has(step.contentId)) continue;
    const reasons = staticFailures(step.conditions ?? {}, lead, consumed);
    if (reasons.length > 0) {
      blocked.push({ stepId: step.id, reasons });
      continue;
    }
    return { kind: "candidate", step, index, from: dueFrom(step.conditions ?? {}, lastTouchAt, previousOfferAt) };
  }
  return blocked.length > 0 ? { kind: "blocked", steps: blocked } : { kind: "exhausted" };
}

/**
 * The next nurture step for a lead at `now`: due, waiting until a time, blocked by conditions,
 * exhausted, or no track. See the module comment for the order tracks and steps are tried in.
 */
export function nextBestContent(
  lead: NurtureLead,
  tracks: readonly NurtureTrack[],
  progress: NurtureProgress,
  now: number,
): NextBest {
  const applicable = applicableTracks(lead.personaId, lead.stage, tracks);
  if (applicable.length === 0) return { status: "no_track" };
  const consumed = new Set([...Object.keys(progress.consumed), ...(lead.consumedContentIds ?? [])]);
  // Content offered by any track is not offered again by another: one reminder is enough.
  const offeredContent = new Set<string>();
  for (const steps of Object.values(progress.tracks))
    for (const step of Object.values(steps)) offeredContent.add(step.contentId);
  const touches = [progress.lastTouchAt, lead.lastTouchAt].filter((t): t is number => typeof t === "number");
  const lastTouchAt = touches.length > 0 ? Math.max(...touches) : null;
  let firstBlocked: Blocked | null = null;
  for (const track of applicable) {
    const outcome = walkTrack(track, lead, progress, consumed, offeredContent, lastTouchAt);
    if (outcome.kind === "candidate") {
      const base = { trackId: track.id, stepId: outcome.step.id, contentId: outcome.step.contentId };
      if (now >= outcome.from) return { status: "due", ...base, stepIndex: outcome.index };
      // The lead waits for this track rather than jumping to the next one: tracks never overlap.
      return { status: "waiting", ...base, stepIndex: outcome.index, until: outcome.from };
    }
    if (outcome.kind === "blocked") firstBlocked ??= { status: "blocked", trackId: track.id, steps: outcome.steps };
  }
  return firstBlocked ?? { status: "exhausted", trackIds: applicable.map((t) => t.id) };
}

/** What to recommend to a visitor the site knows nothing about. */
export interface CookielessPick {
  contentId: string;
  /** The track and step it came from; null when it is the persona's own default. */
  trackId: string | null;
  stepId: string | null;
}

/**
 * Content for an anonymous (cookieless) visitor, who has no progress and no score: the persona's
 * `defaultContentId`, else the first step of the first applicable track (stage "lead" unless given)
 * whose stage condition allows that stage and that asks for no minimum score. `exclude` keeps out
 * content such as the page being viewed. Null when nothing fits.
 */
export function cookielessDefault(
  persona: Persona | null,
  tracks: readonly NurtureTrack[],
  options: { stage?: Stage; exclude?: readonly string[] } = {},
): CookielessPick | null {
  const stage = options.stage ?? "lead";
  const exclude = new Set(options.exclude ?? []);
  if (persona?.defaultContentId && !exclude.has(persona.defaultContentId)) {
    return { contentId: persona.defaultContentId, trackId: null, stepId: null };
  }
  for (const track of applicableTracks(persona?.id ?? null, stage, tracks)) {
    for (const step of track.steps) {
      const c = step.conditions ?? {};
      if (exclude.has(step.contentId)) continue;
      if (c.stages !== undefined && !c.stages.includes(stage)) continue;
      if (c.minScore !== undefined && c.minScore > 0) continue;
      return { contentId: step.contentId, trackId: track.id, stepId: step.id };
    }
  }
  return null;
}
