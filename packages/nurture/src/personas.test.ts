import { describe, expect, it } from "vitest";
import { matchInputsChanged, matchPersona, rankPersonas } from "./personas.ts";
import type { Persona, PersonaSubject } from "./types.ts";

const itLead: Persona = {
  id: "it-lead",
  name: "IT lead",
  criteria: {
    roles: ["head of it", "cto", "it manager"],
    companySize: [{ min: 50 }],
    regions: ["DACH"],
    topics: [{ topic: "security", min: 2 }],
  },
  // The role is what makes the persona; the rest adds confidence.
  weights: { role: 3 },
  required: ["role"],
  minMatch: 0.6,
};
const cfo: Persona = {
  id: "cfo",
  name: "CFO",
  criteria: { roles: ["cfo", "finance"], seniorities: ["c-level"] },
};
const marketer: Persona = {
  id: "marketer",
  name: "Marketer",
  criteria: { roles: ["marketing"], topics: [{ topic: "Lead Scoring" }] },
};
const general: Persona = { id: "zz-general", name: "Everyone else", criteria: {} };
const disabled: Persona = { id: "aaa-disabled", name: "Off", criteria: { roles: ["head"] }, enabled: false };
const all = [itLead, cfo, marketer, disabled];

const subject = (traits: PersonaSubject["traits"], topics?: Record<string, number>): PersonaSubject => ({
  traits,
  ...(topics ? { topics } : {}),
});

describe("matchPersona", () => {
  it.each<{ name: string; lead: PersonaSubject; personas?: Persona[]; want: string | null; score?: number }>([
    {
      name: "every criterion holds",
      lead: subject({ role: "Head of IT", companySize: 250, country: "DE" }, { security: 2 }),
      want: "it-lead",
      score: 6,
    },
    {
      name: "partial match above minMatch qualifies (4 of 6)",
      lead: subject({ role: "Head of IT", companySize: 10, country: "de" }),
      want: "it-lead",
      score: 4,
    },
    {
      name: "partial match below minMatch does not (3 of 6)",
      lead: subject({ role: "Head of IT", companySize: 10, country: "US" }),
      want: null,
    },
    {
      name: "required criterion fails although the rest holds",
      lead: subject({ role: "Developer", companySize: 500, country: "AT" }, { security: 9 }),
      want: null,
    },
    {
      name: "required criterion fails while the share alone would qualify (3 of 4)",
      lead: subject({ role: "Developer", companySize: 500, country: "AT" }, { security: 9 }),
      personas: [{ ...itLead, weights: {} }],
      want: null,
    },
    {
      name: "the same lead qualifies once nothing is required",
      lead: subject({ role: "Developer", companySize: 500, country: "AT" }, { security: 9 }),
      personas: [{ ...itLead, weights: {}, required: [] }],
      want: "it-lead",
      score: 3,
    },
    {
      name: "company size band counts by its lower bound",
      lead: subject({ role: "CTO", companySize: "51-200", country: "FR" }, { security: 1 }),
      want: "it-lead",
      score: 4,
    },
    {
      name: "default: every criterion is required",
      lead: subject({ role: "CFO", seniority: "VP" }),
      want: null,
    },
    { name: "all of them hold", lead: subject({ role: "CFO", seniority: "C-Level" }), want: "cfo", score: 2 },
    {
      name: "behaviour: topic keys compare in any case",
      lead: subject({ role: "Marketing Manager" }, { "lead scoring": 1 }),
      want: "marketer",
    },
    { name: "behaviour missing", lead: subject({ role: "Marketing Manager" }), want: null },
    { name: "empty profile: no persona", lead: subject({}), want: null },
    { name: "empty profile with a catch-all", lead: subject({}), personas: [...all, general], want: "zz-general" },
    {
      name: "a real match beats the catch-all",
      lead: subject({ role: "CFO", seniority: "c-level" }),
      personas: [general, ...all],
      want: "cfo",
    },
    { name: "disabled persona never matches", lead: subject({ role: "Head of Sales" }), want: null },
  ])("$name", ({ lead, personas, want, score }) => {
    const match = matchPersona(lead, personas ?? all);
    expect(match?.personaId ?? null).toBe(want);
    if (score !== undefined) expect(match?.score).toBe(score);
  });

  const twinA: Persona = { id: "b-twin", name: "B", criteria: { industries: ["Software"] } };
  const twinB: Persona = { id: "a-twin", name: "A", criteria: { countries: ["DE"] } };
  const broad: Persona = {
    id: "0-broad",
    name: "Broad",
    criteria: { industries: ["Software"], countries: ["DE"], roles: ["nobody"] },
    required: [],
    minMatch: 0.5,
  };
  const lead = subject({ industry: "software", country: "DE" });

  it.each([
    { name: "equal score and share: smaller id wins", personas: [twinA, twinB], want: "a-twin" },
    { name: "same in reverse load order", personas: [twinB, twinA], want: "a-twin" },
    // broad scores 2 of 3; the twins 1 of 1 each: the higher score wins before the share is looked at.
    { name: "higher score beats higher share", personas: [twinA, broad, twinB], want: "0-broad" },
  ])("tie-breaking: $name", ({ personas, want }) => {
    expect(matchPersona(lead, personas)?.personaId).toBe(want);
  });

  it("equal score: the higher matched share wins over the smaller id", () => {
    const loose: Persona = {
      id: "a-loose",
      name: "Loose",
      criteria: { industries: ["Software"], roles: ["nobody"] },
      required: [],
      minMatch: 0.5,
    };
    expect(matchPersona(lead, [loose, twinA])?.personaId).toBe("b-twin");
  });

  it("explains every criterion, matched or not", () => {
    const match = matchPersona(subject({ role: "Head of IT", companySize: 10, country: "CH" }), all);
    expect(match?.reasons.map((r) => [r.kind, r.matched, r.required])).toEqual([
      ["role", true, true],
      ["companySize", false, false],
      ["territory", true, false],
      ["topics", false, false],
    ]);
    expect(match?.reasons[0]?.detail).toBe('role "Head of IT" contains "head of it"');
    expect(match?.reasons[1]?.detail).toBe("10 employees outside 50–∞");
    expect(match?.fraction).toBeCloseTo(4 / 6);
  });

  it("ranks the personas that did not qualify too, best first", () => {
    const ranked = rankPersonas(subject({ role: "CFO" }), all);
    expect(ranked.map((r) => [r.personaId, r.qualifies, r.score])).toEqual([
      ["cfo", false, 1],
      ["it-lead", false, 0],
      ["marketer", false, 0],
    ]);
  });

  it("uses custom regions like routing does", () => {
    const alpine: Persona = { id: "alps", name: "Alps", criteria: { regions: ["ALPS"] } };
    const lead = subject({ country: "IT" });
    expect(matchPersona(lead, [alpine])).toBeNull();
    expect(matchPersona(lead, [alpine], { regions: { ALPS: ["IT", "CH"] } })?.personaId).toBe("alps");
  });
});

