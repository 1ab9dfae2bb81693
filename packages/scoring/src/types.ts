/**
 * Plain-data types shared by the whole engine. Everything here is JSON-safe so the caller can
 * store it as-is (rule sets in a versions table, `ScoreState` in `leads.score_state`).
 */

/** UTM parameters as the collector extracted them from the landing URL. */
export interface Campaign {
  utm_source?: string;
  utm_medium?: string;
  utm_campaign?: string;
  utm_term?: string;
  utm_content?: string;
}

/** One stored event as the collector hands it to the engine. */
export interface ScoringEvent {
  /** Stored event id (stable); ledger entries point at it. */
  id: number | string;
  /** "pageview" | "click" | "outbound" | "download" | "form" | "custom" | "identify" | "qr_scan" | "link_click" | "engagement" */
  type: string;
  /** Custom/tagged-click name, form name, link or QR code. */
  name?: string;
  /** URL path, e.g. "/demo/pricing". */
  path?: string;
  url?: string;
  props?: Record<string, string | number | boolean>;
  campaign?: Campaign;
  /** First event of a new visit (30 min inactivity); drives the "returning visit" rule. */
  visitStart?: boolean;
  /** Receive time in ms. Authoritative; client time is never used for scoring. */
  at: number;
}

/** Profile traits used by fit rules. `companySize` is a head count or a band such as "51-200" or "1000+". */
export interface ProfileTraits {
  role?: string;
  seniority?: string;
  companySize?: number | string;
  industry?: string;
  /** ISO 3166-1 alpha-2, e.g. "DE". */
  country?: string;
  email?: string;
  /** Company name, used to group leads into accounts when the e-mail domain cannot (free mail). */
  company?: string;
  /** Every other trait the site sent (plan, lifecycle, …) as text, for custom fit conditions. */
  custom?: Record<string, string>;
}

/** A rule's label in every language the dashboard ships. */
export interface RuleLabel {
  en: string;
  de: string;
}

/** Caps on how often an engagement rule may give points. Absent = unlimited. */
export interface RuleCaps {
  /** At most once per lead (same as `total: 1`). */
  once?: boolean;
  /** At most N times per day (days in the rule set's `dayOffsetMinutes` time zone). */
  perDay?: number;
  /** At most M times in total. */
  total?: number;
}

/**
 * What an event must look like for an engagement rule to match. Every given field must match
 * (AND); a list means any of its values (OR). Strings compare case-insensitively; `path`, `url`,
 * `name` and `code` accept `*` (any run of characters, `/` included) and `?` (one character).
 */
export interface EventMatch {
  type?: string | string[];
  name?: string | string[];
  path?: string | string[];
  url?: string | string[];
  /** Every listed property must equal the given value (strings case-insensitive). */
  props?: Record<string, string | number | boolean>;
  /** Every listed UTM parameter must match one of the given values (globs allowed). */
  campaign?: Partial<Record<keyof Campaign, string | string[]>>;
  /** Tracked link or QR code: matches the `name` of a "link_click" or "qr_scan" event. */
  code?: string | string[];
  /** true: only the start of a visit after the first one counts (a returning visitor). */
  returningVisit?: boolean;
}

/** Points for behaviour. Decays with the rule set's half-life. */
export interface EngagementRule {
  id: string;
  kind: "engagement";
  label: RuleLabel;
  /** Positive or negative; never zero. */
  points: number;
  /** One pattern, or several of which any may match. */
  match: EventMatch | EventMatch[];
  caps?: RuleCaps;
  /** false keeps the rule in the set but makes it give nothing. */
  enabled?: boolean;
}

/** Conditions on profile traits; every given field must match (AND), a list means any (OR). */
export interface TraitMatch {
  /** Substrings of the role/title, case-insensitive ("head of", "cto"). */
  role?: string[];
  seniority?: string[];
  industry?: string[];
  country?: string[];
  /** Inclusive head-count range; a band counts by its lower bound. */
  companySize?: { min?: number; max?: number };
  /** Kind of the e-mail domain: a free-mail provider, a listed competitor, or neither. */
  emailDomain?: "free" | "competitor" | "business";
  /** Any other trait (a key of `ProfileTraits.custom`) equal to one of the values, case-insensitive. */
  traits?: Record<string, string[]>;
}

/** Points for who someone is. Does not decay; recomputed whenever traits change. */
export interface FitRule {
  id: string;
  kind: "fit";
  label: RuleLabel;
  points: number;
  match: TraitMatch;
  enabled?: boolean;
}

export type Rule = EngagementRule | FitRule;

