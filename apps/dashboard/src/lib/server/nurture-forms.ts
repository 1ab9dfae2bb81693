// The persona, catalogue and track editors' form parsing. Lists are typed as comma-separated text;
// everything is then checked by @leadtrail/nurture's validators (the same checks the nurture job
// applies), and the first problem comes back as a message key plus the form field it belongs to.
import type { ContentItemInput, NurtureTrackInput, PersonaInput } from "@leadtrail/db";
import {
  CONTENT_KINDS,
  type NurtureStep,
  type NurtureValidationError,
  type PersonaCriteria,
  type StepConditions,
  TRACK_PURPOSES,
  validateCatalogue,
  validatePersonas,
  validateTracks,
} from "@leadtrail/nurture";
import { STAGES } from "@leadtrail/scoring";
import type { MessageKey } from "$lib/i18n/index.ts";
import { parseId, strictNumber } from "./input.ts";
import { formText } from "./validate.ts";

/** A parsed form, or the first problem: a message key, the field to mark and the value it had. */
export type FormResult<T> = { ok: true; value: T } | { ok: false; error: MessageKey; field: string };

/** At most this many step rows are read from a track form. */
export const MAX_STEP_ROWS = 12;

/** "a, b,,c" → ["a", "b", "c"]; newlines separate too (URL globs are typed one per line). */
const listOf = (form: FormData, name: string): string[] =>
  formText(form, name)
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter((s) => s !== "");
const optionalNumber = (form: FormData, name: string): number | undefined | null => {
  const raw = formText(form, name);
  if (raw === "") return undefined;
  const n = strictNumber(raw);
  return Number.isFinite(n) ? n : null;
};

const ERROR_KEYS: Record<NurtureValidationError["code"], MessageKey> = {
  required: "nurture.error.required",
  type: "nurture.error.type",
  range: "nurture.error.range",
  duplicate: "nurture.error.duplicate",
  unknown: "nurture.error.unknown",
  too_long: "nurture.error.tooLong",
  empty: "nurture.error.empty",
};

/** Form fields of a track's step rows, by the validator's step field name. */
const STEP_FIELDS: Record<string, string> = {
  contentId: "content",
  stages: "stepStages",
  minScore: "minScore",
  maxScore: "maxScore",
  notConsumed: "notConsumed",
  minDaysSinceLastTouch: "days",
  minDaysSincePreviousStep: "gap",
};

/**
 * Maps a validator path ("[0].criteria.topics[1].min", "[0].steps[2].conditions.minScore") to the
 * form field that holds it; `stepRows` turns a step's position among the filled rows into its row.
 */
