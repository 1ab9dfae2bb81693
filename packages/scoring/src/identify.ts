import { perDayCap, totalCap } from "./caps.ts";
import { dayNumber, decayedValue, decayFactor } from "./decay.ts";
import { checkThreshold, STAGE_RANK } from "./lifecycle.ts";
import { RECENT_IDS } from "./state.ts";
import type {
  EngagementRule,
  EngineResult,
  Hit,
  LedgerEntry,
  RuleCounter,
  RuleSet,
  ScoreState,
  StageChange,
} from "./types.ts";

/**
 * Folds an anonymous visitor's state into a lead when the visitor is identified: the earlier
 * behaviour counts for the lead (and can make it an MQL at once). The caller re-attributes the
 * visitor's ledger rows to the lead; entries returned here are cap corrections only.
 */
export function identify(lead: ScoreState, visitor: ScoreState, ruleSet: RuleSet, now: number): EngineResult {
  return fold(lead, visitor, ruleSet, now, "identify");
}

/**
 * Merges two leads found to be one person into `survivor`: engagement, visits and cap counters
 * add up (with cap corrections), the furthest stage wins. Fit stays the survivor's: call
 * `updateTraits` with the merged profile afterwards. The caller moves the absorbed lead's ledger
 * rows, stage history and visitors to the survivor.
 */
export function mergeLeads(survivor: ScoreState, absorbed: ScoreState, ruleSet: RuleSet, now: number): EngineResult {
  return fold(survivor, absorbed, ruleSet, now, "merge");
}

/**
 * Two histories that were scored apart may together exceed a cap (both devices signed up for the
 * newsletter, "once per lead"). Settling: all known hits of the rule, earliest first, are accepted
 * while the caps allow, the rest are taken back with one correction entry worth their decayed
 * value now. Total caps are settled over the whole history (hits are kept up to the cap);
 * per-day caps only for the latest day both sides share, because older days are no longer kept.
 */
function fold(a: ScoreState, b: ScoreState, ruleSet: RuleSet, now: number, mode: "identify" | "merge"): EngineResult {
  const at = Math.max(now, a.lastAt ?? now, b.lastAt ?? now);
  const h = ruleSet.halfLifeDays;
  const ea = decayedValue(a.engagement, a.engagementAt, at, h);
  const eb = decayedValue(b.engagement, b.engagementAt, at, h);
  let engagement = ea + eb;
  const ledger: LedgerEntry[] = [];
  const rulesById = new Map<string, EngagementRule>();
  for (const r of ruleSet.rules) if (r.kind === "engagement") rulesById.set(r.id, r);

  const rules: Record<string, RuleCounter> = { ...a.rules };
  for (const [ruleId, cb] of Object.entries(b.rules)) {
    const ca = a.rules[ruleId];
    if (!ca) {
      rules[ruleId] = cb;
      continue;
    }
    const rule = rulesById.get(ruleId);
    const settled = settle(ca, cb, rule, ruleSet.dayOffsetAt ?? ruleSet.dayOffsetMinutes);
    rules[ruleId] = settled.counter;
    if (settled.excess.length === 0) continue;
    let taken = 0;
    for (const [hitAt, delta] of settled.excess) taken += delta * decayFactor(at - hitAt, h);
    if (taken === 0) continue;
    engagement -= taken;
    ledger.push({
      eventId: null,
      ruleId,
      ruleVersion: ruleSet.version,
      kind: "engagement",
      delta: -taken,
      at,
      reason: "cap-correction",
    });
  }

  // Fit is a function of one profile: the survivor's stays, the absorbed side's fit rows are
  // reversed so the moved ledger still adds up. The caller then applies the merged profile.
  for (const [ruleId, points] of Object.entries(b.fitByRule)) {
    if (points === 0) continue;
    ledger.push({
      eventId: null,
      ruleId,
      ruleVersion: ruleSet.version,
      kind: "fit",
      delta: -points,
      at,
      reason: "fit",
    });
  }

  const recent = [...a.recent, ...b.recent.filter((id) => !a.recent.includes(id))].slice(-RECENT_IDS);
  const takeB = mode === "merge" && STAGE_RANK[b.stage] > STAGE_RANK[a.stage];
  const next: ScoreState = {
    ...a,
    anonymous: a.anonymous && b.anonymous,
    engagement,
    engagementAt: a.engagementAt === null && b.engagementAt === null ? null : at,
    stage: takeB ? b.stage : a.stage,
    armed: takeB ? b.armed : a.armed,
    lastAt: at,
    visits: a.visits + b.visits,
    rules,
    recent,
    seq: a.seq + 1,
  };
  const before = a.fit + ea;
  const after = next.fit + engagement;
  const auto = checkThreshold(
    next,
    before,
    after,
    ruleSet,
    at,
    "system",
    mode === "identify" ? "visitor identified, earlier visits counted" : "leads merged",
  );
  let stageChange: StageChange | undefined;
  if (next.stage !== a.stage) {
    stageChange = auto
      ? { ...auto, from: a.stage }
      : {
          from: a.stage,
          to: next.stage,
          at,
          actor: "system",
          reason: "merged with a lead in a later stage",
          score: after,
        };
  }
  return stageChange ? { state: next, ledger, stageChange } : { state: next, ledger };
}