/** Score boundaries for grades: fit letter A–D and engagement level 1–4 (1 = hottest). */
export interface GradeBounds {
  /** Minimum fit for A, B, C (descending); below C is D. */
  fit: [number, number, number];
  /** Minimum engagement for level 1, 2, 3 (descending); below is 4. */
  engagement: [number, number, number];
}

/** A published (or draft) version of a site's rules. Publishing a change makes a new version. */
export interface RuleSet {
  /** Positive integer, increases on every publish; every ledger entry records it. */
  version: number;
  /** Engagement half-life in days; null = no decay. */
  halfLifeDays: number | null;
  /** Combined score (fit + engagement) at which a lead becomes an MQL automatically. */
  mqlThreshold: number;
  /** Per-day caps count days in this fixed offset from UTC (e.g. 60 for CET). Default 0. */
  dayOffsetMinutes?: number;
  /**
   * The site's UTC offset in minutes at a time (its IANA zone, DST included), set by the app that
   * loads the rule set and never stored; when present, per-day caps count the site's local days
   * with it instead of `dayOffsetMinutes`. Must be a pure function of its argument.
   */
  dayOffsetAt?: (at: number) => number;
  /** Domains of competitors (lower case) for the `emailDomain: "competitor"` condition. */
  competitorDomains?: string[];
  /** Extra free-mail domains on top of the built-in list. */
  freeMailDomains?: string[];
  grades: GradeBounds;
  rules: Rule[];
}

/** Funnel stages. `nurture` is where sales sends rejected MQLs; `won`/`lost` close a lead. */
export const STAGES = ["lead", "mql", "sal", "sql", "won", "lost", "nurture"] as const;
export type Stage = (typeof STAGES)[number];

/** Who changed something: "rule:<id>", "user:<id>" or "system" (the db's `actor` column). */
export type Actor = `rule:${string}` | `user:${string}` | "system";

/** Why a ledger entry exists. */
export type LedgerReason = "event" | "fit" | "cap-correction";

/** One point change: the row the caller appends to `score_ledger`. */
export interface LedgerEntry {
  /** The event that caused it; null for fit changes and merge corrections. */
  eventId: number | string | null;
  ruleId: string;
  ruleVersion: number;
  kind: "engagement" | "fit";
  /** Raw points at `at` (engagement decays from there). */
  delta: number;
  at: number;
  reason: LedgerReason;
}

/** One stage change: the row the caller appends to `stage_changes`. */
export interface StageChange {
  from: Stage;
  to: Stage;
  at: number;
  actor: Actor;
  reason: string | null;
  /** Combined score at the moment of the change (calibration reads it); null when unknown. */
  score: number | null;
}

/** A rule hit that a cap may have to take back when two histories are merged: [at, delta, eventId]. */
export type Hit = [number, number, number | string];

/** Per-rule cap counters. Hit lists are bounded by the caps, so the state stays O(rules). */
export interface RuleCounter {
  /** Times the rule gave points. */
  count: number;
  /** First hits, kept only while a total/once cap exists (length ≤ that cap). */
  hits?: Hit[];
  /** Day number (see `dayNumber`) of `dayHits`. */
  day?: number;
  /** Hits on `day`, kept only while a per-day cap exists (length ≤ that cap). */
  dayHits?: Hit[];
}

/**
 * The engine's per-lead (or per-visitor) state. JSON-safe; the caller stores it whole in
 * `score_state` and mirrors `engagement`, `engagementAt`, `fit`, `stage` and `sortKey(...)` into
 * columns for sorting and filtering.
 */
export interface ScoreState {
  /** Schema version of this object. */
  v: 1;
  /** true for an anonymous visitor: scored, but never changes stage. */
  anonymous: boolean;
  /** Engagement points as of `engagementAt`. */
  engagement: number;
  engagementAt: number | null;
  /** Current fit points (no decay) and how they break down by rule. */
  fit: number;
  fitByRule: Record<string, number>;
  stage: Stage;
  /** Whether reaching the threshold makes an automatic MQL (re-armed when the score is seen below it). */
  armed: boolean;
  /** Latest effective time the state has seen; time never runs backwards inside the engine. */
  lastAt: number | null;
  /** Visits started (for the returning-visit rule). */
  visits: number;
  rules: Record<string, RuleCounter>;
  /** Recently applied event ids, newest last: a retried event is ignored. Bounded (see RECENT_IDS). */
  recent: (number | string)[];
  /** Operations applied; lets a background job detect a concurrent write (optimistic check). */
  seq: number;
}

/** What every state-changing engine call returns. */
export interface EngineResult {
  state: ScoreState;
  ledger: LedgerEntry[];
  stageChange?: StageChange;
}