function fieldOf(path: string, fields: Record<string, string>, stepRows: readonly number[] = []): string {
  const bare = path.replace(/^\[0\]\.?/, "");
  const step = /^steps\[(\d+)\](\.conditions)?(?:\.(\w+))?/.exec(bare);
  if (step) {
    const name = STEP_FIELDS[step[3] ?? ""] ?? (step[2] ? "minScore" : "content");
    return `${name}_${stepRows[Number(step[1])] ?? step[1]}`;
  }
  for (const [prefix, field] of Object.entries(fields)) if (bare.startsWith(prefix)) return field;
  return bare.split(/[.[]/)[0] || "form";
}

function failure<T>(
  errors: NurtureValidationError[],
  fields: Record<string, string>,
  stepRows?: readonly number[],
): FormResult<T> {
  const first = errors[0];
  return {
    ok: false,
    error: first ? ERROR_KEYS[first.code] : "nurture.error.type",
    field: first ? fieldOf(first.path, fields, stepRows) : "form",
  };
}

const PERSONA_FIELDS: Record<string, string> = {
  "criteria.roles": "roles",
  "criteria.seniorities": "seniorities",
  "criteria.industries": "industries",
  "criteria.companySize": "companySize",
  "criteria.countries": "countries",
  "criteria.regions": "regions",
  "criteria.topics": "topics",
  minMatch: "minMatch",
  defaultContentId: "defaultContent",
  name: "name",
  description: "description",
};

/**
 * Parses the persona form: name, description, criteria lists (comma-separated), company size
 * min/max, topics as `topic` or `topic:min`, the share of criteria that must hold (percent) and the
 * default content for anonymous visitors (one of `contentKeys`).
 */
export function parsePersonaForm(form: FormData, contentKeys: readonly string[]): FormResult<PersonaInput> {
  const criteria: PersonaCriteria & Record<string, unknown> = {};
  for (const key of ["roles", "seniorities", "industries", "regions"] as const) {
    const values = listOf(form, key);
    if (values.length > 0) criteria[key] = values;
  }
  const countries = listOf(form, "countries").map((c) => c.toUpperCase());
  if (countries.length > 0) {
    if (countries.some((c) => !/^[A-Z]{2}$/.test(c)))
      return { ok: false, error: "personas.badCountry", field: "countries" };
    criteria.countries = countries;
  }
  const min = optionalNumber(form, "sizeMin");
  const max = optionalNumber(form, "sizeMax");
  if (min === null) return { ok: false, error: "nurture.error.type", field: "sizeMin" };
  if (max === null) return { ok: false, error: "nurture.error.type", field: "sizeMax" };
  if (min !== undefined || max !== undefined) {
    criteria.companySize = [{ ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) }];
  }
  const topics = listOf(form, "topics").map((entry) => {
    const [topic = "", count] = entry.split(":").map((s) => s.trim());
    return count === undefined ? { topic } : { topic, min: Number(count) };
  });
  if (topics.length > 0) criteria.topics = topics;
  const share = optionalNumber(form, "minMatch");
  if (share === null || (share !== undefined && (share <= 0 || share > 100))) {
    return { ok: false, error: "personas.badMinMatch", field: "minMatch" };
  }
  const minMatch = share === undefined ? 1 : share / 100;
  const defaultContent = formText(form, "defaultContent");
  if (defaultContent !== "" && !contentKeys.includes(defaultContent)) {
    return { ok: false, error: "nurture.error.unknown", field: "defaultContent" };
  }
  const name = formText(form, "name");
  const description = formText(form, "description");
  const persona = {
    id: "p",
    name,
    ...(description ? { description } : {}),
    criteria,
    minMatch,
    ...(defaultContent ? { defaultContentId: defaultContent } : {}),
    enabled: form.get("enabled") !== null,
  };
  const checked = validatePersonas([persona]);
  if (!checked.ok) return failure(checked.errors, PERSONA_FIELDS);
  return {
    ok: true,
    value: {
      name,
      description: description || null,
      criteria,
      weights: {},
      minMatch,
      defaultContentKey: defaultContent || null,
      enabled: persona.enabled,
    },
  };
}

const ITEM_FIELDS: Record<string, string> = {
  id: "key",
  kind: "kind",
  topics: "topics",
  match: "match",
  title: "title",
  href: "href",
};

/** Parses the catalogue item form; `takenKeys` are the site's other items' keys (a key is unique). */
export function parseContentItemForm(form: FormData, takenKeys: readonly string[]): FormResult<ContentItemInput> {
  const key = formText(form, "key").toLowerCase();
  if (takenKeys.includes(key)) return { ok: false, error: "nurture.error.duplicate", field: "key" };
  const kind = formText(form, "kind");
  const title = formText(form, "title");
  const href = formText(form, "href");
  const item = {
    id: key,
    kind: (CONTENT_KINDS as readonly string[]).includes(kind) ? kind : kind || "other",
    topics: listOf(form, "topics").map((t) => t.toLowerCase()),
    match: listOf(form, "match"),
    ...(title ? { title } : {}),
    ...(href ? { href } : {}),
  };
  const checked = validateCatalogue([item]);
  if (!checked.ok) return failure(checked.errors, ITEM_FIELDS);
  return {
    ok: true,
    value: { key, title: title || null, kind: item.kind, topics: item.topics, match: item.match, href: href || null },
  };
}

const TRACK_FIELDS: Record<string, string> = {
  name: "name",
  purpose: "purpose",
  personaId: "persona",
  stages: "stages",
  priority: "priority",
  steps: "steps",
};

