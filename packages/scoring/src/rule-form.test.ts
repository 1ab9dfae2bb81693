import { describe, expect, it } from "vitest";
import { defaultRuleSet } from "./defaults.ts";
import { eventMatches, traitsMatch } from "./match.ts";
import { type RuleFields, ruleFromFields, ruleIdFrom, ruleToFields } from "./rule-form.ts";
import type { EngagementRule, EventMatch, FitRule, ProfileTraits, ScoringEvent } from "./types.ts";

const engagement = (fields: RuleFields): RuleFields => ({
  kind: "engagement",
  "label.en": "A rule",
  points: "5",
  ...fields,
});
const fitFields = (fields: RuleFields): RuleFields => ({
  kind: "fit",
  "label.en": "A fit rule",
  points: "5",
  ...fields,
});
const event = (e: Partial<ScoringEvent>): ScoringEvent => ({ id: 1, type: "pageview", at: 0, ...e });

describe("rule builder: every engagement condition builds a rule that matches what it says", () => {
  const cases: {
    name: string;
    fields: RuleFields;
    match: EventMatch;
    hit: Partial<ScoringEvent>;
    miss: Partial<ScoringEvent>;
    visitsBefore?: number;
  }[] = [
    {
      name: "event type",
      fields: { "match.type": "download" },
      match: { type: "download" },
      hit: { type: "download" },
      miss: { type: "pageview" },
    },
    {
      name: "page path pattern (several, comma-separated)",
      fields: { "match.path": "*/pricing*, /preise" },
      match: { path: ["*/pricing*", "/preise"] },
      hit: { path: "/en/pricing/plans" },
      miss: { path: "/about" },
    },
    {
      name: "form name",
      fields: { "match.type": "form", "match.name": "demo_request" },
      match: { type: "form", name: "demo_request" },
      hit: { type: "form", name: "Demo_Request" },
      miss: { type: "form", name: "newsletter" },
    },
    {
      name: "event name glob",
      fields: { "match.name": "video_*" },
      match: { name: "video_*" },
      hit: { type: "custom", name: "video_play" },
      miss: { type: "custom", name: "signup" },
    },
    {
      name: "link / QR code",
      fields: { "match.code": "spring-poster" },
      match: { code: "spring-poster" },
      hit: { type: "qr_scan", name: "spring-poster" },
      miss: { type: "click", name: "spring-poster" },
    },
    {
      name: "URL",
      fields: { "match.url": "*.pdf" },
      match: { url: "*.pdf" },
      hit: { url: "https://x.test/a.pdf" },
      miss: { url: "https://x.test/a.html" },
    },
    {
      name: "property equals (text, number, boolean)",
      fields: { "match.props": "plan=Pro\nseats=5\ntrial=true" },
      match: { props: { plan: "Pro", seats: 5, trial: true } },
      hit: { props: { plan: "pro", seats: 5, trial: true } },
      miss: { props: { plan: "pro", seats: 6, trial: true } },
    },
    {
      name: "UTM campaign",
      fields: { "match.campaign.utm_medium": "email", "match.campaign.utm_campaign": "spring*" },
      match: { campaign: { utm_medium: "email", utm_campaign: "spring*" } },
      hit: { campaign: { utm_medium: "email", utm_campaign: "spring-2026" } },
      miss: { campaign: { utm_medium: "cpc", utm_campaign: "spring-2026" } },
    },
    {
      name: "returning visit",
      fields: { "match.returningVisit": "on" },
      match: { returningVisit: true },
      hit: { visitStart: true },
      miss: { visitStart: false },
      visitsBefore: 1,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const result = ruleFromFields(engagement(c.fields), []);
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      const rule = result.rule as EngagementRule;
      expect(rule.match).toEqual(c.match);
      const ctx = { visitsBefore: c.visitsBefore ?? 0 };
      expect(eventMatches(rule.match as EventMatch, event(c.hit), ctx)).toBe(true);
      expect(eventMatches(rule.match as EventMatch, event(c.miss), ctx)).toBe(false);
    });
  }
});

describe("rule builder: every fit condition", () => {
  const cases: { name: string; fields: RuleFields; hit: ProfileTraits; miss: ProfileTraits }[] = [
    { name: "role", fields: { "match.role": "head of, cto" }, hit: { role: "Head of IT" }, miss: { role: "Intern" } },
    {
      name: "seniority",
      fields: { "match.seniority": "director" },
      hit: { seniority: "Director" },
      miss: { seniority: "junior" },
    },
    { name: "country", fields: { "match.country": "DE, AT" }, hit: { country: "at" }, miss: { country: "FR" } },
    { name: "industry", fields: { "match.industry": "software" }, hit: { industry: "Software" }, miss: {} },
    {
      name: "company size range",
      fields: { "match.companySize.min": "50", "match.companySize.max": "500" },
      hit: { companySize: "51-200" },
      miss: { companySize: 1000 },
    },
    {
      name: "e-mail domain kind: free mail",
      fields: { "match.emailDomain": "free" },
      hit: { email: "max@gmail.com" },
      miss: { email: "max@acme.test" },
    },
    {
      name: "e-mail domain kind: business",
      fields: { "match.emailDomain": "business" },
      hit: { email: "max@acme.test" },
      miss: { email: "max@web.de" },
    },
    {
      name: "custom trait",
      fields: { "match.traits": "plan=enterprise, business" },
      hit: { custom: { plan: "Enterprise" } },
      miss: { custom: { plan: "free" } },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const result = ruleFromFields(fitFields(c.fields), []);
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      const rule = result.rule as FitRule;
      expect(traitsMatch(rule.match, c.hit, {})).toBe(true);
      expect(traitsMatch(rule.match, c.miss, {})).toBe(false);
    });
  }
});

