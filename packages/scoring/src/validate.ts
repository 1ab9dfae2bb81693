import type { RuleSet } from "./types.ts";

/** One problem in a rule set, addressed by a JSON-ish path ("rules[3].caps.perDay"). */
export interface ValidationError {
  path: string;
  code: "required" | "type" | "range" | "duplicate" | "unknown" | "too_long" | "empty";
  message: string;
}

export type ValidationResult = { ok: true; ruleSet: RuleSet } | { ok: false; errors: ValidationError[] };

/** Limits that keep a rule set small enough to match on every event in the write transaction. */
export const RULE_LIMITS = {
  rules: 500,
  patternsPerRule: 20,
  valuesPerList: 100,
  stringLength: 200,
  cap: 1000,
  points: 10_000,
  minHalfLifeDays: 1 / 24,
  maxHalfLifeDays: 3650,
} as const;

const EVENT_MATCH_KEYS = new Set(["type", "name", "path", "url", "props", "campaign", "code", "returningVisit"]);
const TRAIT_MATCH_KEYS = new Set(["role", "seniority", "industry", "country", "companySize", "emailDomain", "traits"]);
const TRAIT_KEY_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;
const UTM_KEYS = new Set(["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"]);
const CAP_KEYS = new Set(["once", "perDay", "total"]);
const ID_PATTERN = /^[a-z0-9][a-z0-9_.-]{0,63}$/;

/**
 * Checks an untrusted rule set (from the rules editor or the database) and returns every problem
 * found rather than throwing at the first, so the editor can mark all fields at once.
 */
export function validateRuleSet(input: unknown): ValidationResult {
  const errors: ValidationError[] = [];
  const err = (path: string, code: ValidationError["code"], message: string) => errors.push({ path, code, message });

  if (!isObject(input))
    return { ok: false, errors: [{ path: "", code: "type", message: "A rule set must be an object." }] };
  if (!Number.isInteger(input.version) || (input.version as number) < 1)
    err("version", "range", "version must be a positive integer.");
  const h = input.halfLifeDays;
  if (h !== null && (typeof h !== "number" || !Number.isFinite(h))) {
    err("halfLifeDays", "type", "halfLifeDays must be a number of days or null (no decay).");
  } else if (typeof h === "number" && (h < RULE_LIMITS.minHalfLifeDays || h > RULE_LIMITS.maxHalfLifeDays)) {
    err("halfLifeDays", "range", "halfLifeDays must be between one hour and ten years.");
  }
  if (!isFiniteNumber(input.mqlThreshold) || (input.mqlThreshold as number) <= 0)
    err("mqlThreshold", "range", "mqlThreshold must be a positive number.");
  if (input.dayOffsetMinutes !== undefined) {
    const o = input.dayOffsetMinutes;
    if (!Number.isInteger(o) || Math.abs(o as number) > 14 * 60)
      err("dayOffsetMinutes", "range", "dayOffsetMinutes must be a whole number of minutes within ±14 hours.");
  }
  for (const key of ["competitorDomains", "freeMailDomains"] as const) {
    if (input[key] !== undefined) checkStringList(input[key], key, err, true);
  }
  checkGrades(input.grades, err);

  if (!Array.isArray(input.rules)) {
    err("rules", "type", "rules must be a list.");
  } else {
    if (input.rules.length > RULE_LIMITS.rules) err("rules", "too_long", `At most ${RULE_LIMITS.rules} rules.`);
    const ids = new Set<string>();
    input.rules.forEach((rule, i) => {
      checkRule(rule, `rules[${i}]`, err);
      if (isObject(rule) && typeof rule.id === "string" && ID_PATTERN.test(rule.id)) {
        if (ids.has(rule.id)) err(`rules[${i}].id`, "duplicate", `Rule id "${rule.id}" is used twice.`);
        ids.add(rule.id);
      }
    });
  }
  return errors.length === 0 ? { ok: true, ruleSet: input as unknown as RuleSet } : { ok: false, errors };
}

type Report = (path: string, code: ValidationError["code"], message: string) => void;

/**
 * Checks one untrusted rule on its own. Paths are relative to the rule ("points", "match.path",
 * "caps.perDay"): the rule builder names its form fields the same way and shows each error beside
 * its field. Duplicate ids are a rule-set matter (`validateRuleSet`).
 */
