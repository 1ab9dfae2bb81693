import type { RuleSet } from "./types.ts";
import { type ValidationResult, validateRuleSet } from "./validate.ts";

const TOP_LEVEL = [
  "halfLifeDays",
  "mqlThreshold",
  "dayOffsetMinutes",
  "competitorDomains",
  "freeMailDomains",
  "grades",
  "rules",
] as const;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * A rule set from imported JSON ("scoring as code": `PUT /v1/scoring`, the dashboard's import).
 * Settings the JSON leaves out are kept from `base` (the site's current rules); `version` is never
 * taken from the JSON (the server numbers versions); a rule's German label may be left out and
 * then reads as the English one. Unknown top-level fields are errors, so a typo is not ignored.
 * Every problem comes back with its path, as `validateRuleSet` reports them.
 */
export function ruleSetFromJson(input: unknown, base: RuleSet): ValidationResult {
  if (!isObject(input))
    return { ok: false, errors: [{ path: "", code: "type", message: "A rule set must be an object." }] };
  const unknown = Object.keys(input).filter((k) => k !== "version" && !(TOP_LEVEL as readonly string[]).includes(k));
  if (unknown.length > 0)
    return {
      ok: false,
      errors: unknown.map((k) => ({ path: k, code: "unknown" as const, message: `Unknown field "${k}".` })),
    };
  const merged: Record<string, unknown> = { ...base, version: base.version };
  for (const k of TOP_LEVEL) if (input[k] !== undefined) merged[k] = input[k];
  const defaulted = new Set<string>();
  if (Array.isArray(merged.rules)) {
    merged.rules = merged.rules.map((rule, i) => {
      if (!isObject(rule) || !isObject(rule.label) || typeof rule.label.en !== "string") return rule;
      const de = rule.label.de;
      if (de !== undefined && de !== "") return rule;
      defaulted.add(`rules[${i}].label.de`);
      return { ...rule, label: { ...rule.label, de: rule.label.en } };
    });
  }
  const result = validateRuleSet(merged);
  // A German label left out is the English one: its problems are reported once, at `label.en`.
  return result.ok ? result : { ok: false, errors: result.errors.filter((e) => !defaulted.has(e.path)) };
}
