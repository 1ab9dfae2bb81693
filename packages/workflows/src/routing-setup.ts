import type { RoutableLeadRow, RoutingSetupRows } from "@leadtrail/db";
import {
  parseCompanySize,
  type RoutableLead,
  type RoutingConfig,
  type RoutingState,
  type RuleConditions,
  type WorkingHours,
} from "@leadtrail/routing";

/**
 * Routing's view of a site's stored settings: rep ids are user ids, pool and rule ids are row ids
 * (as strings, routing's model). The state carries each pool's stored credits.
 */
export function toRoutingInput(rows: RoutingSetupRows): { config: RoutingConfig; state: RoutingState } {
  const config: RoutingConfig = {
    reps: rows.reps.map((r) => ({
      id: String(r.userId),
      name: r.name ?? undefined,
      weight: r.weight,
      capacity: r.capacity,
      openLeads: r.openLeads,
      timeZone: r.timeZone,
      workingHours: (r.workingHours ?? undefined) as WorkingHours | undefined,
      outOfOffice: r.outOfOffice as { from: number; until: number }[],
      active: r.active,
    })),
    pools: rows.pools.map((p) => ({
      id: String(p.id),
      name: p.name,
      repIds: p.repIds.map(String),
      slaMinutes: p.slaMinutes,
    })),
    rules: rows.rules.map((r) => ({
      id: String(r.id),
      name: r.name ?? undefined,
      poolId: String(r.poolId),
      enabled: r.enabled,
      conditions: r.conditions as RuleConditions,
    })),
    regions: rows.regions ?? undefined,
    fallbackQueueId: rows.fallbackQueueId,
  };
  const state: RoutingState = { pools: {} };
  for (const [poolId, credits] of rows.credits) state.pools[String(poolId)] = { credits };
  return { config, state };
}

/** Product interest from a path like `/products/lead-scoring` (or `/demo/products/…`): "lead-scoring". */
export function interestOfPath(path: string): string | undefined {
  const match = /\/products?\/([^/?#]+)/i.exec(path);
  return match?.[1]?.toLowerCase();
}

function trimmedText(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

function list(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  const s = trimmedText(value);
  return s ? s.split(",").map((v) => v.trim()) : [];
}

/**
 * Routing's view of a lead: country from its traits (else its browsers'), persona and interests
 * from traits, interests also from the product pages it viewed, campaigns it came through, and its
 * company (industry, country, employees from the size text or the lead's traits).
 */
export function toRoutableLead(row: RoutableLeadRow): RoutableLead {
  const t = row.traits;
  const interests = new Set(list(t.interests ?? t.interest).map((i) => i.toLowerCase()));
  for (const path of row.paths) {
    const interest = interestOfPath(path);
    if (interest) interests.add(interest);
  }
  const size =
    row.company?.size ?? trimmedText(t.company_size) ?? trimmedText(t.companySize) ?? trimmedText(t.employees);
  return {
    id: String(row.id),
    country: trimmedText(t.country) ?? row.visitorCountry,
    persona: trimmedText(t.persona) ?? null,
    interests: [...interests].sort(),
    campaigns: [...new Set([...row.campaigns, ...list(t.campaign)])].sort(),
    company: {
      country: row.company?.country ?? trimmedText(t.company_country) ?? null,
      industry: row.company?.industry ?? trimmedText(t.industry) ?? null,
      employees: size ? (parseCompanySize(size) ?? null) : null,
    },
  };
}
