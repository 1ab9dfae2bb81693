import { RULE_TEST_SAMPLE, ruleTestEvents, ruleTestLeads } from "@leadtrail/db";
import {
  type FieldError,
  profileFromTraits,
  type Rule,
  type RuleFields,
  type RuleSet,
  type RuleTestResult,
  ruleIdFrom,
  testRule,
} from "@leadtrail/scoring";
import { VISIT_GAP_MS } from "@leadtrail/workflows";

// The scoring page's rule builder on the server: the form's fields, the draft's list operations
// and "test this rule". The rule itself is built and checked by packages/scoring (`ruleFromFields`).

/** Checkbox fields: absent from a submitted form means unchecked, not "not on this form". */
const CHECKBOXES = ["enabled", "match.returningVisit", "caps.once"];
const MAX_FIELD = 4000;
/** The builder's fields without a dot in their name (the others are "label.en", "match.path", …). */
const PLAIN = new Set(["kind", "id", "extraPatterns", "points", "enabled"]);

/** The builder's fields from a submitted form (text capped; unchecked boxes as ""). */
export function builderFields(form: FormData): RuleFields {
  const fields: RuleFields = {};
  for (const [name, value] of form) {
    if (typeof value !== "string") continue;
    if (PLAIN.has(name) || name.includes(".")) fields[name] = value.slice(0, MAX_FIELD);
  }
  for (const name of CHECKBOXES) fields[name] ??= "";
  if (fields.kind !== "fit") fields.kind = "engagement";
  return fields;
}

/** Field errors keyed by field, the first per field (the form shows one message beside each). */
export function errorsByField(errors: readonly FieldError[]): Record<string, { code: string; message: string }> {
  const out: Record<string, { code: string; message: string }> = {};
  for (const e of errors) out[e.field] ??= { code: e.code, message: e.message };
  return out;
}

/** The draft with `rule` in place of the rule with its id, or appended when it is new. */
export function putRule(ruleSet: RuleSet, rule: Rule): RuleSet {
  const at = ruleSet.rules.findIndex((r) => r.id === rule.id);
  const rules = [...ruleSet.rules];
  if (at >= 0) rules[at] = rule;
  else rules.push(rule);
  return { ...ruleSet, rules };
}

/** A copy of a rule right after it, named "… (copy)" with a fresh id; undefined if there is no such rule. */
export function duplicateRule(ruleSet: RuleSet, id: string): { ruleSet: RuleSet; id: string } | undefined {
  const at = ruleSet.rules.findIndex((r) => r.id === id);
  const rule = ruleSet.rules[at];
  if (!rule) return undefined;
  const copyId = ruleIdFrom(
    `${rule.id}-copy`,
    ruleSet.rules.map((r) => r.id),
  );
  const copy = {
    ...structuredClone(rule),
    id: copyId,
    label: { en: `${rule.label.en} (copy)`.slice(0, 200), de: `${rule.label.de} (Kopie)`.slice(0, 200) },
  } as Rule;
  const rules = [...ruleSet.rules];
  rules.splice(at + 1, 0, copy);
  return { ruleSet: { ...ruleSet, rules }, id: copyId };
}

/** The draft with a rule moved one place up or down (unchanged at either end). */
export function moveRule(ruleSet: RuleSet, id: string, direction: "up" | "down"): RuleSet {
  const at = ruleSet.rules.findIndex((r) => r.id === id);
  const to = direction === "up" ? at - 1 : at + 1;
  if (at < 0 || to < 0 || to >= ruleSet.rules.length) return ruleSet;
  const rules = [...ruleSet.rules];
  [rules[at], rules[to]] = [rules[to] as Rule, rules[at] as Rule];
  return { ...ruleSet, rules };
}

/** The draft without a rule. */
export function deleteRule(ruleSet: RuleSet, id: string): RuleSet {
  return { ...ruleSet, rules: ruleSet.rules.filter((r) => r.id !== id) };
}

/** What "test this rule" shows: the result and the bound of the sample it looked at. */
export interface RuleTest extends RuleTestResult {
  days: number;
  limit: number;
}

/**
 * "Test this rule": replays the rule with the engine's matcher over the site's newest events (or,
 * for a fit rule, its recently active leads' profiles) of the last 30 days, bounded by
 * `RULE_TEST_SAMPLE` so the answer comes while the marketer waits.
 */
export async function runRuleTest(
  db: App.Locals["db"],
  siteId: number,
  ruleSet: RuleSet,
  rule: Rule,
  now: number,
): Promise<RuleTest> {
  const since = now - RULE_TEST_SAMPLE.days * 86_400_000;
  const sample =
    rule.kind === "fit"
      ? {
          events: [],
          leads: (await ruleTestLeads(db, siteId, since)).map((l) => ({
            id: l.id,
            email: l.email,
            profile: profileFromTraits(l.email, l.traits, l.visitorCountry),
          })),
        }
      : { events: await ruleTestEvents(db, siteId, since), leads: [] };
  const result = testRule(rule, sample, ruleSet, VISIT_GAP_MS);
  return {
    ...result,
    days: RULE_TEST_SAMPLE.days,
    limit: rule.kind === "fit" ? RULE_TEST_SAMPLE.leads : RULE_TEST_SAMPLE.events,
  };
}
