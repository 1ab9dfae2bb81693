/**
 * Checks for untrusted personas, tracks and catalogues (from the dashboard's editors or the database).
 * Each returns every problem found, addressed by a path ("[2].criteria.topics[0].min"), and never throws,
 * so an editor can mark all fields at once.
 */
import { knownRegions } from "@leadtrail/routing";
import { STAGES } from "@leadtrail/scoring";
import {
  CONTENT_KINDS,
  type ContentItem,
  CRITERION_KINDS,
  type NurtureTrack,
  type Persona,
  TRACK_PURPOSES,
} from "./types.ts";

/** One problem, addressed by a JSON-ish path. */
export interface NurtureValidationError {
  path: string;
  code: "required" | "type" | "range" | "duplicate" | "unknown" | "too_long" | "empty";
  message: string;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; errors: NurtureValidationError[] };

/** Size limits that keep matching cheap enough to run on every profile change. */
export const NURTURE_LIMITS = {
  personas: 200,
  tracks: 200,
  stepsPerTrack: 50,
  catalogue: 5000,
  valuesPerList: 100,
  stringLength: 200,
} as const;

const ID_PATTERN = /^[a-z0-9][a-z0-9_.-]{0,63}$/;
const CRITERIA_KEYS = new Set(["roles", "seniorities", "industries", "companySize", "countries", "regions", "topics"]);
const PERSONA_KEYS = new Set([
  "id",
  "name",
  "description",
  "criteria",
  "weights",
  "required",
  "minMatch",
  "defaultContentId",
  "enabled",
]);
const CONDITION_KEYS = new Set([
  "stages",
  "minScore",
  "maxScore",
  "notConsumed",
  "minDaysSinceLastTouch",
  "minDaysSincePreviousStep",
]);

const CRITERION_FIELDS: Record<string, readonly string[]> = {
  role: ["roles"],
  seniority: ["seniorities"],
  industry: ["industries"],
  companySize: ["companySize"],
  territory: ["countries", "regions"],
  topics: ["topics"],
};

function givenCriterion(criteria: Record<string, unknown>, kind: string): boolean {
  return (CRITERION_FIELDS[kind] ?? []).some((field) => criteria[field] !== undefined);
}

type Report = (path: string, code: NurtureValidationError["code"], message: string) => void;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isFiniteNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

function collector(): { errors: NurtureValidationError[]; err: Report } {
  const errors: NurtureValidationError[] = [];
  return { errors, err: (path, code, message) => errors.push({ path, code, message }) };
}

function checkString(v: unknown, p: string, err: Report, required = true): void {
  if (v === undefined && !required) return;
  if (typeof v !== "string" || v.trim() === "")
    err(p, required ? "required" : "type", `${p} must be a non-empty text.`);
  else if (v.length > NURTURE_LIMITS.stringLength)
    err(p, "too_long", `${p} must be at most ${NURTURE_LIMITS.stringLength} characters.`);
}

function checkStringList(v: unknown, p: string, err: Report): void {
  if (!Array.isArray(v)) {
    err(p, "type", `${p} must be a list of texts.`);
    return;
  }
  if (v.length === 0) err(p, "empty", `${p} must list at least one value (leave it out to ignore it).`);
  if (v.length > NURTURE_LIMITS.valuesPerList) err(p, "too_long", `At most ${NURTURE_LIMITS.valuesPerList} values.`);
  v.forEach((x, i) => {
    checkString(x, `${p}[${i}]`, err);
  });
}

function checkIds<T>(list: unknown[], p: (i: number) => string, err: Report, get: (x: T) => unknown): void {
  const seen = new Set<string>();
  list.forEach((x, i) => {
    const id = isObject(x) ? get(x as T) : undefined;
    if (typeof id !== "string" || !ID_PATTERN.test(id)) {
      err(`${p(i)}.id`, "type", "id must be 1–64 lower-case letters, digits, '-', '_' or '.'.");
    } else if (seen.has(id)) err(`${p(i)}.id`, "duplicate", `id "${id}" is used twice.`);
    else seen.add(id);
  });
}

