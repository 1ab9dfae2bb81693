/**
 * Persona matching: every lead gets its best-fitting target group, with the reasons. The profile
 * criteria reuse routing's condition logic (territory by country or region, industry, company size)
 * and scoring's trait matching (role substrings, seniority), so a persona and a routing or fit rule
 * written with the same words agree on which leads they mean.
 */
import { buildRegionIndex, failedConditions, type RegionIndex, type RuleConditions } from "@leadtrail/routing";
import type { ProfileTraits } from "@leadtrail/scoring";
import { headCount, traitsMatch } from "@leadtrail/scoring";
import { normTopic } from "./catalogue.ts";
import { CRITERION_KINDS, type CriterionKind, type Persona, type PersonaSubject } from "./types.ts";

/** How one criterion of a persona came out for a lead. */
export interface CriterionResult {
  kind: CriterionKind;
  matched: boolean;
  /** Weight it is worth when matched. */
  weight: number;
  required: boolean;
  /** One sentence for people, e.g. `role "Head of IT" contains "head of"`. */
  detail: string;
}

/** A persona evaluated against one lead. */
export interface PersonaEvaluation {
  personaId: string;
  name: string;
  /** Whether the persona may be assigned: every required criterion holds and `fraction >= minMatch`. */
  qualifies: boolean;
  /** Sum of the weights of the criteria that hold. */
  score: number;
  /** Share of the total weight that holds, 0–1 (1 for a persona without criteria). */
  fraction: number;
  reasons: CriterionResult[];
}

export interface MatchOptions {
  /** Custom regions merged over routing's defaults, as in the routing settings. */
  regions?: Readonly<Record<string, readonly string[]>>;
}

// Topic keys written by different callers may differ in case; they count as one topic.
function topicCounts(subject: PersonaSubject): Map<string, number> {
  const counts = new Map<string, number>();
  for (const [t, c] of Object.entries(subject.topics ?? {}))
    counts.set(normTopic(t), (counts.get(normTopic(t)) ?? 0) + c);
  return counts;
}

const clean = (value: string | undefined): string => value?.trim() ?? "";

function givenKinds(persona: Persona): CriterionKind[] {
  const c = persona.criteria;
  const given: Record<CriterionKind, boolean> = {
    role: c.roles !== undefined,
    seniority: c.seniorities !== undefined,
    industry: c.industries !== undefined,
    companySize: c.companySize !== undefined,
    territory: c.countries !== undefined || c.regions !== undefined,
    topics: c.topics !== undefined,
  };
  return CRITERION_KINDS.filter((kind) => given[kind]);
}

function profileConditionFails(
  conditions: RuleConditions,
  traits: ProfileTraits,
  regions: RegionIndex,
): ReturnType<typeof failedConditions> {
  const employees = headCount(traits.companySize);
  return failedConditions(
    conditions,
    {
      id: "",
      country: traits.country ?? null,
      company: { industry: traits.industry ?? null, employees: employees ?? null },
    },
    regions,
  );
}

/** Whether one criterion holds. Kept apart from the wording so ranking many personas builds no text. */
function criterionHolds(
  kind: CriterionKind,
  persona: Persona,
  subject: PersonaSubject,
  topics: ReadonlyMap<string, number>,
  regions: RegionIndex,
): boolean {
  const c = persona.criteria;
  const t = subject.traits;
  switch (kind) {
    case "role":
      return (
        clean(t.role) !== "" && traitsMatch({ role: (c.roles ?? []).map((r) => r.trim()) }, { role: clean(t.role) }, {})
      );
    case "seniority":
      return (
        clean(t.seniority) !== "" &&
        traitsMatch({ seniority: (c.seniorities ?? []).map((r) => r.trim()) }, { seniority: clean(t.seniority) }, {})
      );
    case "industry":
      return profileConditionFails({ industries: c.industries }, t, regions).length === 0;
    case "companySize":
      return profileConditionFails({ companySize: c.companySize }, t, regions).length === 0;
    case "territory":
      return profileConditionFails({ countries: c.countries ?? [], regions: c.regions ?? [] }, t, regions).length === 0;
    case "topics":
      return (c.topics ?? []).some((tc) => (topics.get(normTopic(tc.topic)) ?? 0) >= (tc.min ?? 1));
  }
}

