import { type RouteOptions, type RouteResult, route } from "./route.ts";
import type { Assignment, RoutableLead, RoutingConfig, RoutingState, SlaBreach, SlaMiss } from "./types.ts";

/**
 * Finds the assignments whose acceptance SLA has run out at `now`: still current (not ended), not
 * accepted, and due at or before `now`. Sorted by due time, then lead and rep id, so a job that
 * handles them in order is deterministic.
 */
export function findSlaBreaches(assignments: readonly Assignment[], now: number): SlaBreach[] {
  const breaches: SlaBreach[] = [];
  for (const a of assignments) {
    if (a.slaDueAt === null || a.acceptedAt !== null || a.endedAt !== null || a.slaDueAt > now) continue;
    breaches.push({
      leadId: a.leadId,
      repId: a.repId,
      poolId: a.poolId,
      ruleId: a.ruleId,
      assignedAt: a.assignedAt,
      slaDueAt: a.slaDueAt,
      overdueMs: now - a.slaDueAt,
    });
  }
  const byId = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return breaches.sort((x, y) => x.slaDueAt - y.slaDueAt || byId(x.leadId, y.leadId) || byId(x.repId, y.repId));
}

/** The outcome of re-routing after a missed SLA: the new decision and state, and the miss to record. */
export interface SlaRerouteResult extends RouteResult {
  miss: SlaMiss;
}

/**
 * Re-routes a lead whose SLA was missed. The rep who missed it is excluded (with any reps in
 * `options.excludeRepIds`, e.g. earlier misses on the same lead), so the lead cannot bounce back to
 * them; the miss is returned for the caller to store, and the caller ends the old assignment at `now`.
 * When nobody else can take the lead it goes to the fallback queue, and the decision says so.
 */
export function rerouteAfterSlaBreach(
  lead: RoutableLead,
  breach: SlaBreach,
  config: RoutingConfig,
  state: RoutingState,
  now: number,
  options: RouteOptions = {},
): SlaRerouteResult {
  const excludeRepIds = [...new Set([...(options.excludeRepIds ?? []), breach.repId])];
  const result = route(lead, config, state, now, { ...options, excludeRepIds, trigger: "sla_reroute" });
  return {
    ...result,
    miss: { ...breach, overdueMs: now - breach.slaDueAt, detectedAt: now },
  };
}

/**
 * When to warn a rep that an SLA is about to be missed: `windowMs` before the deadline, but never
 * earlier than halfway through the SLA (a 10-minute SLA with a 15-minute window would otherwise
 * warn at the moment of assignment, next to the "routed to you" message).
 */
export function slaWarningAt(assignedAt: number, slaDueAt: number, windowMs: number): number {
  return slaDueAt - Math.min(windowMs, Math.max(0, (slaDueAt - assignedAt) / 2));
}