/**
 * Validates personas. `regions` are the custom regions of the routing settings, so a persona may use
 * any region routing knows.
 */
export function validatePersonas(
  input: unknown,
  options: { regions?: Readonly<Record<string, readonly string[]>> } = {},
): Validated<Persona[]> {
  const { errors, err } = collector();
  if (!Array.isArray(input))
    return { ok: false, errors: [{ path: "", code: "type", message: "Personas must be a list." }] };
  if (input.length > NURTURE_LIMITS.personas) err("", "too_long", `At most ${NURTURE_LIMITS.personas} personas.`);
  const regions = knownRegions(options.regions);
  checkIds<Persona>(
    input,
    (i) => `[${i}]`,
    err,
    (p) => p.id,
  );
  input.forEach((persona, i) => {
    const p = `[${i}]`;
    if (!isObject(persona)) {
      err(p, "type", "A persona must be an object.");
      return;
    }
    for (const k of Object.keys(persona))
      if (!PERSONA_KEYS.has(k)) err(`${p}.${k}`, "unknown", `Unknown field "${k}".`);
    checkString(persona.name, `${p}.name`, err);
    checkString(persona.description, `${p}.description`, err, false);
    checkString(persona.defaultContentId, `${p}.defaultContentId`, err, false);
    if (persona.enabled !== undefined && typeof persona.enabled !== "boolean")
      err(`${p}.enabled`, "type", "enabled must be true or false.");
    const c = persona.criteria;
    if (!isObject(c)) {
      err(`${p}.criteria`, "required", "criteria must be an object (empty for a catch-all persona).");
      return;
    }
    for (const k of Object.keys(c))
      if (!CRITERIA_KEYS.has(k)) err(`${p}.criteria.${k}`, "unknown", `Unknown criterion "${k}".`);
    for (const k of ["roles", "seniorities", "industries", "countries", "regions"] as const) {
      if (c[k] !== undefined) checkStringList(c[k], `${p}.criteria.${k}`, err);
    }
    if (Array.isArray(c.regions)) {
      c.regions.forEach((r, j) => {
        if (typeof r === "string" && r.trim() !== "" && !regions.has(r.trim().toUpperCase()))
          err(`${p}.criteria.regions[${j}]`, "unknown", `Unknown region "${r}".`);
      });
    }
    if (c.companySize !== undefined) {
      if (!Array.isArray(c.companySize) || c.companySize.length === 0)
        err(`${p}.criteria.companySize`, "type", "companySize must be a non-empty list of {min, max} ranges.");
      else
        c.companySize.forEach((r, j) => {
          const q = `${p}.criteria.companySize[${j}]`;
          if (!isObject(r) || (r.min === undefined && r.max === undefined)) {
            err(q, "type", "A size range needs min and/or max.");
            return;
          }
          for (const b of ["min", "max"] as const) {
            if (r[b] !== undefined && (!isFiniteNumber(r[b]) || r[b] < 0))
              err(`${q}.${b}`, "range", `${b} must be a non-negative number.`);
          }
          if (isFiniteNumber(r.min) && isFiniteNumber(r.max) && r.min > r.max)
            err(q, "range", "min must not exceed max.");
        });
    }
    if (c.topics !== undefined) {
      if (!Array.isArray(c.topics) || c.topics.length === 0)
        err(`${p}.criteria.topics`, "type", "topics must be a non-empty list of {topic, min}.");
      else
        c.topics.forEach((t, j) => {
          const q = `${p}.criteria.topics[${j}]`;
          if (!isObject(t)) {
            err(q, "type", "A topic criterion must be an object.");
            return;
          }
          checkString(t.topic, `${q}.topic`, err);
          if (t.min !== undefined && (!Number.isInteger(t.min) || (t.min as number) < 1))
            err(`${q}.min`, "range", "min must be a whole number of at least 1.");
        });
    }
    const kinds = new Set<string>(CRITERION_KINDS);
    if (persona.weights !== undefined) {
      if (!isObject(persona.weights)) err(`${p}.weights`, "type", "weights must be an object of numbers.");
      else
        for (const [k, w] of Object.entries(persona.weights)) {
          if (!kinds.has(k)) err(`${p}.weights.${k}`, "unknown", `Unknown criterion "${k}".`);
          else if (!isFiniteNumber(w) || w < 0 || w > 100)
            err(`${p}.weights.${k}`, "range", "A weight must be a number from 0 to 100.");
        }
    }
    if (persona.required !== undefined) {
      if (!Array.isArray(persona.required)) err(`${p}.required`, "type", "required must be a list of criterion kinds.");
      else
        persona.required.forEach((k, j) => {
          if (typeof k !== "string" || !kinds.has(k))
            err(`${p}.required[${j}]`, "unknown", `Unknown criterion "${String(k)}".`);
          else if (!givenCriterion(c, k))
            err(`${p}.required[${j}]`, "required", `"${k}" is required but the persona gives no values for it.`);
        });
    }
    if (
      persona.minMatch !== undefined &&
      (!isFiniteNumber(persona.minMatch) || persona.minMatch <= 0 || persona.minMatch > 1)
    )
      err(`${p}.minMatch`, "range", "minMatch must be a share above 0 and at most 1.");
  });
  return errors.length === 0 ? { ok: true, value: input as Persona[] } : { ok: false, errors };
}

