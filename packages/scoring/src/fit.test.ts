import { describe, expect, it } from "vitest";
import { defaultRuleSet } from "./defaults.ts";
import { computeFit, profileFromTraits, updateTraits } from "./fit.ts";
import { gradeOf } from "./grade.ts";
import { headCount } from "./match.ts";
import { initialState } from "./state.ts";
import type { ProfileTraits, ScoreState } from "./types.ts";

const rules = { ...defaultRuleSet, competitorDomains: ["rival.io"] };

describe("fit rules", () => {
  const cases: { name: string; traits: ProfileTraits; rules: string[]; fit: number }[] = [
    {
      name: "senior decision maker at a mid-size German company with a business address",
      traits: { seniority: "Director", companySize: 250, country: "de", email: "anna@acme.de" },
      rules: ["fit-senior-decision-maker", "fit-company-size", "fit-target-country", "fit-business-email"],
      fit: 35,
    },
    {
      name: "manager, company size band",
      traits: { seniority: "manager", companySize: "51-200" },
      rules: ["fit-manager", "fit-company-size"],
      fit: 18,
    },
    { name: "band too small", traits: { companySize: "11-49" }, rules: [], fit: 0 },
    { name: "1000+ band", traits: { companySize: "1000+" }, rules: ["fit-company-size"], fit: 10 },
    { name: "working student", traits: { role: "Werkstudent Marketing" }, rules: ["fit-student"], fit: -10 },
    { name: "free mail", traits: { email: "max@GMX.de" }, rules: ["fit-free-mail"], fit: -5 },
    { name: "free mail subdomain", traits: { email: "max@mail.gmx.net" }, rules: ["fit-free-mail"], fit: -5 },
    { name: "competitor", traits: { email: "spy@rival.io" }, rules: ["fit-competitor"], fit: -50 },
    { name: "competitor subdomain", traits: { email: "spy@eu.rival.io" }, rules: ["fit-competitor"], fit: -50 },
    { name: "country outside DACH", traits: { country: "FR" }, rules: [], fit: 0 },
    { name: "nothing known", traits: {}, rules: [], fit: 0 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const byRule = computeFit(c.traits, rules);
      expect(Object.keys(byRule)).toEqual(c.rules);
      expect(Object.values(byRule).reduce((s, v) => s + v, 0)).toBe(c.fit);
    });
  }

  it("head counts from bands", () => {
    expect([headCount(120), headCount("51-200"), headCount("1,000+"), headCount("n/a"), headCount(undefined)]).toEqual([
      120,
      51,
      1000,
      undefined,
      undefined,
    ]);
  });
});

describe("updateTraits", () => {
  const T = Date.UTC(2025, 1, 1);
  it("writes one fit ledger entry per changed rule and none when nothing changed", () => {
    const first = updateTraits(initialState(), { email: "a@gmail.com", country: "DE" }, rules, T);
    expect(first.ledger.map((l) => [l.ruleId, l.delta, l.kind])).toEqual([
      ["fit-target-country", 5, "fit"],
      ["fit-free-mail", -5, "fit"],
    ]);
    expect(first.state.fit).toBe(0);
    const second = updateTraits(first.state, { email: "a@acme.de", country: "DE" }, rules, T + 1);
    expect(second.ledger.map((l) => [l.ruleId, l.delta])).toEqual([
      ["fit-business-email", 5],
      ["fit-free-mail", 5],
    ]);
    expect(second.state.fit).toBe(10);
    expect(updateTraits(second.state, { email: "a@acme.de", country: "DE" }, rules, T + 2).ledger).toEqual([]);
  });

  it("fit can push an engaged lead over the threshold", () => {
    const s: ScoreState = { ...initialState(), engagement: 30, engagementAt: T };
    const r = updateTraits(s, { seniority: "vp" }, rules, T);
    expect(r.stageChange).toMatchObject({ from: "lead", to: "mql", actor: "system" });
  });
});

describe("grade", () => {
  const cases: [number, number, string][] = [
    [30, 50, "A1"],
    [25, 35, "A1"],
    [24.9, 34.9, "B2"],
    [10, 20, "B2"],
    [0, 8, "C3"],
    [-5, 7.99, "D4"],
    [40, 0, "A4"],
    [-50, 100, "D1"],
  ];
  for (const [fit, engagement, grade] of cases) {
    it(`fit ${fit}, engagement ${engagement} → ${grade}`, () => {
      expect(gradeOf(fit, engagement, defaultRuleSet.grades).grade).toBe(grade);
    });
  }
});

describe("profileFromTraits", () => {
  const cases: [string, Record<string, unknown>, string | null, Record<string, unknown>][] = [
    ["role spellings", { jobTitle: "CTO", seniority: "C-Level" }, null, { role: "CTO", seniority: "C-Level" }],
    ["first spelling wins", { role: "Head of IT", title: "Dr." }, null, { role: "Head of IT" }],
    [
      "company size spellings",
      { employees: "120", industry: "Software" },
      null,
      { companySize: "120", industry: "Software" },
    ],
    ["the visitor's country as fallback", {}, "DE", { country: "DE" }],
    ["the traits' country first", { country: "AT" }, "DE", { country: "AT" }],
    ["empty and non-text values are absent", { role: "", seniority: 3, title: null }, null, {}],
    [
      "other traits as text for custom fit conditions; lists and objects left out",
      { plan: "Enterprise", seats: 40, trial: false, tags: ["a"], address: { city: "Köln" }, role: "CTO" },
      null,
      { role: "CTO", custom: { plan: "Enterprise", seats: "40", trial: "false" } },
    ],
  ];
  for (const [name, traits, country, expected] of cases) {
    it(name, () => {
      expect(profileFromTraits("a@b.test", traits, country)).toEqual({ email: "a@b.test", ...expected });
    });
  }
});
