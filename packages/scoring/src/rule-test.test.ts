import { describe, expect, it } from "vitest";
import { defaultRuleSet } from "./defaults.ts";
import { ruleSetFromJson } from "./rule-set-json.ts";
import { type SampleEvent, testRule } from "./rule-test.ts";
import type { Rule } from "./types.ts";

const GAP = 30 * 60_000;
let nextId = 1;
const ev = (visitorId: string, leadId: number | null, at: number, e: Partial<SampleEvent>): SampleEvent => ({
  id: nextId++,
  visitorId,
  leadId,
  type: "pageview",
  name: null,
  path: null,
  url: null,
  props: null,
  campaign: null,
  receivedAt: at,
  seenBefore: false,
  ...e,
});
const rule = (match: Rule["match"], kind: Rule["kind"] = "engagement"): Rule =>
  ({ id: "r", kind, label: { en: "r", de: "r" }, points: 1, match }) as Rule;

describe("testRule", () => {
  // Sorted by browser, then time, as the sample query returns them.
  const events = [
    ev("a", 1, 1_000, { path: "/pricing" }),
    ev("a", 1, 2_000, { path: "/pricing" }),
    ev("a", 1, 2_000 + GAP + 1, { path: "/careers" }),
    ev("b", null, 5_000, { path: "/de/pricing" }),
    ev("c", 2, 9_000, { path: "/about", seenBefore: true }),
    ev("d", 3, 3_000, { type: "form", name: "demo_request" }),
  ];

  it("counts matching events and distinct leads, newest examples first, caps aside", () => {
    const result = testRule(rule({ path: "*/pricing*" }), { events, leads: [] }, defaultRuleSet, GAP);
    expect(result).toMatchObject({ scanned: 6, events: 3, leads: 1, anonymousEvents: 1 });
    expect(result.examples.map((e) => e.path)).toEqual(["/de/pricing", "/pricing", "/pricing"]);
    expect(result.examples[0]?.at).toBe(5_000);
  });

  it("returning visits: a later visit of the same browser, or the first of a browser seen before", () => {
    const result = testRule(rule({ returningVisit: true }), { events, leads: [] }, defaultRuleSet, GAP);
    expect(result.examples.map((e) => e.path).sort()).toEqual(["/about", "/careers"]);
  });

  it("at most three examples", () => {
    const result = testRule(rule({ type: ["pageview", "form"] }), { events, leads: [] }, defaultRuleSet, GAP);
    expect(result.events).toBe(6);
    expect(result.leads).toBe(3);
    expect(result.examples).toHaveLength(3);
  });

  it("fit rules count leads by their profile", () => {
    const leads = [
      { id: 1, email: "a@gmail.com", profile: { email: "a@gmail.com" } },
      { id: 2, email: "b@acme.test", profile: { email: "b@acme.test" } },
      { id: 3, email: "c@web.de", profile: { email: "c@web.de" } },
    ];
    const result = testRule(rule({ emailDomain: "free" }, "fit"), { events, leads }, defaultRuleSet, GAP);
    expect(result).toMatchObject({ scanned: 3, events: 0, leads: 2 });
    expect(result.examples.map((e) => e.email)).toEqual(["a@gmail.com", "c@web.de"]);
  });
});

describe("ruleSetFromJson", () => {
  const base = { ...defaultRuleSet, version: 4 };
  it("keeps what the JSON leaves out, numbers the version itself, defaults the German label", () => {
    const result = ruleSetFromJson(
      {
        version: 99,
        mqlThreshold: 50,
        rules: [
          { id: "pricing", kind: "engagement", label: { en: "Pricing" }, points: 10, match: { path: "/pricing" } },
        ],
      },
      base,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.ruleSet).toMatchObject({ version: 4, mqlThreshold: 50, halfLifeDays: 30, grades: base.grades });
    expect(result.ruleSet.rules[0]?.label).toEqual({ en: "Pricing", de: "Pricing" });
  });

  it("reports unknown top-level fields and every bad rule field by path", () => {
    expect(ruleSetFromJson({ threshold: 3 }, base)).toEqual({
      ok: false,
      errors: [{ path: "threshold", code: "unknown", message: 'Unknown field "threshold".' }],
    });
    const result = ruleSetFromJson(
      {
        rules: [
          { id: "x", kind: "engagement", label: { en: "X" }, points: 0, match: { path: 3 }, caps: { perDay: 0 } },
        ],
      },
      base,
    );
    expect(result.ok ? [] : result.errors.map((e) => e.path)).toEqual([
      "rules[0].points",
      "rules[0].match.path",
      "rules[0].caps.perDay",
    ]);
    expect(ruleSetFromJson([], base).ok).toBe(false);
  });
});