describe("matchInputsChanged", () => {
  const base = subject({ role: "Head of IT", companySize: "51-200", country: "DE", email: "a@x.de" }, { security: 1 });
  it.each<{ name: string; after: PersonaSubject; personas?: Persona[]; want: boolean }>([
    { name: "nothing changed", after: base, want: false },
    { name: "role changed", after: { ...base, traits: { ...base.traits, role: "CFO" } }, want: true },
    {
      name: "role only changed case",
      after: { ...base, traits: { ...base.traits, role: "head of it " } },
      want: false,
    },
    { name: "e-mail is not a criterion", after: { ...base, traits: { ...base.traits, email: "b@y.de" } }, want: false },
    {
      name: "same head count, other form",
      after: { ...base, traits: { ...base.traits, companySize: 51 } },
      want: false,
    },
    { name: "head count changed", after: { ...base, traits: { ...base.traits, companySize: 20 } }, want: true },
    { name: "country changed", after: { ...base, traits: { ...base.traits, country: "US" } }, want: true },
    {
      name: "country changed but no persona looks at it",
      after: { ...base, traits: { ...base.traits, country: "US" } },
      personas: [cfo, marketer],
      want: false,
    },
    { name: "topic count crosses a threshold", after: { ...base, topics: { security: 2 } }, want: true },
    { name: "topic count above every threshold", after: { ...base, topics: { security: 7 } }, want: true },
    { name: "new topic crosses min 1", after: { ...base, topics: { security: 1, "LEAD SCORING": 1 } }, want: true },
    { name: "unused topic", after: { ...base, topics: { security: 1, cooking: 4 } }, want: false },
    {
      name: "a disabled persona's criteria do not count",
      after: { ...base, traits: { ...base.traits, seniority: "c-level" } },
      personas: [itLead, { ...cfo, enabled: false }],
      want: false,
    },
  ])("$name → $want", ({ after, personas, want }) => {
    expect(matchInputsChanged(base, after, personas ?? all)).toBe(want);
  });

  it("no false negative: whenever the best persona differs, a change is reported", () => {
    const variants: PersonaSubject[] = [
      base,
      subject({ role: "CFO", seniority: "c-level" }),
      subject({ role: "Marketing lead" }, { "lead scoring": 3 }),
      subject({ role: "Head of IT", companySize: 10, country: "US" }),
      subject({ role: "Head of IT", companySize: 10, country: "US" }, { security: 2 }),
      subject({}),
    ];
    for (const before of variants) {
      for (const after of variants) {
        const differs = matchPersona(before, all)?.personaId !== matchPersona(after, all)?.personaId;
        if (differs) expect(matchInputsChanged(before, after, all)).toBe(true);
      }
    }
  });
});