export function validateRule(input: unknown): ValidationError[] {
  const errors: ValidationError[] = [];
  checkRule(input, "", (path, code, message) => errors.push({ path, code, message }));
  return errors;
}

const at = (p: string, k: string) => (p === "" ? k : `${p}.${k}`);

function checkRule(rule: unknown, p: string, err: Report): void {
  if (!isObject(rule)) {
    err(p, "type", "A rule must be an object.");
    return;
  }
  if (typeof rule.id !== "string" || !ID_PATTERN.test(rule.id))
    err(at(p, "id"), "type", "id must be 1–64 lower-case letters, digits, '-', '_' or '.'.");
  if (!isObject(rule.label)) err(at(p, "label"), "required", "label needs an English and a German text.");
  else {
    for (const lang of ["en", "de"] as const) checkString(rule.label[lang], at(p, `label.${lang}`), err, true);
  }
  if (!isFiniteNumber(rule.points) || rule.points === 0 || Math.abs(rule.points as number) > RULE_LIMITS.points)
    err(at(p, "points"), "range", `points must be non-zero and within ±${RULE_LIMITS.points}.`);
  if (rule.enabled !== undefined && typeof rule.enabled !== "boolean")
    err(at(p, "enabled"), "type", "enabled must be true or false.");
  if (rule.kind === "engagement") {
    const patterns = Array.isArray(rule.match) ? rule.match : [rule.match];
    if (patterns.length === 0) err(at(p, "match"), "empty", "match needs at least one pattern.");
    if (patterns.length > RULE_LIMITS.patternsPerRule)
      err(at(p, "match"), "too_long", `At most ${RULE_LIMITS.patternsPerRule} patterns.`);
    patterns.forEach((m, j) => {
      checkEventMatch(m, Array.isArray(rule.match) ? `${at(p, "match")}[${j}]` : at(p, "match"), err);
    });
    if (rule.caps !== undefined) checkCaps(rule.caps, at(p, "caps"), err);
  } else if (rule.kind === "fit") {
    checkTraitMatch(rule.match, at(p, "match"), err);
    if (rule.caps !== undefined)
      err(at(p, "caps"), "unknown", "Fit rules have no caps: fit is recomputed from the profile.");
  } else {
    err(at(p, "kind"), "type", 'kind must be "engagement" or "fit".');
  }
}

function checkEventMatch(m: unknown, p: string, err: Report): void {
  if (!isObject(m)) {
    err(p, "type", "A match pattern must be an object.");
    return;
  }
  const keys = Object.keys(m);
  if (keys.length === 0) err(p, "empty", "An empty pattern would match every event.");
  for (const k of keys) if (!EVENT_MATCH_KEYS.has(k)) err(`${p}.${k}`, "unknown", `Unknown match field "${k}".`);
  for (const k of ["type", "name", "path", "url", "code"] as const) {
    if (m[k] !== undefined) checkStringOrList(m[k], `${p}.${k}`, err);
  }
  if (m.props !== undefined) {
    if (!isObject(m.props)) err(`${p}.props`, "type", "props must be an object of values.");
    else
      for (const [k, v] of Object.entries(m.props)) {
        if (!["string", "number", "boolean"].includes(typeof v))
          err(`${p}.props.${k}`, "type", "A property value must be a string, number or boolean.");
      }
  }
  if (m.campaign !== undefined) {
    if (!isObject(m.campaign)) err(`${p}.campaign`, "type", "campaign must be an object of UTM values.");
    else
      for (const [k, v] of Object.entries(m.campaign)) {
        if (!UTM_KEYS.has(k)) err(`${p}.campaign.${k}`, "unknown", `Unknown UTM parameter "${k}".`);
        else checkStringOrList(v, `${p}.campaign.${k}`, err);
      }
  }
  if (m.returningVisit !== undefined && typeof m.returningVisit !== "boolean")
    err(`${p}.returningVisit`, "type", "returningVisit must be true or false.");
}

