import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyEvent } from "./apply-event.ts";
import { DAY_MS } from "./decay.ts";
import { defaultRuleSet } from "./defaults.ts";
import { explainScore } from "./explain.ts";
import { updateTraits } from "./fit.ts";
import { identify, mergeLeads } from "./identify.ts";
import type { SalesAction } from "./lifecycle.ts";
import { STAGE_RANK, transition } from "./lifecycle.ts";
import { type ReplayResult, type ReplayStep, replay, rescoreLead } from "./replay.ts";
import { engagementAt, initialState } from "./state.ts";
import type { LedgerEntry, ProfileTraits, RuleSet, ScoreState, ScoringEvent, StageChange } from "./types.ts";

// Two rule versions: v2 (published mid-stream) changes points and caps, so streams cross a
// publish, a background re-score and events scored by either version.
const T0 = Date.UTC(2025, 0, 6, 8);
const PUBLISH_AT = T0 + 20 * DAY_MS;
const v1: RuleSet = defaultRuleSet;
const v2: RuleSet = {
  ...defaultRuleSet,
  version: 2,
  mqlThreshold: 40,
  rules: defaultRuleSet.rules.map((r) => {
    if (r.id === "pricing-page") return { ...r, points: 12, caps: { perDay: 2, total: 4 } };
    if (r.id === "product-image-click") return { ...r, caps: { once: true } };
    if (r.id === "fit-free-mail") return { ...r, points: -8 };
    return r;
  }),
};
const rulesAt = (now: number): RuleSet => (now < PUBLISH_AT ? v1 : v2);

const TEMPLATES: Omit<ScoringEvent, "id" | "at">[] = [
  { type: "qr_scan", name: "poster-1", campaign: { utm_medium: "poster" } },
  { type: "click", name: "product_image" },
  { type: "form", name: "newsletter" },
  { type: "pageview", path: "/demo/careers" },
  { type: "pageview", path: "/demo/pricing" },
  { type: "download", path: "/files/whitepaper.pdf" },
  { type: "form", name: "contact" },
  { type: "form", name: "demo_request" },
  { type: "pageview", path: "/demo/", visitStart: true },
  { type: "link_click", name: "nl-1", campaign: { utm_medium: "email" } },
  { type: "pageview", path: "/demo/about" },
  { type: "engagement", props: { scrollDepth: 90 } },
];
const TRAITS: ProfileTraits[] = [
  { email: "a@gmail.com" },
  { email: "anna@acme.de", seniority: "director", companySize: "201-500", country: "DE" },
  { email: "anna@acme.de", seniority: "manager", country: "FR", role: "intern" },
  {},
];
const ACTIONS: SalesAction[] = [
  { type: "accept" },
  { type: "reject", reason: "no budget" },
  { type: "qualify" },
  { type: "win" },
  { type: "lose", reason: "competitor" },
  { type: "recycle" },
  { type: "mark_mql", reason: "fair" },
];

// Abstract operations; ids and times are assigned when materialising so ids stay unique.
type Op =
  | { t: "ev"; tpl: number; dt: number; lag: number }
  | { t: "dup"; back: number }
  | { t: "traits"; idx: number; dt: number }
  | { t: "tr"; idx: number; dt: number }
  | { t: "rescore"; dt: number }
  | { t: "identify"; ops: Op[]; dt: number }
  | { t: "merge"; ops: Op[]; dt: number };

// Receive times mostly move forward (up to 3 days) but sometimes go back up to 2 hours:
// concurrent batches commit out of order.
const dtArb = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 3 * DAY_MS }) },
  { weight: 1, arbitrary: fc.integer({ min: -2 * 3_600_000, max: 0 }) },
);
const evArb = fc.record({
  t: fc.constant("ev" as const),
  tpl: fc.nat(TEMPLATES.length - 1),
  dt: dtArb,
  lag: fc.nat(50),
});
const dupArb = fc.record({ t: fc.constant("dup" as const), back: fc.integer({ min: 1, max: 10 }) });
const flatOpArb = (withStages: boolean): fc.Arbitrary<Op> =>
  fc.oneof(
    { weight: 12, arbitrary: evArb },
    { weight: 3, arbitrary: dupArb },
    {
      weight: 1,
      arbitrary: fc.record({ t: fc.constant("traits" as const), idx: fc.nat(TRAITS.length - 1), dt: dtArb }),
    },
    {
      weight: withStages ? 2 : 0,
      arbitrary: fc.record({ t: fc.constant("tr" as const), idx: fc.nat(ACTIONS.length - 1), dt: fc.nat(DAY_MS) }),
    },
  );
