import { describe, expect, it } from "vitest";
import { applyEvent } from "./apply-event.ts";
import { DAY_MS } from "./decay.ts";
import { defaultRuleSet } from "./defaults.ts";
import { type SalesAction, transition } from "./lifecycle.ts";
import { initialState } from "./state.ts";
import type { ScoreState, Stage } from "./types.ts";

const T0 = Date.UTC(2025, 3, 1);
const at = (stage: Stage): ScoreState => ({ ...initialState(), stage, armed: stage === "lead" });

describe("sales transitions", () => {
  const cases: { from: Stage; action: SalesAction; to?: Stage; error?: string }[] = [
    { from: "mql", action: { type: "accept" }, to: "sal" },
    { from: "mql", action: { type: "reject", reason: "student, no budget" }, to: "nurture" },
    { from: "sal", action: { type: "reject", reason: "not the right time" }, to: "nurture" },
    { from: "sal", action: { type: "qualify" }, to: "sql" },
    { from: "sql", action: { type: "win" }, to: "won" },
    { from: "sql", action: { type: "lose", reason: "went with a competitor" }, to: "lost" },
    { from: "mql", action: { type: "lose", reason: "duplicate" }, to: "lost" },
    { from: "lost", action: { type: "recycle" }, to: "nurture" },
    { from: "lead", action: { type: "mark_mql", reason: "met at the fair" }, to: "mql" },
    { from: "nurture", action: { type: "mark_mql", reason: "called back" }, to: "mql" },
    { from: "lead", action: { type: "accept" }, error: "illegal_transition" },
    { from: "mql", action: { type: "qualify" }, error: "illegal_transition" },
    { from: "mql", action: { type: "win" }, error: "illegal_transition" },
    { from: "won", action: { type: "lose", reason: "x" }, error: "illegal_transition" },
    { from: "won", action: { type: "recycle" }, error: "illegal_transition" },
    { from: "nurture", action: { type: "accept" }, error: "illegal_transition" },
    { from: "mql", action: { type: "reject", reason: "  " }, error: "reason_required" },
    { from: "sql", action: { type: "lose", reason: "" }, error: "reason_required" },
  ];
  for (const c of cases) {
    it(`${c.action.type} from ${c.from} → ${c.to ?? c.error}`, () => {
      const r = transition(at(c.from), c.action, "user:7", T0);
      if (c.to) {
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        expect(r.state.stage).toBe(c.to);
        expect(r.stageChange).toMatchObject({ from: c.from, to: c.to, at: T0, actor: "user:7" });
        if ("reason" in c.action && c.action.reason) expect(r.stageChange.reason).toBe(c.action.reason);
      } else {
        expect(r).toMatchObject({ ok: false, error: { code: c.error } });
      }
    });
  }

  it("refuses a stage for an anonymous visitor", () => {
    expect(
      transition(initialState({ anonymous: true }), { type: "mark_mql", reason: "x" }, "user:1", T0),
    ).toMatchObject({
      ok: false,
      error: { code: "anonymous_visitor" },
    });
  });

  it("records the score at the change when given the rules", () => {
    const s: ScoreState = { ...at("mql"), engagement: 40, engagementAt: T0, fit: 5 };
    const r = transition(s, { type: "accept" }, "user:1", T0 + 30 * DAY_MS, defaultRuleSet);
    expect(r.ok && r.stageChange.score).toBeCloseTo(25, 10);
  });
});

describe("automatic moves", () => {
  const form = (id: number, name: string, t: number) => ({ id, type: "form", name, at: t });
  it("a rejected lead becomes MQL again only after its score was below the threshold", () => {
    let s = applyEvent(initialState(), form(1, "demo_request", T0), defaultRuleSet, T0).state;
    s = applyEvent(s, form(2, "contact", T0), defaultRuleSet, T0).state;
    expect(s.stage).toBe("mql");
    const rejected = transition(s, { type: "reject", reason: "no budget yet" }, "user:3", T0 + 1);
    expect(rejected.ok).toBe(true);
    if (!rejected.ok) return;
    // Still above 35: more activity the same day must not bounce it straight back.
    const sameDay = applyEvent(rejected.state, form(3, "newsletter", T0 + 2), defaultRuleSet, T0 + 2);
    expect(sameDay.state.stage).toBe("nurture");
    expect(sameDay.stageChange).toBeUndefined();
    // Three months later the score has decayed below 35; a new contact request recycles it to MQL.
    const later = T0 + 90 * DAY_MS;
    const back = applyEvent(sameDay.state, form(4, "contact", later), defaultRuleSet, later);
    expect(back.stageChange).toBeUndefined(); // 7.x + 20 < 35
    const again = applyEvent(
      back.state,
      { id: 5, type: "pageview", path: "/pricing", at: later },
      defaultRuleSet,
      later,
    );
    expect(again.stageChange).toMatchObject({ from: "nurture", to: "mql", actor: "rule:pricing-page" });
  });

  it("a lead made MQL by hand and rejected above the threshold does not bounce straight back", () => {
    let s: ScoreState = { ...initialState(), engagement: 30, engagementAt: T0 };
    const marked = transition(s, { type: "mark_mql", reason: "met at the fair" }, "user:2", T0);
    if (!marked.ok) throw new Error("mark_mql refused");
    s = applyEvent(marked.state, form(1, "contact", T0), defaultRuleSet, T0).state; // 50 while MQL
    const rejected = transition(s, { type: "reject", reason: "wrong contact" }, "user:2", T0 + 1);
    if (!rejected.ok) throw new Error("reject refused");
    const next = applyEvent(rejected.state, form(2, "newsletter", T0 + 2), defaultRuleSet, T0 + 2);
    expect(next.stageChange).toBeUndefined();
    expect(next.state.stage).toBe("nurture");
  });

  it("never moves a lead backwards when its score falls", () => {
    let s: ScoreState = { ...at("sal"), engagement: 50, engagementAt: T0 };
    for (let i = 0; i < 5; i++) {
      const r = applyEvent(
        s,
        { id: i, type: "pageview", path: "/careers", at: T0 + i * DAY_MS },
        defaultRuleSet,
        T0 + i * DAY_MS,
      );
      expect(r.stageChange).toBeUndefined();
      s = r.state;
    }
    expect(s.stage).toBe("sal");
    expect(s.engagement).toBeLessThan(35);
  });
});