/**
 * Validates nurture tracks. With `contentIds` (the catalogue's ids) and `personaIds`, references to
 * unknown content or personas are errors too.
 */
export function validateTracks(
  input: unknown,
  refs: { contentIds?: Iterable<string>; personaIds?: Iterable<string> } = {},
): Validated<NurtureTrack[]> {
  const { errors, err } = collector();
  if (!Array.isArray(input))
    return { ok: false, errors: [{ path: "", code: "type", message: "Tracks must be a list." }] };
  if (input.length > NURTURE_LIMITS.tracks) err("", "too_long", `At most ${NURTURE_LIMITS.tracks} tracks.`);
  const contentIds = refs.contentIds === undefined ? null : new Set(refs.contentIds);
  const personaIds = refs.personaIds === undefined ? null : new Set(refs.personaIds);
  const stages = new Set<string>(STAGES);
  const checkStages = (v: unknown, p: string) => {
    if (!Array.isArray(v) || v.length === 0) err(p, "empty", "List at least one stage.");
    else
      v.forEach((s, j) => {
        if (typeof s !== "string" || !stages.has(s)) err(`${p}[${j}]`, "unknown", `Unknown stage "${String(s)}".`);
      });
  };
  const checkContent = (v: unknown, p: string) => {
    checkString(v, p, err);
    if (typeof v === "string" && contentIds !== null && !contentIds.has(v))
      err(p, "unknown", `Unknown content "${v}".`);
  };
  checkIds<NurtureTrack>(
    input,
    (i) => `[${i}]`,
    err,
    (t) => t.id,
  );
  input.forEach((track, i) => {
    const p = `[${i}]`;
    if (!isObject(track)) {
      err(p, "type", "A track must be an object.");
      return;
    }
    checkString(track.name, `${p}.name`, err, false);
    if (track.purpose !== undefined && !(TRACK_PURPOSES as readonly unknown[]).includes(track.purpose))
      err(`${p}.purpose`, "unknown", `purpose must be one of ${TRACK_PURPOSES.join(", ")}.`);
    if (track.personaId !== null) {
      checkString(track.personaId, `${p}.personaId`, err);
      if (typeof track.personaId === "string" && personaIds !== null && !personaIds.has(track.personaId))
        err(`${p}.personaId`, "unknown", `Unknown persona "${track.personaId}".`);
    }
    checkStages(track.stages, `${p}.stages`);
    if (track.priority !== undefined && !Number.isInteger(track.priority))
      err(`${p}.priority`, "type", "priority must be a whole number.");
    if (track.enabled !== undefined && typeof track.enabled !== "boolean")
      err(`${p}.enabled`, "type", "enabled must be true or false.");
    if (!Array.isArray(track.steps) || track.steps.length === 0) {
      err(`${p}.steps`, "empty", "A track needs at least one step.");
      return;
    }
    if (track.steps.length > NURTURE_LIMITS.stepsPerTrack)
      err(`${p}.steps`, "too_long", `At most ${NURTURE_LIMITS.stepsPerTrack} steps.`);
    checkIds<{ id: unknown }>(
      track.steps,
      (j) => `${p}.steps[${j}]`,
      err,
      (s) => s.id,
    );
    track.steps.forEach((step, j) => {
      const q = `${p}.steps[${j}]`;
      if (!isObject(step)) {
        err(q, "type", "A step must be an object.");
        return;
      }
      checkContent(step.contentId, `${q}.contentId`);
      const c = step.conditions;
      if (c === undefined) return;
      if (!isObject(c)) {
        err(`${q}.conditions`, "type", "conditions must be an object.");
        return;
      }
      for (const k of Object.keys(c))
        if (!CONDITION_KEYS.has(k)) err(`${q}.conditions.${k}`, "unknown", `Unknown condition "${k}".`);
      if (c.stages !== undefined) checkStages(c.stages, `${q}.conditions.stages`);
      for (const k of ["minScore", "maxScore"] as const) {
        if (c[k] !== undefined && !isFiniteNumber(c[k])) err(`${q}.conditions.${k}`, "type", `${k} must be a number.`);
      }
      if (isFiniteNumber(c.minScore) && isFiniteNumber(c.maxScore) && c.minScore > c.maxScore)
        err(`${q}.conditions`, "range", "minScore must not exceed maxScore.");
      for (const k of ["minDaysSinceLastTouch", "minDaysSincePreviousStep"] as const) {
        if (c[k] !== undefined && (!isFiniteNumber(c[k]) || c[k] < 0 || c[k] > 3650))
          err(`${q}.conditions.${k}`, "range", `${k} must be from 0 to 3650 days.`);
      }
      if (c.notConsumed !== undefined) {
        if (!Array.isArray(c.notConsumed))
          err(`${q}.conditions.notConsumed`, "type", "notConsumed must be a list of content ids.");
        else
          c.notConsumed.forEach((id, k) => {
            checkContent(id, `${q}.conditions.notConsumed[${k}]`);
          });
      }
    });
  });
  return errors.length === 0 ? { ok: true, value: input as NurtureTrack[] } : { ok: false, errors };
}

