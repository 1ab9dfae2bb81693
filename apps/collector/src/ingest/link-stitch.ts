import type { ScanEvent } from "@leadtrail/db";
import {
  type Campaign,
  type ReplayStep,
  type RuleSet,
  replay,
  type ScoreState,
  type ScoringEvent,
} from "@leadtrail/scoring";
import { VISIT_GAP_MS } from "@leadtrail/workflows";

/** A stored event as the scoring engine reads it. */
export function scoringEventOf(e: ScanEvent, visitStart: boolean): ScoringEvent {
  return {
    id: e.id,
    type: e.type,
    name: e.name ?? undefined,
    path: e.path ?? undefined,
    url: e.url ?? undefined,
    props: (e.props ?? undefined) as ScoringEvent["props"],
    campaign: (e.campaign ?? undefined) as Campaign | undefined,
    visitStart,
    at: e.receivedAt,
  };
}

/**
 * The anonymous score of a browser recomputed from its stored events (in id order, visit starts
 * derived as ingest derives them): what the cookieless visitor keeps once a scan has been moved
 * away from it. Usually that visitor had nothing but the scan, and this is the empty state.
 */
export function anonymousStateOf(events: readonly ScanEvent[], ruleSet: RuleSet): ScoreState {
  let lastSeen: number | undefined;
  const steps: ReplayStep[] = events.map((e) => {
    const visitStart = lastSeen === undefined || e.receivedAt - lastSeen > VISIT_GAP_MS;
    lastSeen = Math.max(lastSeen ?? e.receivedAt, e.receivedAt);
    return { kind: "event", event: scoringEventOf(e, visitStart), now: e.receivedAt };
  });
  return replay(steps, ruleSet, { anonymous: true }).state;
}