/** One sentence on a criterion's outcome, for people. */
function describeCriterion(
  kind: CriterionKind,
  matched: boolean,
  persona: Persona,
  subject: PersonaSubject,
  topics: ReadonlyMap<string, number>,
): string {
  const c = persona.criteria;
  const t = subject.traits;
  switch (kind) {
    case "role": {
      if (!clean(t.role)) return "role unknown";
      const wanted = (c.roles ?? []).map((r) => r.trim());
      const hit = wanted.find((r) => clean(t.role).toLowerCase().includes(r.toLowerCase()));
      return matched
        ? `role "${clean(t.role)}" contains "${hit}"`
        : `role "${clean(t.role)}" contains none of ${wanted.join(", ")}`;
    }
    case "seniority":
      if (!clean(t.seniority)) return "seniority unknown";
      return `seniority "${clean(t.seniority)}" ${matched ? "is" : "is not"} one of ${c.seniorities?.join(", ")}`;
    case "industry":
      if (!clean(t.industry)) return "industry unknown";
      return `industry "${clean(t.industry)}" ${matched ? "is" : "is not"} one of ${c.industries?.join(", ")}`;
    case "companySize": {
      const employees = headCount(t.companySize);
      if (employees === undefined) return "company size unknown";
      const ranges = (c.companySize ?? []).map((r) => `${r.min ?? 0}–${r.max ?? "∞"}`).join(", ");
      return `${employees} employees ${matched ? "within" : "outside"} ${ranges}`;
    }
    case "territory": {
      if (!clean(t.country)) return "country unknown";
      const listed = [...(c.countries ?? []), ...(c.regions ?? [])].join(", ");
      return `country ${clean(t.country).toUpperCase()} ${matched ? "in" : "not in"} ${listed}`;
    }
    case "topics": {
      const hit = (c.topics ?? []).find((tc) => (topics.get(normTopic(tc.topic)) ?? 0) >= (tc.min ?? 1));
      if (hit) return `read ${topics.get(normTopic(hit.topic))} × ${normTopic(hit.topic)}`;
      return `has not read ${(c.topics ?? []).map((tc) => `${tc.min ?? 1} × ${normTopic(tc.topic)}`).join(" or ")}`;
    }
  }
}

/** Evaluates one persona for one lead: every criterion with its outcome, the score and whether it qualifies. */
export function evaluatePersona(
  subject: PersonaSubject,
  persona: Persona,
  regions: RegionIndex = buildRegionIndex(),
): PersonaEvaluation {
  return evaluate(subject, topicCounts(subject), persona, regions, true);
}

function evaluate(
  subject: PersonaSubject,
  topics: ReadonlyMap<string, number>,
  persona: Persona,
  regions: RegionIndex,
  explain: boolean,
): PersonaEvaluation {
  const kinds = givenKinds(persona);
  const required = new Set<CriterionKind>(persona.required ?? kinds);
  let total = 0;
  let score = 0;
  const reasons: CriterionResult[] = kinds.map((kind) => {
    const weight = persona.weights?.[kind] ?? 1;
    const matched = criterionHolds(kind, persona, subject, topics, regions);
    const detail = explain ? describeCriterion(kind, matched, persona, subject, topics) : "";
    total += weight;
    if (matched) score += weight;
    return { kind, matched, weight, required: required.has(kind), detail };
  });
  // A persona without criteria (or with zero weights) is a catch-all: it qualifies with score 0.
  const fraction = total > 0 ? score / total : 1;
  const requiredHold = reasons.every((r) => r.matched || !r.required);
  const qualifies = requiredHold && fraction >= (persona.minMatch ?? 1);
  return { personaId: persona.id, name: persona.name, qualifies, score, fraction, reasons };
}