describe("rule builder: points, caps and names", () => {
  it("keeps negative points and every cap", () => {
    const result = ruleFromFields(
      engagement({
        "match.path": "*/careers*",
        points: "-10",
        "caps.once": "on",
        "caps.perDay": "1",
        "caps.total": "3",
      }),
      [],
    );
    expect(result.ok && result.rule).toMatchObject({ points: -10, caps: { once: true, perDay: 1, total: 3 } });
  });

  it("derives a unique id from the name; the German label defaults to the English one", () => {
    const result = ruleFromFields(engagement({ "label.en": "Pricing page", "match.path": "/pricing" }), [
      "pricing-page",
    ]);
    expect(result.ok && result.rule).toMatchObject({
      id: "pricing-page-2",
      label: { en: "Pricing page", de: "Pricing page" },
    });
    expect(ruleIdFrom("Über uns & Preise!", [])).toBe("uber-uns-preise");
    expect(ruleIdFrom("***", ["rule"])).toBe("rule-2");
  });

  it("an unchecked switch disables the rule", () => {
    const result = ruleFromFields(engagement({ "match.type": "form", enabled: "" }), []);
    expect(result.ok && result.rule.enabled).toBe(false);
  });

  const invalid: { name: string; fields: RuleFields; field: string; code: string }[] = [
    { name: "no name", fields: engagement({ "label.en": "", "match.type": "form" }), field: "label.en", code: "empty" },
    { name: "zero points", fields: engagement({ points: "0", "match.type": "form" }), field: "points", code: "range" },
    {
      name: "points not a number",
      fields: engagement({ points: "ten", "match.type": "form" }),
      field: "points",
      code: "range",
    },
    {
      name: "points too big",
      fields: engagement({ points: "10001", "match.type": "form" }),
      field: "points",
      code: "range",
    },
    { name: "no condition", fields: engagement({}), field: "match", code: "empty" },
    {
      name: "per-day cap zero",
      fields: engagement({ "match.type": "form", "caps.perDay": "0" }),
      field: "caps.perDay",
      code: "range",
    },
    {
      name: "total cap fraction",
      fields: engagement({ "match.type": "form", "caps.total": "1.5" }),
      field: "caps.total",
      code: "range",
    },
    {
      name: "cap not a number",
      fields: engagement({ "match.type": "form", "caps.perDay": "x" }),
      field: "caps.perDay",
      code: "type",
    },
    { name: "property without =", fields: engagement({ "match.props": "plan" }), field: "match.props", code: "type" },
    {
      name: "path too long",
      fields: engagement({ "match.path": `/${"x".repeat(300)}` }),
      field: "match.path",
      code: "too_long",
    },
    { name: "fit without condition", fields: fitFields({}), field: "match", code: "empty" },
    {
      name: "size range inverted",
      fields: fitFields({ "match.companySize.min": "500", "match.companySize.max": "50" }),
      field: "match.companySize",
      code: "range",
    },
    {
      name: "size negative",
      fields: fitFields({ "match.companySize.min": "-1" }),
      field: "match.companySize.min",
      code: "range",
    },
    {
      name: "domain kind",
      fields: fitFields({ "match.emailDomain": "work" }),
      field: "match.emailDomain",
      code: "type",
    },
    {
      name: "custom trait name",
      fields: fitFields({ "match.traits": "bad key=x" }),
      field: "match.traits",
      code: "type",
    },
    {
      name: "custom trait values",
      fields: fitFields({ "match.traits": "plan=" }),
      field: "match.traits",
      code: "empty",
    },
  ];
  for (const c of invalid) {
    it(`reports ${c.name} at its field`, () => {
      const result = ruleFromFields(c.fields, ["taken"]);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.errors).toContainEqual(expect.objectContaining({ field: c.field, code: c.code }));
    });
  }

  it("every default rule survives the builder unchanged (multi-pattern rules included)", () => {
    for (const rule of defaultRuleSet.rules) {
      const result = ruleFromFields(ruleToFields(rule), []);
      expect(result.ok, rule.id).toBe(true);
      if (result.ok) expect(result.rule, rule.id).toEqual(rule);
    }
  });
});
