import { perDayCap, totalCap } from "./caps.ts";
import { dayNumber, decayedValue } from "./decay.ts";
import { checkThreshold } from "./lifecycle.ts";
import { ruleMatches } from "./match.ts";
import { RECENT_IDS } from "./state.ts";
import type { EngineResult, Hit, LedgerEntry, RuleCounter, RuleSet, ScoreState, ScoringEvent } from "./types.ts";

/**
 * Applies one stored event to a lead's (or visitor's) state: matches every engagement rule,
 * enforces caps, decays the stored engagement to the event's time, adds the points and moves the
 * lead to MQL when the threshold is reached. Pure and O(rules) — independent of the history length.
 *
 * Time: the event's receive time, clamped to `now` (never in the future) and to the latest time
 * the state has seen (never backwards, so decay never grows a score). Replaying the same events in
 * the same order therefore gives the same floats bit for bit.
 *
 * An event id seen among the last RECENT_IDS applied is ignored (a retry). The collector dedups
 * globally by client id before scoring; this only guards against a retry racing the dedup.
 */
export function applyEvent(state: ScoreState, event: ScoringEvent, ruleSet: RuleSet, now: number): EngineResult {
  if (state.recent.includes(event.id)) return { state, ledger: [] };
  const at = Math.max(Math.min(event.at, now), state.lastAt ?? Number.NEGATIVE_INFINITY);
  const day = dayNumber(at, ruleSet.dayOffsetAt ?? ruleSet.dayOffsetMinutes);
  const ctx = { visitsBefore: state.visits };

  let rules: Record<string, RuleCounter> | undefined;
  const ledger: LedgerEntry[] = [];
  let delta = 0;
  let lastPositiveRule: string | undefined;
  for (const rule of ruleSet.rules) {
    if (rule.kind !== "engagement" || rule.enabled === false) continue;
    if (!ruleMatches(rule.match, event, ctx)) continue;
    const counter = (rules ?? state.rules)[rule.id] ?? { count: 0 };
    const maxTotal = totalCap(rule);
    if (maxTotal !== undefined && counter.count >= maxTotal) continue;
    const maxPerDay = perDayCap(rule);
    const todays = counter.day === day ? (counter.dayHits ?? []) : [];
    if (maxPerDay !== undefined && todays.length >= maxPerDay) continue;

    const hit: Hit = [at, rule.points, event.id];
    const next: RuleCounter = { count: counter.count + 1 };
    // Hits are kept only while a cap needs them to settle a later identify/merge; bounded by the cap.
    if (maxTotal !== undefined) next.hits = [...(counter.hits ?? []), hit];
    if (maxPerDay !== undefined) {
      next.day = day;
      next.dayHits = [...todays, hit];
    }
    rules ??= { ...state.rules };
    rules[rule.id] = next;
    delta += rule.points;
    if (rule.points > 0) lastPositiveRule = rule.id;
    ledger.push({
      eventId: event.id,
      ruleId: rule.id,
      ruleVersion: ruleSet.version,
      kind: "engagement",
      delta: rule.points,
      at,
      reason: "event",
    });
  }

  const recent = state.recent.length >= RECENT_IDS ? state.recent.slice(1) : state.recent.slice();
  recent.push(event.id);
  const next: ScoreState = {
    ...state,
    rules: rules ?? state.rules,
    visits: event.visitStart ? state.visits + 1 : state.visits,
    lastAt: at,
    recent,
    seq: state.seq + 1,
  };
  const current = decayedValue(state.engagement, state.engagementAt, at, ruleSet.halfLifeDays);
  if (delta !== 0) {
    next.engagement = current + delta;
    next.engagementAt = at;
  }
  const before = state.fit + current;
  const after = delta !== 0 ? state.fit + next.engagement : before;
  const stageChange = checkThreshold(
    next,
    before,
    after,
    ruleSet,
    at,
    lastPositiveRule ? `rule:${lastPositiveRule}` : "system",
    `event ${String(event.id)}`,
  );
  return stageChange ? { state: next, ledger, stageChange } : { state: next, ledger };
}