/**
 * Orders evaluations best first. Ties are broken so that the result never depends on the order the
 * personas were loaded in: qualifying before not, higher score, higher fraction (the more specific
 * fit), then the persona id in code-unit order.
 */
function compareEvaluations(a: PersonaEvaluation, b: PersonaEvaluation): number {
  if (a.qualifies !== b.qualifies) return a.qualifies ? -1 : 1;
  if (a.score !== b.score) return b.score - a.score;
  if (a.fraction !== b.fraction) return b.fraction - a.fraction;
  return a.personaId < b.personaId ? -1 : a.personaId > b.personaId ? 1 : 0;
}

/** Every enabled persona evaluated for a lead, best first (for "why this persona, why not that one"). */
export function rankPersonas(
  subject: PersonaSubject,
  personas: readonly Persona[],
  options: MatchOptions = {},
): PersonaEvaluation[] {
  const regions = buildRegionIndex(options.regions);
  const topics = topicCounts(subject);
  return personas
    .filter((p) => p.enabled !== false)
    .map((p) => evaluate(subject, topics, p, regions, true))
    .sort(compareEvaluations);
}

/**
 * The lead's best persona, or null when none qualifies. Best = highest score (sum of the weights of the
 * criteria that hold); ties go to the higher matched share, then to the smaller persona id.
 */
export function matchPersona(
  subject: PersonaSubject,
  personas: readonly Persona[],
  options: MatchOptions = {},
): PersonaEvaluation | null {
  const regions = buildRegionIndex(options.regions);
  const topics = topicCounts(subject);
  let best: PersonaEvaluation | null = null;
  let bestPersona: Persona | null = null;
  for (const persona of personas) {
    if (persona.enabled === false) continue;
    const evaluation = evaluate(subject, topics, persona, regions, false);
    if (evaluation.qualifies && (best === null || compareEvaluations(evaluation, best) < 0)) {
      best = evaluation;
      bestPersona = persona;
    }
  }
  // Only the winner's reasons are worded: matching runs for every lead, the wording is read for one.
  return bestPersona === null ? null : evaluate(subject, topics, bestPersona, regions, true);
}

/**
 * Whether a change of profile or behaviour can change the persona match, so the caller re-matches (and
 * writes) only then. Conservative: it never says false when the match could change, and it may say
 * true when a changed field leaves the result as it was. Topic counts matter only when they cross a
 * threshold some persona uses, so reading the hundredth blog post does not trigger a re-match.
 */
export function matchInputsChanged(
  before: PersonaSubject,
  after: PersonaSubject,
  personas: readonly Persona[],
): boolean {
  const used = new Set<CriterionKind>();
  const thresholds: { topic: string; min: number }[] = [];
  for (const persona of personas) {
    if (persona.enabled === false) continue;
    for (const kind of givenKinds(persona)) used.add(kind);
    for (const tc of persona.criteria.topics ?? []) thresholds.push({ topic: normTopic(tc.topic), min: tc.min ?? 1 });
  }
  const lower = (v: string | undefined) => clean(v).toLowerCase();
  const b = before.traits;
  const a = after.traits;
  if (used.has("role") && lower(b.role) !== lower(a.role)) return true;
  if (used.has("seniority") && lower(b.seniority) !== lower(a.seniority)) return true;
  if (used.has("industry") && lower(b.industry) !== lower(a.industry)) return true;
  if (used.has("companySize") && headCount(b.companySize) !== headCount(a.companySize)) return true;
  if (used.has("territory") && lower(b.country) !== lower(a.country)) return true;
  const was = topicCounts(before);
  const is = topicCounts(after);
  return thresholds.some(({ topic, min }) => (was.get(topic) ?? 0) >= min !== (is.get(topic) ?? 0) >= min);
}