function checkTraitMatch(m: unknown, p: string, err: Report): void {
  if (!isObject(m)) {
    err(p, "type", "A fit match must be an object.");
    return;
  }
  const keys = Object.keys(m);
  if (keys.length === 0) err(p, "empty", "An empty condition would match every lead.");
  for (const k of keys) if (!TRAIT_MATCH_KEYS.has(k)) err(`${p}.${k}`, "unknown", `Unknown trait "${k}".`);
  for (const k of ["role", "seniority", "industry", "country"] as const) {
    if (m[k] !== undefined) checkStringList(m[k], `${p}.${k}`, err);
  }
  if (m.companySize !== undefined) {
    const s = m.companySize;
    if (!isObject(s) || (s.min === undefined && s.max === undefined))
      err(`${p}.companySize`, "type", "companySize needs min and/or max.");
    else {
      if (s.min !== undefined && (!isFiniteNumber(s.min) || (s.min as number) < 0))
        err(`${p}.companySize.min`, "range", "min must be a non-negative number.");
      if (s.max !== undefined && (!isFiniteNumber(s.max) || (s.max as number) < 0))
        err(`${p}.companySize.max`, "range", "max must be a non-negative number.");
      if (isFiniteNumber(s.min) && isFiniteNumber(s.max) && (s.min as number) > (s.max as number))
        err(`${p}.companySize`, "range", "min must not exceed max.");
    }
  }
  if (m.traits !== undefined) {
    if (!isObject(m.traits) || Object.keys(m.traits).length === 0)
      err(`${p}.traits`, "type", "traits needs at least one trait name with a list of values.");
    else {
      if (Object.keys(m.traits).length > RULE_LIMITS.patternsPerRule)
        err(`${p}.traits`, "too_long", `At most ${RULE_LIMITS.patternsPerRule} custom traits.`);
      for (const [k, values] of Object.entries(m.traits)) {
        if (!TRAIT_KEY_PATTERN.test(k))
          err(`${p}.traits.${k}`, "type", "A trait name is 1–64 letters, digits, '_', '-' or '.'.");
        else checkStringList(values, `${p}.traits.${k}`, err);
      }
    }
  }
  if (m.emailDomain !== undefined && !["free", "competitor", "business"].includes(m.emailDomain as string))
    err(`${p}.emailDomain`, "type", 'emailDomain must be "free", "competitor" or "business".');
}

function checkCaps(c: unknown, p: string, err: Report): void {
  if (!isObject(c)) {
    err(p, "type", "caps must be an object.");
    return;
  }
  for (const k of Object.keys(c)) if (!CAP_KEYS.has(k)) err(`${p}.${k}`, "unknown", `Unknown cap "${k}".`);
  if (c.once !== undefined && typeof c.once !== "boolean") err(`${p}.once`, "type", "once must be true or false.");
  for (const k of ["perDay", "total"] as const) {
    const v = c[k];
    if (v !== undefined && (!Number.isInteger(v) || (v as number) < 1 || (v as number) > RULE_LIMITS.cap))
      err(`${p}.${k}`, "range", `${k} must be a whole number from 1 to ${RULE_LIMITS.cap}.`);
  }
}

function checkGrades(g: unknown, err: Report): void {
  if (!isObject(g)) {
    err("grades", "required", "grades needs fit and engagement bounds.");
    return;
  }
  for (const k of ["fit", "engagement"] as const) {
    const b = g[k];
    if (!Array.isArray(b) || b.length !== 3 || !b.every(isFiniteNumber)) {
      err(`grades.${k}`, "type", `grades.${k} must be three numbers.`);
    } else if (!((b[0] as number) > (b[1] as number) && (b[1] as number) > (b[2] as number))) {
      err(`grades.${k}`, "range", `grades.${k} must be strictly descending.`);
    }
  }
}

function checkStringOrList(v: unknown, p: string, err: Report): void {
  if (Array.isArray(v)) checkStringList(v, p, err);
  else checkString(v, p, err, true);
}

function checkStringList(v: unknown, p: string, err: Report, allowEmpty = false): void {
  if (!Array.isArray(v)) {
    err(p, "type", "Expected a list of texts.");
    return;
  }
  if (v.length === 0 && !allowEmpty) err(p, "empty", "The list is empty.");
  if (v.length > RULE_LIMITS.valuesPerList) err(p, "too_long", `At most ${RULE_LIMITS.valuesPerList} values.`);
  v.forEach((s, i) => {
    checkString(s, `${p}[${i}]`, err, true);
  });
}

function checkString(v: unknown, p: string, err: Report, required: boolean): void {
  if (typeof v !== "string") {
    err(p, "type", "Expected a text.");
    return;
  }
  if (required && v.trim() === "") err(p, "empty", "The text is empty.");
  if (v.length > RULE_LIMITS.stringLength) err(p, "too_long", `At most ${RULE_LIMITS.stringLength} characters.`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === "number" && Number.isFinite(v);
}
