import { describe, expect, it } from "vitest";
import { companyKey, companyRollup } from "./company.ts";

describe("company roll-up", () => {
  it("a buying group of three mid-score people outranks one hot lead", () => {
    const group = companyRollup([{ score: 20 }, { score: 20 }, { score: 20 }]);
    const single = companyRollup([{ score: 40 }]);
    expect(group.score).toBeCloseTo(48, 10);
    expect(group.buyingGroup).toBe(true);
    expect(single.buyingGroup).toBe(false);
    expect(group.score).toBeGreaterThan(single.score);
  });

  const cases: { name: string; scores: number[]; score: number; engaged: number; group: boolean }[] = [
    { name: "no members", scores: [], score: 0, engaged: 0, group: false },
    { name: "order does not matter", scores: [5, 30, 10], score: 30 + 8 + 3, engaged: 2, group: false },
    { name: "negative members count as zero", scores: [30, -50], score: 30, engaged: 1, group: false },
    {
      name: "many idle readers add little",
      scores: [2, 2, 2, 2, 2, 2, 2, 2, 2, 2],
      score: 6,
      engaged: 0,
      group: false,
    },
    { name: "sixth member adds nothing", scores: [10, 10, 10, 10, 10, 10], score: 30, engaged: 6, group: true },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = companyRollup(c.scores.map((score) => ({ score })));
      expect(r.score).toBeCloseTo(c.score, 10);
      expect(r.engagedMembers).toBe(c.engaged);
      expect(r.buyingGroup).toBe(c.group);
      expect(r.members).toBe(c.scores.length);
    });
  }
});

describe("company key", () => {
  const cases: [Parameters<typeof companyKey>[0], string | undefined][] = [
    [{ email: "anna@Acme.de" }, "acme.de"],
    [{ email: "anna@gmail.com", company: "ACME GmbH" }, "name:acme"],
    [{ email: "anna@gmail.com" }, undefined],
    [{ company: "Acme Inc." }, "name:acme"],
    [{ company: "Müller & Söhne GmbH & Co. KG" }, "name:müller & söhne"],
    [{}, undefined],
  ];
  for (const [traits, key] of cases) {
    it(`${JSON.stringify(traits)} → ${key}`, () => {
      expect(companyKey(traits)).toBe(key);
    });
  }
});
