import { isValidTimeZone, parseHhmm } from "./availability.ts";
import { knownRegions } from "./regions.ts";
import { type RoutingConfig, type RuleConditions, WEEKDAYS } from "./types.ts";

/** Codes of configuration problems, stable for the dashboard to translate or highlight. */
export const ROUTING_ISSUE_CODES = [
  "duplicate_id",
  "empty_id",
  "invalid_weight",
  "invalid_capacity",
  "invalid_open_leads",
  "invalid_time_zone",
  "invalid_working_hours",
  "invalid_out_of_office",
  "unknown_rep",
  "duplicate_member",
  "invalid_sla",
  "unknown_pool",
  "empty_condition",
  "invalid_country",
  "unknown_region",
  "invalid_size_range",
  "invalid_fallback_queue",
] as const;
export type RoutingIssueCode = (typeof ROUTING_ISSUE_CODES)[number];

/** One problem, with a path into the config such as `rules[2].conditions.regions[0]`. */
export interface RoutingIssue {
  path: string;
  code: RoutingIssueCode;
  message: string;
}

const COUNTRY = /^[A-Za-z]{2}$/;

function checkIds(items: readonly { id: string }[], kind: string, issues: RoutingIssue[]): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (item.id.trim() === "") issues.push({ path: `${kind}[${i}].id`, code: "empty_id", message: "id is empty" });
    else if (seen.has(item.id)) {
      issues.push({ path: `${kind}[${i}].id`, code: "duplicate_id", message: `id "${item.id}" is used twice` });
    }
    seen.add(item.id);
  });
}

function checkConditions(
  conditions: RuleConditions,
  path: string,
  regionNames: ReadonlySet<string>,
  issues: RoutingIssue[],
): void {
  const lists = ["countries", "regions", "industries", "companySize", "interests", "campaigns", "personas"] as const;
  for (const key of lists) {
    const list = conditions[key];
    // An empty any-of list matches nobody, which is never what an admin means by "no condition".
    if (list !== undefined && list.length === 0) {
      issues.push({
        path: `${path}.${key}`,
        code: "empty_condition",
        message: `${key} is empty and would match no lead; remove it to match all`,
      });
    }
  }
  conditions.countries?.forEach((country, i) => {
    if (!COUNTRY.test(country)) {
      issues.push({
        path: `${path}.countries[${i}]`,
        code: "invalid_country",
        message: `"${country}" is not a two-letter ISO country code`,
      });
    }
  });
  conditions.regions?.forEach((region, i) => {
    if (!regionNames.has(region.trim().toUpperCase())) {
      issues.push({
        path: `${path}.regions[${i}]`,
        code: "unknown_region",
        message: `region "${region}" is not defined`,
      });
    }
  });
  conditions.companySize?.forEach((range, i) => {
    const bounds = [range.min, range.max].filter((b): b is number => b !== undefined);
    const badBound = bounds.some((b) => !Number.isFinite(b) || b < 0);
    const inverted = range.min !== undefined && range.max !== undefined && range.min > range.max;
    if (badBound || inverted || bounds.length === 0) {
      issues.push({
        path: `${path}.companySize[${i}]`,
        code: "invalid_size_range",
        message: "a size range needs min and/or max, non-negative, with min ≤ max",
      });
    }
  });
}

/**
 * Checks a routing config and lists every problem found; an empty list means the config is sound.
 * Never throws, so the settings page can show all problems at once next to the fields.
 */
export function validateRoutingConfig(config: RoutingConfig): RoutingIssue[] {
  const issues: RoutingIssue[] = [];
  checkIds(config.reps, "reps", issues);
  checkIds(config.pools, "pools", issues);
  checkIds(config.rules, "rules", issues);

  config.reps.forEach((rep, i) => {
    const path = `reps[${i}]`;
    if (!Number.isFinite(rep.weight) || rep.weight <= 0) {
      issues.push({ path: `${path}.weight`, code: "invalid_weight", message: "weight must be a positive number" });
    }
    if (!Number.isInteger(rep.capacity) || rep.capacity < 0) {
      issues.push({
        path: `${path}.capacity`,
        code: "invalid_capacity",
        message: "capacity must be a whole number ≥ 0",
      });
    }
    if (!Number.isInteger(rep.openLeads) || rep.openLeads < 0) {
      issues.push({
        path: `${path}.openLeads`,
        code: "invalid_open_leads",
        message: "open leads must be a whole number ≥ 0",
      });
    }
    if (!isValidTimeZone(rep.timeZone)) {
      issues.push({
        path: `${path}.timeZone`,
        code: "invalid_time_zone",
        message: `"${rep.timeZone}" is not a known IANA time zone`,
      });
    }
    for (const [day, spans] of Object.entries(rep.workingHours ?? {})) {
      if (!(WEEKDAYS as readonly string[]).includes(day)) {
        issues.push({
          path: `${path}.workingHours.${day}`,
          code: "invalid_working_hours",
          message: `"${day}" is not a weekday (use ${WEEKDAYS.join(", ")})`,
        });
        continue;
      }
      (spans ?? []).forEach((span, j) => {
        const start = parseHhmm(span.start);
        const end = parseHhmm(span.end);
        if (start === null || end === null || start >= end) {
          issues.push({
            path: `${path}.workingHours.${day}[${j}]`,
            code: "invalid_working_hours",
            message: "hours must be HH:MM with start before end; split a night shift across two days",
          });
        }
      });
    }
    rep.outOfOffice?.forEach((absence, j) => {
      if (!Number.isFinite(absence.from) || !Number.isFinite(absence.until) || absence.from >= absence.until) {
        issues.push({
          path: `${path}.outOfOffice[${j}]`,
          code: "invalid_out_of_office",
          message: "an absence needs from before until",
        });
      }
    });
  });

  const repIds = new Set(config.reps.map((rep) => rep.id));
  config.pools.forEach((pool, i) => {
    const seen = new Set<string>();
    pool.repIds.forEach((repId, j) => {
      const path = `pools[${i}].repIds[${j}]`;
      if (!repIds.has(repId)) issues.push({ path, code: "unknown_rep", message: `no rep with id "${repId}"` });
      if (seen.has(repId)) issues.push({ path, code: "duplicate_member", message: `rep "${repId}" is listed twice` });
      seen.add(repId);
    });
    const sla = pool.slaMinutes;
    if (sla !== null && sla !== undefined && (!Number.isFinite(sla) || sla <= 0)) {
      issues.push({
        path: `pools[${i}].slaMinutes`,
        code: "invalid_sla",
        message: "SLA must be a positive number of minutes, or empty for none",
      });
    }
  });

  const poolIds = new Set(config.pools.map((pool) => pool.id));
  const regionNames = knownRegions(config.regions);
  config.rules.forEach((rule, i) => {
    if (!poolIds.has(rule.poolId)) {
      issues.push({ path: `rules[${i}].poolId`, code: "unknown_pool", message: `no pool with id "${rule.poolId}"` });
    }
    checkConditions(rule.conditions, `rules[${i}].conditions`, regionNames, issues);
  });

  if (config.fallbackQueueId !== undefined && config.fallbackQueueId.trim() === "") {
    issues.push({ path: "fallbackQueueId", code: "invalid_fallback_queue", message: "fallback queue id is empty" });
  }
  return issues;
}
