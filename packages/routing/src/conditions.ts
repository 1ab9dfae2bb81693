import type { RegionIndex } from "./regions.ts";
import type { ConditionKind, RoutableLead, RuleConditions, SizeRange } from "./types.ts";

// Values typed by admins and values from forms rarely agree on case or stray spaces; compare loosely.
const norm = (value: string): string => value.trim().toLowerCase();

function anyShared(wanted: readonly string[], have: readonly string[] | undefined): boolean {
  if (!have || have.length === 0) return false;
  const haveSet = new Set(have.map(norm));
  return wanted.some((value) => haveSet.has(norm(value)));
}

function oneOf(wanted: readonly string[], have: string | null | undefined): boolean {
  if (have === null || have === undefined || have.trim() === "") return false;
  const value = norm(have);
  return wanted.some((candidate) => norm(candidate) === value);
}

function inSizeRange(range: SizeRange, employees: number): boolean {
  return (range.min === undefined || employees >= range.min) && (range.max === undefined || employees <= range.max);
}

/** The lead's country: the person's own, else the company's, upper-case; null when neither is known. */
export function leadCountry(lead: RoutableLead): string | null {
  const country = lead.country?.trim() || lead.company?.country?.trim();
  return country ? country.toUpperCase() : null;
}

/**
 * Returns the condition kinds of a rule the lead fails, in a fixed order; an empty list means the rule
 * matches. A lead that lacks the data a condition asks about (no industry, no company size) fails it:
 * a rule for "enterprise" must not catch leads whose size is unknown.
 */
export function failedConditions(
  conditions: RuleConditions,
  lead: RoutableLead,
  regions: RegionIndex,
): ConditionKind[] {
  const failed: ConditionKind[] = [];
  if (conditions.countries !== undefined || conditions.regions !== undefined) {
    const country = leadCountry(lead);
    const byCountry = country !== null && oneOf(conditions.countries ?? [], country);
    const leadRegions = country === null ? undefined : regions.get(country);
    const byRegion =
      leadRegions !== undefined && (conditions.regions ?? []).some((r) => leadRegions.has(r.trim().toUpperCase()));
    if (!byCountry && !byRegion) failed.push("territory");
  }
  if (conditions.industries !== undefined && !oneOf(conditions.industries, lead.company?.industry)) {
    failed.push("industry");
  }
  if (conditions.companySize !== undefined) {
    const employees = lead.company?.employees;
    const fits =
      typeof employees === "number" &&
      Number.isFinite(employees) &&
      conditions.companySize.some((range) => inSizeRange(range, employees));
    if (!fits) failed.push("companySize");
  }
  if (conditions.interests !== undefined && !anyShared(conditions.interests, lead.interests)) failed.push("interests");
  if (conditions.campaigns !== undefined && !anyShared(conditions.campaigns, lead.campaigns)) failed.push("campaigns");
  if (conditions.personas !== undefined && !oneOf(conditions.personas, lead.persona)) failed.push("persona");
  return failed;
}

/**
 * Reads an employee count from the free-text company sizes that forms and enrichment produce
 * ("51-200", "1,000+", "250", "10 – 49 employees"): the lower bound, or null when there is no number.
 * The lower bound keeps a band inside a rule range written with the same bands.
 */
export function parseCompanySize(text: string | null | undefined): number | null {
  if (!text) return null;
  const match = /\d[\d,.' ]*/.exec(text);
  if (!match) return null;
  const digits = match[0].replace(/[,.' ]/g, "");
  const value = Number.parseInt(digits, 10);
  return Number.isFinite(value) ? value : null;
}