function settle(
  a: RuleCounter,
  b: RuleCounter,
  rule: EngagementRule | undefined,
  dayOffsetMinutes: number | ((at: number) => number) | undefined,
): { counter: RuleCounter; excess: Hit[] } {
  const maxTotal = rule ? totalCap(rule) : undefined;
  const maxPerDay = rule ? perDayCap(rule) : undefined;
  const day = a.day === undefined ? b.day : b.day === undefined ? a.day : Math.max(a.day, b.day);
  const sharedDay = a.day !== undefined && a.day === b.day;

  // The same hit can sit in a state's total list and its day list; count it once.
  const byKey = new Map<string, Hit>();
  for (const list of [a.hits, b.hits, a.dayHits, b.dayHits]) {
    for (const hit of list ?? []) if (!byKey.has(hitKey(hit))) byKey.set(hitKey(hit), hit);
  }
  const candidates = [...byKey.values()].sort(compareHits);
  const accepted: Hit[] = [];
  const excess: Hit[] = [];
  const excessKeys = new Set<string>();
  let onDay = 0;
  for (const hit of candidates) {
    const hitOnDay = sharedDay && maxPerDay !== undefined && dayNumber(hit[0], dayOffsetMinutes) === day;
    const overDay = hitOnDay && onDay >= (maxPerDay ?? 0);
    const overTotal = maxTotal !== undefined && accepted.length >= maxTotal;
    if (overDay || overTotal) {
      excess.push(hit);
      excessKeys.add(hitKey(hit));
    } else {
      accepted.push(hit);
      if (hitOnDay) onDay++;
    }
  }
  const counter: RuleCounter = { count: a.count + b.count - excess.length };
  if (maxTotal !== undefined) counter.hits = accepted;
  if (maxPerDay !== undefined && day !== undefined) {
    counter.day = day;
    const todays = [...(a.day === day ? (a.dayHits ?? []) : []), ...(b.day === day ? (b.dayHits ?? []) : [])];
    counter.dayHits = todays.filter((hit) => !excessKeys.has(hitKey(hit))).sort(compareHits);
  }
  return { counter, excess };
}

function hitKey(hit: Hit): string {
  return `${hit[0]}|${typeof hit[2]}|${String(hit[2])}`;
}

function compareHits(x: Hit, y: Hit): number {
  if (x[0] !== y[0]) return x[0] - y[0];
  const ix = String(x[2]);
  const iy = String(y[2]);
  return ix < iy ? -1 : ix > iy ? 1 : 0;
}
