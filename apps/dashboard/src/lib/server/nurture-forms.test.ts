import { describe, expect, it } from "vitest";
import { formValues, parseContentItemForm, parsePersonaForm, parseTrackForm } from "./nurture-forms.ts";

const form = (fields: Record<string, string | string[]>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) f.append(k, x);
  return f;
};

describe("parsePersonaForm", () => {
  it("turns the form into criteria the nurture package understands", () => {
    const parsed = parsePersonaForm(
      form({
        name: " IT decision maker ",
        roles: "CTO, head of it",
        countries: "de, at",
        sizeMin: "50",
        topics: "security, pricing:2",
        minMatch: "75",
        defaultContent: "whitepaper",
        enabled: "on",
      }),
      ["whitepaper"],
    );
    expect(parsed).toEqual({
      ok: true,
      value: {
        name: "IT decision maker",
        description: null,
        criteria: {
          roles: ["CTO", "head of it"],
          countries: ["DE", "AT"],
          companySize: [{ min: 50 }],
          topics: [{ topic: "security" }, { topic: "pricing", min: 2 }],
        },
        weights: {},
        minMatch: 0.75,
        defaultContentKey: "whitepaper",
        enabled: true,
      },
    });
  });

  const refused: [string, Record<string, string>, string, string][] = [
    ["no name", { roles: "cto" }, "nurture.error.required", "name"],
    ["a country that is not an ISO code", { name: "P", countries: "Germany" }, "personas.badCountry", "countries"],
    ["a size range upside down", { name: "P", sizeMin: "500", sizeMax: "10" }, "nurture.error.range", "companySize"],
    ["a non-number size", { name: "P", sizeMin: "many" }, "nurture.error.type", "sizeMin"],
    ["a topic minimum of zero", { name: "P", topics: "security:0" }, "nurture.error.range", "topics"],
    ["an unknown region", { name: "P", regions: "Atlantis" }, "nurture.error.unknown", "regions"],
    ["a share over 100 %", { name: "P", minMatch: "150" }, "personas.badMinMatch", "minMatch"],
    [
      "default content not in the catalogue",
      { name: "P", defaultContent: "nope" },
      "nurture.error.unknown",
      "defaultContent",
    ],
  ];
  it.each(refused)("refuses %s, naming the field", (_name, fields, error, field) => {
    expect(parsePersonaForm(form(fields), ["whitepaper"])).toEqual({ ok: false, error, field });
  });
});

describe("parseContentItemForm", () => {
  it("reads globs one per line and lower-cases key and topics", () => {
    const parsed = parseContentItemForm(
      form({ key: "Blog-Security", kind: "blog", topics: "Security", match: "/blog/security-*\n/blog/sec" }),
      [],
    );
    expect(parsed).toEqual({
      ok: true,
      value: {
        key: "blog-security",
        title: null,
        kind: "blog",
        topics: ["security"],
        match: ["/blog/security-*", "/blog/sec"],
        href: null,
      },
    });
  });

  const refused: [string, Record<string, string>, string, string][] = [
    ["a key in use", { key: "pricing", kind: "pricing", topics: "x", match: "/p" }, "nurture.error.duplicate", "key"],
    ["a key with spaces", { key: "my page", kind: "blog", topics: "x", match: "/p" }, "nurture.error.type", "key"],
    ["an unknown kind", { key: "a", kind: "poster", topics: "x", match: "/p" }, "nurture.error.unknown", "kind"],
    ["no pattern", { key: "a", kind: "blog", topics: "x", match: "" }, "nurture.error.empty", "match"],
    [
      "a javascript: link",
      { key: "a", kind: "blog", topics: "x", match: "/p", href: "javascript:alert(1)" },
      "nurture.error.type",
      "href",
    ],
  ];
  it.each(refused)("refuses %s", (_name, fields, error, field) => {
    expect(parseContentItemForm(form(fields), ["pricing"])).toEqual({ ok: false, error, field });
  });
});

describe("parseTrackForm", () => {
  const refs = { contentKeys: ["whitepaper", "pricing"], personaIds: [4] };

  it("keeps existing step ids, numbers new ones and skips empty rows", () => {
    const parsed = parseTrackForm(
      form({
        name: "IT nurture",
        purpose: "nurture",
        persona: "4",
        stages: ["lead", "mql"],
        stepId_0: "s1",
        content_0: "whitepaper",
        content_1: "",
        content_2: "pricing",
        minScore_2: "10",
        gap_2: "3",
        stepStages_2: "mql",
        notConsumed_2: "whitepaper",
        enabled: "on",
      }),
      refs,
    );
    expect(parsed).toEqual({
      ok: true,
      value: {
        name: "IT nurture",
        purpose: "nurture",
        personaId: 4,
        stages: ["lead", "mql"],
        priority: 0,
        enabled: true,
        steps: [
          { id: "s1", contentId: "whitepaper" },
          {
            id: "s2",
            contentId: "pricing",
            conditions: { stages: ["mql"], minScore: 10, minDaysSincePreviousStep: 3, notConsumed: ["whitepaper"] },
          },
        ],
      },
    });
  });

  const base = { name: "T", stages: "lead", content_0: "whitepaper" };
  const refused: [string, Record<string, string>, string, string][] = [
    ["another site's persona", { ...base, persona: "9" }, "nurture.error.unknown", "persona"],
    ["no stage", { name: "T", content_0: "whitepaper" }, "nurture.error.empty", "stages"],
    ["no step", { name: "T", stages: "lead" }, "nurture.error.empty", "steps"],
    [
      "a score range upside down (row 3)",
      { ...base, content_2: "pricing", minScore_2: "50", maxScore_2: "10" },
      "nurture.error.range",
      "minScore_2",
    ],
    [
      "an unknown step stage (row 3)",
      { ...base, content_2: "pricing", stepStages_2: "hot" },
      "nurture.error.unknown",
      "stepStages_2",
    ],
    ["negative days", { ...base, days_0: "-1" }, "nurture.error.range", "days_0"],
    ["an unknown not-consumed key", { ...base, notConsumed_0: "ghost" }, "nurture.error.unknown", "notConsumed_0"],
    ["a bad purpose", { ...base, purpose: "spam" }, "nurture.error.unknown", "purpose"],
  ];
  it.each(refused)("refuses %s, naming the form row", (_name, fields, error, field) => {
    expect(parseTrackForm(form(fields), refs)).toEqual({ ok: false, error, field });
  });
});

describe("formValues", () => {
  it("keeps the typed text and joins repeated fields", () => {
    expect(formValues(form({ name: "x", stages: ["lead", "mql"] }))).toEqual({ name: "x", stages: "lead,mql" });
  });
});
