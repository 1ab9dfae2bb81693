/**
 * The routing model: plain, JSON-serialisable data. The caller loads it from the database, passes it in,
 * and persists what comes back (decision, state, SLA misses). Times are epoch milliseconds.
 */

/** Days of the week as used in working hours, in the rep's own time zone. */
export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A span of local wall-clock time, "HH:MM" to "HH:MM" (end exclusive, "24:00" allowed as end). */
export interface TimeSpan {
  start: string;
  end: string;
}

/** Weekly working hours; a day that is missing (or has no spans) is a day off. */
export type WorkingHours = Partial<Record<Weekday, readonly TimeSpan[]>>;

/** An absence, half-open: the rep is away from `from` (inclusive) until `until` (exclusive). */
export interface OutOfOffice {
  from: number;
  until: number;
  note?: string;
}

/** A sales rep as routing sees them. */
export interface Rep {
  id: string;
  name?: string;
  /** Relative share of leads, any positive number (2 gets twice the leads of 1). */
  weight: number;
  /** Most open leads this rep may hold; a rep with `openLeads >= capacity` gets no new lead. */
  capacity: number;
  /** Open leads right now, counted by the caller (routing never counts itself). */
  openLeads: number;
  /** IANA time zone the working hours are in, e.g. "Europe/Berlin". */
  timeZone: string;
  /** Absent means "no schedule": available at any hour. */
  workingHours?: WorkingHours;
  outOfOffice?: readonly OutOfOffice[];
  /** `false` takes the rep out of routing altogether (left the team, suspended). Default true. */
  active?: boolean;
}

/** A team or pool of reps that a rule sends leads to. */
export interface Pool {
  id: string;
  name?: string;
  /** Members, by rep id. A rep may belong to several pools. */
  repIds: readonly string[];
  /** Minutes a rep has to accept a lead before it is re-routed; null or absent: no SLA. */
  slaMinutes?: number | null;
}

/** Inclusive employee-count range; a missing bound is open. */
export interface SizeRange {
  min?: number;
  max?: number;
}

/**
 * Conditions of a rule. Every condition present must hold (AND); inside one condition any listed value
 * matches (OR). `countries` and `regions` together describe one territory: the lead matches when its
 * country is listed or lies in a listed region. No conditions at all match every lead.
 */
export interface RuleConditions {
  /** ISO 3166-1 alpha-2 codes, e.g. "DE". */
  countries?: readonly string[];
  /** Region names from the region map, e.g. "DACH", "EMEA", "NA". */
  regions?: readonly string[];
  industries?: readonly string[];
  companySize?: readonly SizeRange[];
  /** Product interests derived from the content the lead consumed; any shared interest matches. */
  interests?: readonly string[];
  /** Campaigns the lead was touched by; any shared campaign matches. */
  campaigns?: readonly string[];
  personas?: readonly string[];
}

export type ConditionKind = "territory" | "industry" | "companySize" | "interests" | "campaigns" | "persona";

/** A routing rule. Rules are tried in array order: the first is the highest priority. */
export interface RoutingRule {
  id: string;
  name?: string;
  conditions: RuleConditions;
  poolId: string;
  /** `false` keeps the rule in the list but skips it. Default true. */
  enabled?: boolean;
}

/** Everything routing needs to know about a lead and its company. */
export interface RoutableLead {
  id: string;
  /** The person's country (ISO alpha-2); when absent the company's country is used. */
  country?: string | null;
  persona?: string | null;
  interests?: readonly string[];
  campaigns?: readonly string[];
  company?: {
    country?: string | null;
    industry?: string | null;
    /** Number of employees. */
    employees?: number | null;
  } | null;
}

/** The routing settings of one site/organisation. */
export interface RoutingConfig {
  reps: readonly Rep[];
  pools: readonly Pool[];
  rules: readonly RoutingRule[];
  /** Extra or replaced regions, merged over `DEFAULT_REGIONS` by name. */
  regions?: Readonly<Record<string, readonly string[]>>;
  /** Where a lead goes when no rule can place it. Default "unassigned". */
  fallbackQueueId?: string;
}

/**
 * Round-robin credits per pool and rep. The caller stores this JSON (one row per site is enough)
 * and passes it back on the next call; `emptyRoutingState()` (`{ pools: {} }`) is a valid start.
 */
export interface RoutingState {
  pools: Record<string, { credits: Record<string, number> }>;
}

/** Why a rep was not a candidate. */
export type SkipReason =
  | "excluded"
  | "unavailable"
  | "out_of_office"
  | "outside_working_hours"
  | "at_capacity"
  | "invalid_time_zone"
  | "unknown_rep";

/** One rep looked at for one rule's pool, for the audit. */
export interface CandidateTrace {
  ruleId: string;
  poolId: string;
  repId: string;
  status: "chosen" | "eligible" | "skipped";
  skipReason: SkipReason | null;
  weight: number | null;
  openLeads: number | null;
  capacity: number | null;
}

/**
 * What happened with each rule: `chosen` placed the lead, `pool_exhausted` matched but nobody in the
 * pool could take it (routing fell through to the next rule), `no_match` / `disabled` / `unknown_pool`
 * were passed over, `not_reached` came after the chosen rule (its match is still shown for the preview).
 */
export type RuleOutcome = "chosen" | "pool_exhausted" | "no_match" | "disabled" | "unknown_pool" | "not_reached";

export interface RuleTrace {
  ruleId: string;
  poolId: string;
  matched: boolean;
  /** Condition kinds the lead did not satisfy (empty when matched). */
  failedConditions: ConditionKind[];
  outcome: RuleOutcome;
}

export type RoutingTrigger = "mql" | "manual" | "sla_reroute";

/** The audit record of one routing run; store it as is (JSON) next to the assignment. */
export interface RoutingDecision {
  leadId: string;
  /** The `now` the decision was made at. */
  at: number;
  trigger: RoutingTrigger;
  outcome: "assigned" | "queued";
  repId: string | null;
  poolId: string | null;
  ruleId: string | null;
  /** The fallback queue, when `outcome` is "queued". */
  queueId: string | null;
  queueReason: "no_rule_matched" | "no_rep_available" | null;
  /** Rules that matched but whose pools were full or away, before the rule that placed the lead. */
  fellThroughRuleIds: string[];
  /** When the chosen rep must have accepted the lead; null without an SLA. */
  slaDueAt: number | null;
  excludedRepIds: string[];
  /** One sentence on why, for people. */
  summary: string;
  rules: RuleTrace[];
  candidates: CandidateTrace[];
}

/** An assignment as the caller stores it; `assignmentFromDecision` builds a new one. */
export interface Assignment {
  leadId: string;
  repId: string;
  poolId: string;
  ruleId: string;
  assignedAt: number;
  slaDueAt: number | null;
  /** When the rep accepted (SAL); null while pending. */
  acceptedAt: number | null;
  /** When the assignment stopped being current for any reason (re-routed, reassigned, closed). */
  endedAt: number | null;
}

/** A pending assignment whose SLA has run out. */
export interface SlaBreach {
  leadId: string;
  repId: string;
  poolId: string;
  ruleId: string;
  assignedAt: number;
  slaDueAt: number;
  overdueMs: number;
}

/** The record of a missed SLA, kept for reporting on reps and pools. */
export interface SlaMiss extends SlaBreach {
  detectedAt: number;
}