const visitorOpsArb = fc.array(fc.oneof({ weight: 5, arbitrary: evArb }, { weight: 1, arbitrary: dupArb }), {
  maxLength: 15,
});
const leadOpArb = (depth: number): fc.Arbitrary<Op> => {
  const options: { weight: number; arbitrary: fc.Arbitrary<Op> }[] = [
    { weight: 16, arbitrary: flatOpArb(true) },
    { weight: 1, arbitrary: fc.record({ t: fc.constant("rescore" as const), dt: fc.nat(DAY_MS) }) },
    {
      weight: 2,
      arbitrary: fc.record({ t: fc.constant("identify" as const), ops: visitorOpsArb, dt: fc.nat(DAY_MS) }),
    },
  ];
  if (depth > 0) {
    options.push({
      weight: 1,
      arbitrary: fc.record({
        t: fc.constant("merge" as const),
        ops: fc.array(leadOpArb(depth - 1), { maxLength: 20 }),
        dt: fc.nat(DAY_MS),
      }),
    });
  }
  return fc.oneof(...options);
};

function materialise(ops: Op[], start: number, ids: { next: number }): ReplayStep[] {
  const steps: ReplayStep[] = [];
  const sent: ScoringEvent[] = [];
  let clock = start;
  for (const op of ops) {
    switch (op.t) {
      case "ev": {
        clock += op.dt;
        const event = { ...TEMPLATES[op.tpl], id: ids.next++, at: clock } as ScoringEvent;
        sent.push(event);
        steps.push({ kind: "event", event, now: clock + op.lag });
        break;
      }
      case "dup": {
        const again = sent[sent.length - op.back];
        if (again) steps.push({ kind: "event", event: { ...again }, now: Math.max(clock, again.at) });
        break;
      }
      case "traits":
        clock += Math.max(0, op.dt);
        steps.push({ kind: "traits", traits: TRAITS[op.idx] as ProfileTraits, now: clock });
        break;
      case "tr":
        clock += op.dt;
        steps.push({ kind: "transition", action: ACTIONS[op.idx] as SalesAction, actor: "user:1", now: clock });
        break;
      case "rescore":
        clock = Math.max(clock + op.dt, PUBLISH_AT);
        steps.push({ kind: "rescore", now: clock });
        break;
      case "identify": {
        // The visitor browsed anonymously in the days before it was identified.
        const visitor = materialise(op.ops, clock - 5 * DAY_MS, ids);
        clock += op.dt;
        steps.push({ kind: "identify", visitor, now: clock });
        break;
      }
      case "merge": {
        const other = materialise(op.ops, clock - 10 * DAY_MS, ids);
        clock += op.dt;
        steps.push({ kind: "merge", other, now: clock });
        break;
      }
    }
  }
  return steps;
}

/** Every stored state goes through JSON, as it does through the `score_state` column. */
const persist = (s: ScoreState): ScoreState => JSON.parse(JSON.stringify(s)) as ScoreState;

/**
 * The incremental path as the collector, the dashboard and the background job run it: one call
 * per happening, the state read back from storage before each call.
 */
function incremental(steps: ReplayStep[], anonymous = false): ReplayResult {
  let state = persist(initialState({ anonymous }));
  let ledger: LedgerEntry[] = [];
  const stageChanges: StageChange[] = [];
  steps.forEach((step, i) => {
    const rules = rulesAt(step.now);
    let r: { state: ScoreState; ledger: LedgerEntry[]; stageChange?: StageChange } | undefined;
    if (step.kind === "event") r = applyEvent(state, step.event, rules, step.now);
    else if (step.kind === "traits") r = updateTraits(state, step.traits, rules, step.now);
    else if (step.kind === "identify") {
      const visitor = incremental(step.visitor, true);
      ledger.push(...visitor.ledger); // the caller re-attributes the visitor's rows
      r = identify(state, persist(visitor.state), rules, step.now);
    } else if (step.kind === "merge") {
      const other = incremental(step.other);
      ledger.push(...other.ledger);
      stageChanges.push(...other.stageChanges);
      r = mergeLeads(state, persist(other.state), rules, step.now);
    } else if (step.kind === "transition") {
      const t = transition(state, step.action, step.actor, step.now, rules);
      if (t.ok) r = { state: t.state, ledger: [], stageChange: t.stageChange };
    } else {
      const rescored = rescoreLead(steps.slice(0, i), state, rules, step.now);
      ledger = [];
      r = rescored;
    }
    if (!r) return;
    state = persist(r.state);
    ledger.push(...r.ledger);
    if (r.stageChange) stageChanges.push(r.stageChange);
  });
  return { state, ledger, stageChanges };
}