/**
 * Parses the track form: name, purpose, persona (empty = every lead), stages, priority, and up to
 * `MAX_STEP_ROWS` step rows `content_i`, `stepId_i` (kept when editing, so progress stays attached),
 * `stepStages_i`, `minScore_i`, `maxScore_i`, `notConsumed_i`, `days_i` (since the last touch) and
 * `gap_i` (since the previous step). Rows without content are skipped; the rest keep their order.
 */
export function parseTrackForm(
  form: FormData,
  refs: { contentKeys: readonly string[]; personaIds: readonly number[] },
): FormResult<NurtureTrackInput> {
  const personaRaw = formText(form, "persona");
  const personaId = personaRaw === "" ? null : parseId(personaRaw);
  if (personaId !== null && (personaId === undefined || !refs.personaIds.includes(personaId))) {
    return { ok: false, error: "nurture.error.unknown", field: "persona" };
  }
  const stages = form.getAll("stages").filter((s): s is string => typeof s === "string");
  const priority = optionalNumber(form, "priority") ?? 0;
  if (priority === null || !Number.isInteger(priority))
    return { ok: false, error: "nurture.error.type", field: "priority" };
  const steps: NurtureStep[] = [];
  const usedIds = new Set<string>();
  for (let i = 0; i < MAX_STEP_ROWS; i++) {
    const id = formText(form, `stepId_${i}`);
    if (id) usedIds.add(id);
  }
  let nextId = 1;
  const freshId = () => {
    while (usedIds.has(`s${nextId}`)) nextId++;
    usedIds.add(`s${nextId}`);
    return `s${nextId}`;
  };
  const rowOf: number[] = [];
  for (let i = 0; i < MAX_STEP_ROWS; i++) {
    const contentId = formText(form, `content_${i}`);
    if (contentId === "") continue;
    const conditions: StepConditions & Record<string, unknown> = {};
    const stepStages = listOf(form, `stepStages_${i}`);
    if (stepStages.length > 0) conditions.stages = stepStages as StepConditions["stages"];
    for (const [field, key] of [
      ["minScore", "minScore"],
      ["maxScore", "maxScore"],
      ["days", "minDaysSinceLastTouch"],
      ["gap", "minDaysSincePreviousStep"],
    ] as const) {
      const n = optionalNumber(form, `${field}_${i}`);
      if (n === null) return { ok: false, error: "nurture.error.type", field: `${field}_${i}` };
      if (n !== undefined) conditions[key] = n;
    }
    const notConsumed = listOf(form, `notConsumed_${i}`);
    if (notConsumed.length > 0) conditions.notConsumed = notConsumed;
    rowOf.push(i);
    steps.push({
      id: formText(form, `stepId_${i}`) || freshId(),
      contentId,
      ...(Object.keys(conditions).length > 0 ? { conditions } : {}),
    });
  }
  const name = formText(form, "name");
  const purpose = formText(form, "purpose") || "nurture";
  const track = {
    id: "t",
    name,
    purpose,
    personaId: personaId === null ? null : String(personaId),
    stages,
    priority,
    steps,
    enabled: form.get("enabled") !== null,
  };
  if (name === "") return { ok: false, error: "nurture.error.required", field: "name" };
  const checked = validateTracks([track], {
    contentIds: refs.contentKeys,
    personaIds: refs.personaIds.map(String),
  });
  if (!checked.ok) return failure(checked.errors, TRACK_FIELDS, rowOf);
  return {
    ok: true,
    value: { name, purpose, personaId, stages, priority, steps, enabled: track.enabled },
  };
}

/** A submitted form's text fields (repeated fields joined by commas), to fill the form again after a refusal. */
export function formValues(form: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of form) {
    if (typeof value !== "string") continue;
    values[key] = key in values ? `${values[key]},${value}` : value.slice(0, 2000);
  }
  return values;
}

/** Stages and purposes the editors offer, in the order they are shown. */
export const TRACK_STAGES = STAGES;
export { CONTENT_KINDS, TRACK_PURPOSES };
