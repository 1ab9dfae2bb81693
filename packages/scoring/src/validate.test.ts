import { describe, expect, it } from "vitest";
import { defaultRuleSet } from "./defaults.ts";
import { validateRule, validateRuleSet } from "./validate.ts";

// Tests poke at arbitrary JSON the way a broken editor or a hand-edited row would.
// biome-ignore lint/suspicious/noExplicitAny: deliberately untyped input
type Json = any;
const clone = (): Json => JSON.parse(JSON.stringify(defaultRuleSet));

describe("validateRuleSet", () => {
  it("accepts the defaults", () => {
    expect(validateRuleSet(defaultRuleSet)).toEqual({ ok: true, ruleSet: defaultRuleSet });
  });

  it("every default rule has a stable id and English and German labels", () => {
    for (const r of defaultRuleSet.rules) {
      expect(r.id).toMatch(/^[a-z0-9-]+$/);
      expect(r.label.en.length).toBeGreaterThan(3);
      expect(r.label.de.length).toBeGreaterThan(3);
      expect(r.label.de).not.toBe(r.label.en);
    }
  });

  const cases: { name: string; mutate: (r: Json) => void; path: string; code: string }[] = [
    {
      name: "version",
      mutate: (r) => {
        r.version = 0;
      },
      path: "version",
      code: "range",
    },
    {
      name: "half-life too short",
      mutate: (r) => {
        r.halfLifeDays = 0.001;
      },
      path: "halfLifeDays",
      code: "range",
    },
    {
      name: "half-life not a number",
      mutate: (r) => {
        r.halfLifeDays = "30";
      },
      path: "halfLifeDays",
      code: "type",
    },
    {
      name: "threshold",
      mutate: (r) => {
        r.mqlThreshold = -1;
      },
      path: "mqlThreshold",
      code: "range",
    },
    {
      name: "grades not descending",
      mutate: (r) => {
        r.grades.fit = [0, 10, 25];
      },
      path: "grades.fit",
      code: "range",
    },
    {
      name: "duplicate id",
      mutate: (r) => {
        r.rules[1].id = r.rules[0].id;
      },
      path: "rules[1].id",
      code: "duplicate",
    },
    {
      name: "bad id",
      mutate: (r) => {
        r.rules[0].id = "Has Space";
      },
      path: "rules[0].id",
      code: "type",
    },
    {
      name: "missing German label",
      mutate: (r) => {
        delete r.rules[0].label.de;
      },
      path: "rules[0].label.de",
      code: "type",
    },
    {
      name: "zero points",
      mutate: (r) => {
        r.rules[0].points = 0;
      },
      path: "rules[0].points",
      code: "range",
    },
    {
      name: "empty pattern",
      mutate: (r) => {
        r.rules[0].match = {};
      },
      path: "rules[0].match",
      code: "empty",
    },
    {
      name: "unknown match field",
      mutate: (r) => {
        r.rules[0].match.colour = "red";
      },
      path: "rules[0].match.colour",
      code: "unknown",
    },
    {
      name: "pattern in a list",
      mutate: (r) => {
        r.rules[5].match[1].url = 5;
      },
      path: "rules[5].match[1].url",
      code: "type",
    },
    {
      name: "unknown UTM",
      mutate: (r) => {
        r.rules[9].match.campaign.utm_foo = "x";
      },
      path: "rules[9].match.campaign.utm_foo",
      code: "unknown",
    },
    {
      name: "cap zero",
      mutate: (r) => {
        r.rules[0].caps.perDay = 0;
      },
      path: "rules[0].caps.perDay",
      code: "range",
    },
    {
      name: "cap fraction",
      mutate: (r) => {
        r.rules[0].caps.total = 1.5;
      },
      path: "rules[0].caps.total",
      code: "range",
    },
    {
      name: "fit with caps",
      mutate: (r) => {
        r.rules[10].caps = { once: true };
      },
      path: "rules[10].caps",
      code: "unknown",
    },
    {
      name: "size range inverted",
      mutate: (r) => {
        r.rules[13].match.companySize = { min: 10, max: 5 };
      },
      path: "rules[13].match.companySize",
      code: "range",
    },
    {
      name: "email domain kind",
      mutate: (r) => {
        r.rules[15].match.emailDomain = "work";
      },
      path: "rules[15].match.emailDomain",
      code: "type",
    },
    {
      name: "unknown kind",
      mutate: (r) => {
        r.rules[0].kind = "magic";
      },
      path: "rules[0].kind",
      code: "type",
    },
    {
      name: "too long text",
      mutate: (r) => {
        r.rules[0].label.en = "x".repeat(201);
      },
      path: "rules[0].label.en",
      code: "too_long",
    },
  ];
  for (const c of cases) {
    it(`reports ${c.name}`, () => {
      const r = clone();
      c.mutate(r);
      const result = validateRuleSet(r);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.errors).toContainEqual(expect.objectContaining({ path: c.path, code: c.code }));
    });
  }

  it("checks one rule with paths relative to it (the builder's field names)", () => {
    const rule = { ...clone().rules[0], points: 0, caps: { perDay: -1 }, match: { path: 5 } };
    expect(validateRule(rule).map((e) => e.path)).toEqual(["points", "match.path", "caps.perDay"]);
    expect(validateRule(defaultRuleSet.rules[0])).toEqual([]);
  });

  it("reports every problem at once, without throwing on garbage", () => {
    const r = clone();
    r.version = -1;
    r.rules[0].points = "five";
    r.rules[2] = null;
    const result = validateRuleSet(r);
    expect(result.ok ? [] : result.errors.map((e) => e.path)).toEqual(["version", "rules[0].points", "rules[2]"]);
    expect(validateRuleSet(null).ok).toBe(false);
    expect(validateRuleSet({}).ok).toBe(false);
  });
});