const leadArb = fc.array(leadOpArb(1), { minLength: 1, maxLength: 60 }).map((ops) => materialise(ops, T0, { next: 1 }));

describe("replay", () => {
  it("equals the incremental state, ledger and stage history exactly", () => {
    fc.assert(
      fc.property(leadArb, (steps) => {
        const inc = incremental(steps);
        const rep = replay(steps, rulesAt);
        expect(rep.state).toEqual(inc.state);
        expect(rep.ledger).toEqual(inc.ledger);
        expect(rep.stageChanges).toEqual(inc.stageChanges);
      }),
      { numRuns: 2000 },
    );
  });

  it("explains the score: ledger entries decayed to now add up to the stored engagement", () => {
    fc.assert(
      fc.property(leadArb, fc.nat(60 * DAY_MS), (steps, later) => {
        const { state, ledger } = replay(steps, rulesAt);
        const now = (state.lastAt ?? T0) + later;
        const rules = rulesAt(now);
        const explained = explainScore(ledger, rules, now);
        const scale = 1 + ledger.reduce((s, l) => s + Math.abs(l.delta), 0);
        expect(Math.abs(explained.engagement - engagementAt(state, rules, now))).toBeLessThan(1e-9 * scale);
        expect(Math.abs(explained.fit - state.fit)).toBeLessThan(1e-9 * scale);
      }),
      { numRuns: 1000 },
    );
  });

  it("counts a duplicate once: a stream with retries scores like the stream without them", () => {
    const flat = fc
      .array(flatOpArb(true), { minLength: 1, maxLength: 80 })
      .map((ops) => materialise(ops, T0, { next: 1 }));
    fc.assert(
      fc.property(flat, (steps) => {
        const seen = new Set<number | string>();
        const unique = steps.filter((s) => {
          if (s.kind !== "event") return true;
          if (seen.has(s.event.id)) return false;
          seen.add(s.event.id);
          return true;
        });
        const withDups = replay(steps, rulesAt);
        const without = replay(unique, rulesAt);
        expect(withDups.state).toEqual(without.state);
        expect(withDups.ledger).toEqual(without.ledger);
      }),
      { numRuns: 1000 },
    );
  });

  it("merging two leads keeps the further stage (or makes an MQL); points add up but for cap corrections", () => {
    fc.assert(
      fc.property(leadArb, leadArb, fc.nat(DAY_MS), (a, b, later) => {
        const x = replay(a, rulesAt).state;
        const y = replay(b, rulesAt).state;
        const now = Math.max(x.lastAt ?? T0, y.lastAt ?? T0) + later;
        const rules = rulesAt(now);
        const merged = mergeLeads(x, y, rules, now);
        const further = Math.max(STAGE_RANK[x.stage], STAGE_RANK[y.stage]);
        const rank = STAGE_RANK[merged.state.stage];
        if (rank !== further) expect(merged.state.stage).toBe("mql");
        expect(rank).toBeGreaterThanOrEqual(further);
        // Both engagements add up, except what the cap corrections in the ledger take back.
        const corrections = explainScore(
          merged.ledger.filter((l) => l.reason === "cap-correction"),
          rules,
          now,
        ).engagement;
        const sum = engagementAt(x, rules, now) + engagementAt(y, rules, now) + corrections;
        expect(Math.abs(engagementAt(merged.state, rules, now) - sum)).toBeLessThan(1e-9 * (1 + Math.abs(sum)));
        expect(merged.state.fit).toBe(x.fit);
        expect(merged.state.visits).toBe(x.visits + y.visits);
      }),
      { numRuns: 500 },
    );
  });

  it("caps hold over whole histories, identify and merge included", () => {
    // Rules whose caps are the same in both versions; counters must respect them after any history.
    const capped: [string, number | undefined, number | undefined][] = [
      ["newsletter-signup", 1, undefined],
      ["demo-request", 1, undefined],
      ["qr-poster-scan", 5, 1],
      ["whitepaper-download", 5, 2],
      ["careers-page", undefined, 1],
      ["contact-form", undefined, 1],
    ];
    fc.assert(
      fc.property(leadArb, (steps) => {
        const { state } = replay(steps, rulesAt);
        for (const [id, total, perDay] of capped) {
          const c = state.rules[id];
          if (!c) continue;
          if (total !== undefined) expect(c.count, id).toBeLessThanOrEqual(total);
          if (perDay !== undefined) expect(c.dayHits?.length ?? 0, id).toBeLessThanOrEqual(perDay);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
