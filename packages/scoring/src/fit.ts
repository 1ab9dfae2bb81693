import { checkThreshold } from "./lifecycle.ts";
import { traitsMatch } from "./match.ts";
import { engagementAt } from "./state.ts";
import type { EngineResult, LedgerEntry, ProfileTraits, RuleSet, ScoreState } from "./types.ts";

const text = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined);

/**
 * The scoring profile of a person from the traits a site or CRM sends, which spell the same fact in
 * several ways (`role`, `job_title`, `jobTitle`, `title`, `position`; `company_size`, `companySize`,
 * `employees`). The country falls back to the visitor's (edge header). Absent facts stay absent.
 */
export function profileFromTraits(
  email: string,
  traits: Readonly<Record<string, unknown>>,
  visitorCountry?: string | null,
): ProfileTraits {
  const profile: ProfileTraits = { email };
  const role =
    text(traits.role) ?? text(traits.job_title) ?? text(traits.jobTitle) ?? text(traits.title) ?? text(traits.position);
  const companySize = text(traits.company_size) ?? text(traits.companySize) ?? text(traits.employees);
  const country = text(traits.country) ?? visitorCountry ?? undefined;
  if (role) profile.role = role;
  if (text(traits.seniority)) profile.seniority = text(traits.seniority);
  if (companySize) profile.companySize = companySize;
  if (text(traits.industry)) profile.industry = text(traits.industry);
  if (country) profile.country = country;
  const custom = customTraits(traits);
  if (custom) profile.custom = custom;
  return profile;
}

// Traits that already have a place in the profile (or are personal data no rule should key on).
const PROFILE_KEYS = new Set([
  "email",
  "name",
  "role",
  "job_title",
  "jobTitle",
  "title",
  "position",
  "seniority",
  "company_size",
  "companySize",
  "employees",
  "industry",
  "country",
]);
const MAX_CUSTOM_TRAITS = 50;

/**
 * The site's other traits as text (numbers and booleans spelled out), for `traits` fit
 * conditions. Bounded: at most 50 keys, short keys and values only; objects and lists are skipped.
 */
function customTraits(traits: Readonly<Record<string, unknown>>): Record<string, string> | undefined {
  let out: Record<string, string> | undefined;
  let n = 0;
  for (const [key, value] of Object.entries(traits)) {
    if (PROFILE_KEYS.has(key) || key.length > 64) continue;
    if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") continue;
    const textValue = String(value);
    if (textValue === "" || textValue.length > 200) continue;
    out ??= {};
    out[key] = textValue;
    if (++n >= MAX_CUSTOM_TRAITS) break;
  }
  return out;
}

/** Points per matching fit rule for a profile (rules in rule-set order; non-matching rules absent). */
export function computeFit(traits: ProfileTraits, ruleSet: RuleSet): Record<string, number> {
  const byRule: Record<string, number> = {};
  for (const rule of ruleSet.rules) {
    if (rule.kind !== "fit" || rule.enabled === false) continue;
    if (traitsMatch(rule.match, traits, ruleSet)) byRule[rule.id] = rule.points;
  }
  return byRule;
}

/** Sum of a fit breakdown, in a fixed order so replays add the same floats the same way. */
export function sumFit(byRule: Record<string, number>): number {
  let total = 0;
  for (const points of Object.values(byRule)) total += points;
  return total;
}

/**
 * Recomputes fit from the (complete, current) profile traits. Each rule whose contribution changed
 * gets a ledger entry with the difference, so the ledger explains fit too. Fit does not decay.
 * May make the lead an MQL (a big company's CTO signs up). Call it whenever traits change.
 */
export function updateTraits(state: ScoreState, traits: ProfileTraits, ruleSet: RuleSet, now: number): EngineResult {
  const at = Math.max(now, state.lastAt ?? now);
  const fitByRule = computeFit(traits, ruleSet);
  const ledger: LedgerEntry[] = [];
  const ids = [...Object.keys(fitByRule), ...Object.keys(state.fitByRule).filter((id) => !(id in fitByRule))];
  for (const ruleId of ids) {
    const delta = (fitByRule[ruleId] ?? 0) - (state.fitByRule[ruleId] ?? 0);
    if (delta === 0) continue;
    ledger.push({ eventId: null, ruleId, ruleVersion: ruleSet.version, kind: "fit", delta, at, reason: "fit" });
  }
  const fit = sumFit(fitByRule);
  const engagement = engagementAt(state, ruleSet, at);
  const next: ScoreState = { ...state, fit, fitByRule, lastAt: at, seq: state.seq + 1 };
  const stageChange = checkThreshold(
    next,
    state.fit + engagement,
    fit + engagement,
    ruleSet,
    at,
    "system",
    "profile updated",
  );
  return stageChange ? { state: next, ledger, stageChange } : { state: next, ledger };
}
