import { presenceProblem } from "./availability.ts";
import { failedConditions } from "./conditions.ts";
import { buildRegionIndex } from "./regions.ts";
import { pickWeighted, type WeightedCandidate } from "./round-robin.ts";
import type {
  Assignment,
  CandidateTrace,
  Pool,
  Rep,
  RoutableLead,
  RoutingConfig,
  RoutingDecision,
  RoutingState,
  RoutingTrigger,
  RuleTrace,
  SkipReason,
} from "./types.ts";

/** The queue a lead lands in when no rule can place it, unless the config names another. */
export const DEFAULT_FALLBACK_QUEUE = "unassigned";

/** Options of one routing run. */
export interface RouteOptions {
  /** Reps that must not get this lead (e.g. the rep who let its SLA lapse). */
  excludeRepIds?: readonly string[];
  /** Why routing runs; kept in the decision. Default "mql". */
  trigger?: RoutingTrigger;
}

/** A decision and the round-robin state to store for the next call. */
export interface RouteResult {
  decision: RoutingDecision;
  state: RoutingState;
}

/** A fresh round-robin state. */
export function emptyRoutingState(): RoutingState {
  return { pools: {} };
}

function skipReasonOf(rep: Rep | undefined, now: number, excluded: ReadonlySet<string>, id: string): SkipReason | null {
  if (rep === undefined) return "unknown_rep";
  if (excluded.has(id)) return "excluded";
  const presence = presenceProblem(rep, now);
  if (presence !== null) return presence;
  if (rep.openLeads >= rep.capacity) return "at_capacity";
  return null;
}

/** Looks at every member of a pool and returns the traces and who could take the lead. */
function evaluatePool(
  ruleId: string,
  pool: Pool,
  repsById: ReadonlyMap<string, Rep>,
  now: number,
  excluded: ReadonlySet<string>,
): { traces: CandidateTrace[]; eligible: WeightedCandidate[] } {
  const traces: CandidateTrace[] = [];
  const eligible: WeightedCandidate[] = [];
  for (const repId of pool.repIds) {
    const rep = repsById.get(repId);
    const skipReason = skipReasonOf(rep, now, excluded, repId);
    traces.push({
      ruleId,
      poolId: pool.id,
      repId,
      status: skipReason === null ? "eligible" : "skipped",
      skipReason,
      weight: rep?.weight ?? null,
      openLeads: rep?.openLeads ?? null,
      capacity: rep?.capacity ?? null,
    });
    if (skipReason === null && rep !== undefined) eligible.push({ id: rep.id, weight: rep.weight });
  }
  return { traces, eligible };
}

