import { describe, expect, it } from "vitest";
import { applyEvent } from "./apply-event.ts";
import { DAY_MS } from "./decay.ts";
import { defaultRuleSet } from "./defaults.ts";
import { explainScore } from "./explain.ts";
import { identify, mergeLeads } from "./identify.ts";
import { engagementAt, initialState } from "./state.ts";
import type { LedgerEntry, ScoreState, ScoringEvent, Stage } from "./types.ts";

const T0 = Date.UTC(2025, 4, 5, 10);
function feed(state: ScoreState, events: ScoringEvent[]): { state: ScoreState; ledger: LedgerEntry[] } {
  const ledger: LedgerEntry[] = [];
  for (const e of events) {
    const r = applyEvent(state, e, defaultRuleSet, e.at);
    state = r.state;
    ledger.push(...r.ledger);
  }
  return { state, ledger };
}

describe("identify", () => {
  it("counts the visitor's anonymous behaviour for the lead and can make it an MQL at once", () => {
    const visitor = feed(initialState({ anonymous: true }), [
      { id: "v1", type: "pageview", path: "/pricing", at: T0 },
      { id: "v2", type: "form", name: "demo_request", at: T0 + 1000 },
    ]);
    expect(visitor.state.stage).toBe("lead");
    const lead = feed(initialState(), [{ id: "l1", type: "click", name: "product_image", at: T0 + 2000 }]);
    const r = identify(lead.state, visitor.state, defaultRuleSet, T0 + 3000);
    expect(engagementAt(r.state, defaultRuleSet, T0 + 3000)).toBeCloseTo(43, 3);
    expect(r.state.anonymous).toBe(false);
    expect(r.stageChange).toMatchObject({ from: "lead", to: "mql", actor: "system" });
    expect(r.ledger).toEqual([]);
  });

  it("a visitor below the threshold leaves the lead where it was", () => {
    const visitor = feed(initialState({ anonymous: true }), [
      { id: "v1", type: "click", name: "product_image", at: T0 },
    ]);
    const r = identify(initialState(), visitor.state, defaultRuleSet, T0 + 1000);
    expect(r.stageChange).toBeUndefined();
    expect(r.state.visits).toBe(0);
    expect(r.state.engagement).toBeCloseTo(3, 3);
  });

  it("takes back points a cap no longer allows, with a correction entry, and the ledger still explains the score", () => {
    // Two devices both signed up for the newsletter (once per lead) and both visited pricing today (once per day).
    const a = feed(initialState({ anonymous: true }), [
      { id: "a1", type: "form", name: "newsletter", at: T0 },
      { id: "a2", type: "pageview", path: "/pricing", at: T0 + 1000 },
    ]);
    const lead = feed(initialState(), [
      { id: "b1", type: "form", name: "newsletter", at: T0 + 5 * DAY_MS },
      { id: "b2", type: "pageview", path: "/pricing", at: T0 + 5 * DAY_MS },
    ]);
    const now = T0 + 5 * DAY_MS + 1000;
    const r = identify(lead.state, a.state, defaultRuleSet, now);
    // Newsletter: the earlier sign-up (device a) stays, the later one (lead) is taken back.
    expect(r.ledger).toEqual([
      expect.objectContaining({
        ruleId: "newsletter-signup",
        kind: "engagement",
        reason: "cap-correction",
        eventId: null,
      }),
    ]);
    expect(r.ledger[0]?.delta).toBeCloseTo(-7, 3);
    expect(r.state.rules["newsletter-signup"]?.count).toBe(1);
    // Pricing was on different days: both count.
    expect(r.state.rules["pricing-page"]?.count).toBe(2);
    // A third sign-up after identify gives nothing.
    const after = applyEvent(r.state, { id: "c1", type: "form", name: "newsletter", at: now }, defaultRuleSet, now);
    expect(after.ledger).toEqual([]);
    const ledger = [...lead.ledger, ...a.ledger, ...r.ledger];
    expect(explainScore(ledger, defaultRuleSet, now).engagement).toBeCloseTo(
      engagementAt(r.state, defaultRuleSet, now),
      9,
    );
  });

  it("settles per-day caps when both sides scored on the same day", () => {
    const a = feed(initialState({ anonymous: true }), [{ id: "a1", type: "pageview", path: "/pricing", at: T0 }]);
    const b = feed(initialState(), [{ id: "b1", type: "pageview", path: "/pricing", at: T0 + 1000 }]);
    const r = identify(b.state, a.state, defaultRuleSet, T0 + 2000);
    expect(r.ledger.map((l) => [l.ruleId, Math.round(l.delta)])).toEqual([["pricing-page", -10]]);
    expect(r.state.rules["pricing-page"]).toMatchObject({ count: 1, dayHits: [[T0, 10, "a1"]] });
    expect(r.state.engagement).toBeCloseTo(10, 3);
  });
});

describe("merge", () => {
  const stages: { a: Stage; b: Stage; result: Stage; change: boolean }[] = [
    { a: "lead", b: "sal", result: "sal", change: true },
    { a: "sql", b: "mql", result: "sql", change: false },
    { a: "nurture", b: "won", result: "won", change: true },
    { a: "lost", b: "won", result: "won", change: true },
    { a: "mql", b: "lead", result: "mql", change: false },
  ];
  for (const c of stages) {
    it(`${c.a} + ${c.b} keeps the furthest stage (${c.result})`, () => {
      const a: ScoreState = { ...initialState(), stage: c.a, armed: false };
      const b: ScoreState = { ...initialState(), stage: c.b, armed: false };
      const r = mergeLeads(a, b, defaultRuleSet, T0);
      expect(r.state.stage).toBe(c.result);
      expect(r.stageChange !== undefined).toBe(c.change);
    });
  }

  it("adds engagement and visits and can make the survivor an MQL", () => {
    const a = feed(initialState(), [
      { id: 1, type: "pageview", path: "/", visitStart: true, at: T0 },
      { id: 2, type: "form", name: "contact", at: T0 },
    ]);
    const b = feed(initialState(), [
      { id: 3, type: "pageview", path: "/", visitStart: true, at: T0 },
      { id: 4, type: "pageview", path: "/pricing", at: T0 },
      { id: 5, type: "click", name: "product_image", at: T0 },
      { id: 6, type: "click", name: "product_image", at: T0 },
    ]);
    const r = mergeLeads(a.state, b.state, defaultRuleSet, T0);
    expect(r.state.visits).toBe(2);
    expect(r.state.engagement).toBe(36);
    expect(r.stageChange).toMatchObject({ from: "lead", to: "mql", reason: expect.stringContaining("merged") });
    // The recent ids of both are remembered: a retried event of the absorbed lead is ignored.
    expect(
      applyEvent(r.state, { id: 6, type: "click", name: "product_image", at: T0 }, defaultRuleSet, T0).ledger,
    ).toEqual([]);
  });
});