/** Validates a content catalogue: ids, kinds, topics and at least one match pattern per item. */
export function validateCatalogue(input: unknown): Validated<ContentItem[]> {
  const { errors, err } = collector();
  if (!Array.isArray(input))
    return { ok: false, errors: [{ path: "", code: "type", message: "The catalogue must be a list." }] };
  if (input.length > NURTURE_LIMITS.catalogue) err("", "too_long", `At most ${NURTURE_LIMITS.catalogue} items.`);
  checkIds<ContentItem>(
    input,
    (i) => `[${i}]`,
    err,
    (c) => c.id,
  );
  input.forEach((item, i) => {
    const p = `[${i}]`;
    if (!isObject(item)) {
      err(p, "type", "A content item must be an object.");
      return;
    }
    if (!(CONTENT_KINDS as readonly unknown[]).includes(item.kind))
      err(`${p}.kind`, "unknown", `kind must be one of ${CONTENT_KINDS.join(", ")}.`);
    checkStringList(item.topics, `${p}.topics`, err);
    checkStringList(item.match, `${p}.match`, err);
    if (Array.isArray(item.match)) {
      item.match.forEach((m, j) => {
        if (typeof m === "string" && m.trim() !== "" && !m.startsWith("/") && !/^https?:\/\//i.test(m))
          err(`${p}.match[${j}]`, "type", 'A pattern is a path starting with "/" or an http(s) URL.');
      });
    }
    checkString(item.title, `${p}.title`, err, false);
    if (item.href !== undefined) {
      checkString(item.href, `${p}.href`, err);
      if (typeof item.href === "string" && !item.href.startsWith("/") && !/^https?:\/\//i.test(item.href))
        err(`${p}.href`, "type", "href must be a path or an http(s) URL.");
    }
  });
  return errors.length === 0 ? { ok: true, value: input as ContentItem[] } : { ok: false, errors };
}