function describeSkips(traces: readonly CandidateTrace[]): string {
  if (traces.length === 0) return "it has no members";
  const counts = new Map<string, number>();
  for (const trace of traces) {
    const reason = (trace.skipReason ?? "eligible").replaceAll("_", " ");
    counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  return [...counts].map(([reason, count]) => `${count} ${reason}`).join(", ");
}

/**
 * Routes one lead: tries the rules in priority order; the first matching rule whose pool has a rep
 * who is active, present, within working hours and below capacity places the lead by weighted round
 * robin. A matching rule whose pool cannot take the lead falls through to the next matching rule;
 * when none is left the lead goes to the fallback queue. Returns the audit decision and the new
 * round-robin state; the inputs are not modified, and the same inputs always give the same result.
 */
export function route(
  lead: RoutableLead,
  config: RoutingConfig,
  state: RoutingState,
  now: number,
  options: RouteOptions = {},
): RouteResult {
  const regions = buildRegionIndex(config.regions);
  const repsById = new Map(config.reps.map((rep) => [rep.id, rep]));
  const poolsById = new Map(config.pools.map((pool) => [pool.id, pool]));
  const excluded = new Set(options.excludeRepIds ?? []);

  const rules: RuleTrace[] = [];
  const candidates: CandidateTrace[] = [];
  const fellThrough: string[] = [];
  const fellThroughNotes: string[] = [];
  let placed: { repId: string; pool: Pool; ruleId: string; eligibleCount: number } | null = null;
  let nextState: RoutingState = state;

  for (const rule of config.rules) {
    const failed = failedConditions(rule.conditions, lead, regions);
    const trace: RuleTrace = {
      ruleId: rule.id,
      poolId: rule.poolId,
      matched: failed.length === 0,
      failedConditions: failed,
      outcome: "no_match",
    };
    rules.push(trace);
    if (placed !== null) {
      trace.outcome = "not_reached";
      continue;
    }
    if (rule.enabled === false) {
      trace.outcome = "disabled";
      continue;
    }
    if (failed.length > 0) continue;
    const pool = poolsById.get(rule.poolId);
    if (pool === undefined) {
      trace.outcome = "unknown_pool";
      continue;
    }
    const { traces, eligible } = evaluatePool(rule.id, pool, repsById, now, excluded);
    const pick = pickWeighted(eligible, state.pools[pool.id]?.credits ?? {}, pool.repIds);
    if (pick === null) {
      trace.outcome = "pool_exhausted";
      candidates.push(...traces);
      fellThrough.push(rule.id);
      fellThroughNotes.push(
        `rule "${rule.id}" matched but pool "${pool.id}" could not take it (${describeSkips(traces)})`,
      );
      continue;
    }
    for (const candidate of traces) if (candidate.repId === pick.chosenId) candidate.status = "chosen";
    candidates.push(...traces);
    trace.outcome = "chosen";
    placed = { repId: pick.chosenId, pool, ruleId: rule.id, eligibleCount: eligible.length };
    nextState = { pools: { ...state.pools, [pool.id]: { credits: pick.credits } } };
  }

  const base = {
    leadId: lead.id,
    at: now,
    trigger: options.trigger ?? "mql",
    fellThroughRuleIds: fellThrough,
    excludedRepIds: [...excluded].sort(),
    rules,
    candidates,
  };
  const prefix = fellThroughNotes.length > 0 ? `${fellThroughNotes.join("; ")}; ` : "";

  if (placed !== null) {
    const sla = placed.pool.slaMinutes;
    const decision: RoutingDecision = {
      ...base,
      outcome: "assigned",
      repId: placed.repId,
      poolId: placed.pool.id,
      ruleId: placed.ruleId,
      queueId: null,
      queueReason: null,
      slaDueAt: sla === null || sla === undefined ? null : now + sla * 60_000,
      summary:
        `${prefix}rule "${placed.ruleId}" matched; pool "${placed.pool.id}" chose rep "${placed.repId}" ` +
        `by weighted round robin among ${placed.eligibleCount} of ${placed.pool.repIds.length} reps`,
    };
    return { decision, state: nextState };
  }

  const queueId = config.fallbackQueueId ?? DEFAULT_FALLBACK_QUEUE;
  const queueReason = fellThrough.length > 0 ? "no_rep_available" : "no_rule_matched";
  const decision: RoutingDecision = {
    ...base,
    outcome: "queued",
    repId: null,
    poolId: null,
    ruleId: null,
    queueId,
    queueReason,
    slaDueAt: null,
    summary:
      queueReason === "no_rule_matched"
        ? `no rule matched; queued in "${queueId}"`
        : `${prefix}no rule left; queued in "${queueId}"`,
  };
  return { decision, state: nextState };
}

/** A "route this lead" preview: the decision `route` would make now and why, in lines for people. */
export interface RouteExplanation {
  decision: RoutingDecision;
  lines: string[];
}

/**
 * Explains what `route` would do with this lead right now, without advancing the round robin: the
 * caller does not store any state from it, and asking twice gives the same answer.
 */
export function explainRoute(
  lead: RoutableLead,
  config: RoutingConfig,
  state: RoutingState,
  now: number,
  options: RouteOptions = {},
): RouteExplanation {
  const { decision } = route(lead, config, state, now, { trigger: "manual", ...options });
  const lines: string[] = [];
  for (const rule of decision.rules) {
    const conditions = rule.matched ? "matches" : `does not match (${rule.failedConditions.join(", ")})`;
    lines.push(`rule "${rule.ruleId}" → pool "${rule.poolId}": ${conditions}; ${rule.outcome.replaceAll("_", " ")}`);
  }
  for (const candidate of decision.candidates) {
    const why =
      candidate.skipReason === null ? candidate.status : `skipped: ${candidate.skipReason.replaceAll("_", " ")}`;
    const load =
      candidate.openLeads === null
        ? ""
        : ` (${candidate.openLeads}/${candidate.capacity} open, weight ${candidate.weight})`;
    lines.push(`  rep "${candidate.repId}" in "${candidate.poolId}"${load}: ${why}`);
  }
  lines.push(decision.summary);
  return { decision, lines };
}

/** The assignment row to store for a decision that placed the lead with a rep; null when it was queued. */
export function assignmentFromDecision(decision: RoutingDecision): Assignment | null {
  if (decision.outcome !== "assigned" || decision.repId === null || decision.poolId === null || !decision.ruleId) {
    return null;
  }
  return {
    leadId: decision.leadId,
    repId: decision.repId,
    poolId: decision.poolId,
    ruleId: decision.ruleId,
    assignedAt: decision.at,
    slaDueAt: decision.slaDueAt,
    acceptedAt: null,
    endedAt: null,
  };
}
