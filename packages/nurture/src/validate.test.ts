import { describe, expect, it } from "vitest";
import type { ContentItem, NurtureTrack, Persona } from "./types.ts";
import { validateCatalogue, validatePersonas, validateTracks } from "./validate.ts";

const persona: Persona = {
  id: "it-lead",
  name: "IT lead",
  criteria: {
    roles: ["cto"],
    regions: ["DACH"],
    companySize: [{ min: 50, max: 5000 }],
    topics: [{ topic: "security", min: 2 }],
  },
  weights: { role: 3 },
  required: ["role"],
  minMatch: 0.5,
};
const track: NurtureTrack = {
  id: "t-it",
  personaId: "it-lead",
  stages: ["lead", "nurture"],
  steps: [
    { id: "s1", contentId: "blog" },
    {
      id: "s2",
      contentId: "wp",
      conditions: { minScore: 10, maxScore: 50, notConsumed: ["blog"], minDaysSinceLastTouch: 7 },
    },
  ],
};
const item: ContentItem = { id: "blog", kind: "blog", topics: ["security"], match: ["/blog/*"] };

/** The [path, code] pairs of a result, or [] when valid. */
const problems = (r: { ok: true } | { ok: false; errors: { path: string; code: string }[] }) =>
  r.ok ? [] : r.errors.map((e) => [e.path, e.code]);

describe("validatePersonas", () => {
  it.each<{ name: string; input: unknown; want: [string, string][] }>([
    { name: "valid", input: [persona, { id: "all", name: "Everyone", criteria: {} }], want: [] },
    { name: "not a list", input: { persona }, want: [["", "type"]] },
    { name: "duplicate id", input: [persona, persona], want: [["[1].id", "duplicate"]] },
    { name: "bad id", input: [{ ...persona, id: "IT Lead" }], want: [["[0].id", "type"]] },
    { name: "missing name", input: [{ ...persona, name: " " }], want: [["[0].name", "required"]] },
    { name: "missing criteria", input: [{ id: "x", name: "X" }], want: [["[0].criteria", "required"]] },
    {
      name: "unknown criterion",
      input: [{ ...persona, criteria: { titles: ["cto"] } }],
      want: [
        ["[0].criteria.titles", "unknown"],
        ["[0].required[0]", "required"],
      ],
    },
    {
      name: "empty list",
      input: [{ ...persona, criteria: { ...persona.criteria, roles: [] } }],
      want: [["[0].criteria.roles", "empty"]],
    },
    {
      name: "unknown region",
      input: [{ ...persona, criteria: { ...persona.criteria, regions: ["MARS"] } }],
      want: [["[0].criteria.regions[0]", "unknown"]],
    },
    {
      name: "size range inverted",
      input: [{ ...persona, criteria: { ...persona.criteria, companySize: [{ min: 10, max: 5 }] } }],
      want: [["[0].criteria.companySize[0]", "range"]],
    },
    {
      name: "topic min 0",
      input: [{ ...persona, criteria: { ...persona.criteria, topics: [{ topic: "x", min: 0 }] } }],
      want: [["[0].criteria.topics[0].min", "range"]],
    },
    { name: "negative weight", input: [{ ...persona, weights: { role: -1 } }], want: [["[0].weights.role", "range"]] },
    {
      name: "weight of unknown kind",
      input: [{ ...persona, weights: { mood: 1 } }],
      want: [["[0].weights.mood", "unknown"]],
    },
    {
      name: "required kind not given",
      input: [{ ...persona, required: ["industry"] }],
      want: [["[0].required[0]", "required"]],
    },
    { name: "minMatch out of range", input: [{ ...persona, minMatch: 1.5 }], want: [["[0].minMatch", "range"]] },
    { name: "unknown field", input: [{ ...persona, colour: "red" }], want: [["[0].colour", "unknown"]] },
  ])("$name", ({ input, want }) => {
    expect(problems(validatePersonas(input))).toEqual(want);
  });

  it("accepts regions from the routing settings", () => {
    const alpine = [{ ...persona, criteria: { regions: ["alps"] }, required: [] }];
    expect(validatePersonas(alpine).ok).toBe(false);
    expect(validatePersonas(alpine, { regions: { ALPS: ["CH"] } }).ok).toBe(true);
  });
});

describe("validateTracks", () => {
  const refs = { contentIds: ["blog", "wp"], personaIds: ["it-lead"] };
  const step2 = track.steps[1] as NurtureTrack["steps"][number];
  it.each<{ name: string; input: unknown; want: [string, string][] }>([
    {
      name: "valid",
      input: [track, { ...track, id: "generic", personaId: null, stages: ["won"], purpose: "onboarding" }],
      want: [],
    },
    { name: "unknown persona", input: [{ ...track, personaId: "cfo" }], want: [["[0].personaId", "unknown"]] },
    { name: "unknown stage", input: [{ ...track, stages: ["customer"] }], want: [["[0].stages[0]", "unknown"]] },
    { name: "no stages", input: [{ ...track, stages: [] }], want: [["[0].stages", "empty"]] },
    { name: "no steps", input: [{ ...track, steps: [] }], want: [["[0].steps", "empty"]] },
    {
      name: "duplicate step id",
      input: [{ ...track, steps: [track.steps[0], { ...step2, id: "s1" }] }],
      want: [["[0].steps[1].id", "duplicate"]],
    },
    {
      name: "unknown content",
      input: [{ ...track, steps: [{ id: "s1", contentId: "nope" }] }],
      want: [["[0].steps[0].contentId", "unknown"]],
    },
    {
      name: "score bounds inverted and a negative pause",
      input: [
        { ...track, steps: [{ ...step2, conditions: { minScore: 9, maxScore: 1, minDaysSincePreviousStep: -1 } }] },
      ],
      want: [
        ["[0].steps[0].conditions", "range"],
        ["[0].steps[0].conditions.minDaysSincePreviousStep", "range"],
      ],
    },
    {
      name: "unknown condition",
      input: [{ ...track, steps: [{ ...step2, conditions: { weekday: "mon" } }] }],
      want: [["[0].steps[0].conditions.weekday", "unknown"]],
    },
    { name: "unknown purpose", input: [{ ...track, purpose: "spam" }], want: [["[0].purpose", "unknown"]] },
  ])("$name", ({ input, want }) => {
    expect(problems(validateTracks(input, refs))).toEqual(want);
  });

  it("without references, ids are not checked against a catalogue", () => {
    expect(validateTracks([{ ...track, personaId: "cfo" }]).ok).toBe(true);
  });
});

describe("validateCatalogue", () => {
  it.each<{ name: string; input: unknown; want: [string, string][] }>([
    {
      name: "valid",
      input: [
        item,
        { id: "web", kind: "webinar", topics: ["x"], match: ["https://ev.example/w*"], href: "https://ev.example/w" },
      ],
      want: [],
    },
    { name: "unknown kind", input: [{ ...item, kind: "podcast" }], want: [["[0].kind", "unknown"]] },
    { name: "no topics", input: [{ ...item, topics: [] }], want: [["[0].topics", "empty"]] },
    { name: "pattern neither path nor URL", input: [{ ...item, match: ["blog/*"] }], want: [["[0].match[0]", "type"]] },
    { name: "javascript href", input: [{ ...item, href: "javascript:alert(1)" }], want: [["[0].href", "type"]] },
  ])("$name", ({ input, want }) => {
    expect(problems(validateCatalogue(input))).toEqual(want);
  });
});
