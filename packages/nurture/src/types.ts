/**
 * Plain-data types of the nurture core. Everything is JSON-safe: the caller stores personas, tracks,
 * the catalogue and each lead's `NurtureProgress` as they are, and passes them back in. Times are epoch ms.
 */
import type { SizeRange } from "@leadtrail/routing";
import type { ProfileTraits, Stage } from "@leadtrail/scoring";

/** Kinds of content a catalogue item can be; the dashboard groups and labels by it. */
export const CONTENT_KINDS = [
  "blog",
  "whitepaper",
  "ebook",
  "product",
  "pricing",
  "webinar",
  "case-study",
  "video",
  "documentation",
  "newsletter",
  "event",
  "other",
] as const;
export type ContentKind = (typeof CONTENT_KINDS)[number];

/** One piece of content the company offers: a page on its site or a URL elsewhere (a webinar sign-up). */
export interface ContentItem {
  id: string;
  title?: string;
  kind: ContentKind;
  /** Topics it is about, e.g. ["security", "compliance"]; consumed topics are counted from these. */
  topics: readonly string[];
  /**
   * Where the content lives: globs matched case-insensitively (`*` any run incl. `/`, `?` one character).
   * A pattern starting with "/" matches the page path, any other the full URL without query and fragment.
   */
  match: readonly string[];
  /** The link to offer (e-mail tool, website widget). Defaults to the first pattern when it has no wildcard. */
  href?: string;
}

/** A topic a persona's leads read about, and how many distinct items of it make the criterion hold. */
export interface TopicCriterion {
  topic: string;
  /** Distinct content items of the topic consumed; default 1. */
  min?: number;
}

/**
 * What a persona's leads look like. Every criterion given is evaluated; a list means any of its values
 * (OR), like routing conditions. `countries` and `regions` form one criterion (territory). Strings compare
 * trimmed and case-insensitively; `roles` are substrings of the job title ("head of", "cto").
 */
export interface PersonaCriteria {
  roles?: readonly string[];
  seniorities?: readonly string[];
  industries?: readonly string[];
  /** Inclusive employee ranges; a band such as "51-200" counts by its lower bound. */
  companySize?: readonly SizeRange[];
  /** ISO 3166-1 alpha-2 codes. */
  countries?: readonly string[];
  /** Region names from routing's region map ("DACH", "EMEA", …). */
  regions?: readonly string[];
  /** Behaviour: any listed topic consumed at least `min` times. */
  topics?: readonly TopicCriterion[];
}

/** The criterion kinds, in the order reasons are reported. */
export const CRITERION_KINDS = ["role", "seniority", "industry", "companySize", "territory", "topics"] as const;
export type CriterionKind = (typeof CRITERION_KINDS)[number];

/** A target group: a named description plus the criteria that recognise its leads. */
export interface Persona {
  id: string;
  name: string;
  description?: string;
  criteria: PersonaCriteria;
  /** Points each criterion is worth when it holds; default 1 each. */
  weights?: Partial<Record<CriterionKind, number>>;
  /** Criteria that must hold for the persona to qualify at all (default: every criterion given). */
  required?: readonly CriterionKind[];
  /** Share (0–1) of the total weight that must hold; default 1 (all criteria). */
  minMatch?: number;
  /** Content to recommend to an anonymous (cookieless) visitor of this persona, before any track step. */
  defaultContentId?: string;
  /** false keeps the persona but never matches it. Default true. */
  enabled?: boolean;
}

/** What persona matching looks at: the profile and the consumed topics (topic → distinct items consumed). */
export interface PersonaSubject {
  traits: ProfileTraits;
  topics?: Readonly<Record<string, number>>;
}

/** Conditions of a nurture step. Every condition given must hold. */
export interface StepConditions {
  /** The lead's stage is one of these (on top of the track's stages). */
  stages?: readonly Stage[];
  /** Inclusive bounds on the lead's combined score; a lead without a score fails a bound. */
  minScore?: number;
  maxScore?: number;
  /** None of these content ids may have been consumed yet (the step's own content never may). */
  notConsumed?: readonly string[];
  /** Days since the lead's last touch (any nurture offer, or a touch the caller reports). */
  minDaysSinceLastTouch?: number;
  /** Days since the previous step of this track was offered. */
  minDaysSincePreviousStep?: number;
}

/** One step of a track: the content to offer and when it may be offered. */
export interface NurtureStep {
  id: string;
  contentId: string;
  conditions?: StepConditions;
}

/** What a track is for; customers (Closed Won) get onboarding and upsell tracks. */
export const TRACK_PURPOSES = ["nurture", "onboarding", "upsell", "reactivation"] as const;
export type TrackPurpose = (typeof TRACK_PURPOSES)[number];

/** A nurture track: ordered steps decided in advance for one persona (or all) in some stages. */
export interface NurtureTrack {
  id: string;
  name?: string;
  purpose?: TrackPurpose;
  /** The persona it serves; null serves every lead (the fallback when no persona track applies). */
  personaId: string | null;
  /** Stages the track serves, e.g. ["lead", "nurture"], or ["won"] for customer onboarding. */
  stages: readonly Stage[];
  /** Lower runs first when several tracks apply; default 0. */
  priority?: number;
  steps: readonly NurtureStep[];
  enabled?: boolean;
}

/** Everything the next-step logic needs to know about one lead. */
export interface NurtureLead {
  stage: Stage;
  /** Combined score (fit + engagement) now; null or absent when unknown. */
  score?: number | null;
  /** The matched persona (see `matchPersona`); null when none qualified. */
  personaId?: string | null;
  /** Content ids consumed according to the caller's event history (merged with the progress' own record). */
  consumedContentIds?: readonly string[];
  /** Last touch the caller knows of outside nurture (a sales e-mail, a call); merged with nurture offers. */
  lastTouchAt?: number | null;
}

/** One step's record in a lead's progress. */
export interface StepProgress {
  /** The content offered, kept so conversions can be found without the track definition. */
  contentId: string;
  /** When the step was offered (webhook delivered, shown on the site). */
  offeredAt: number;
  /** Where it was offered, for the report ("webhook", "website", …). */
  channel?: string;
  /** When the lead consumed the offered content: the step converted. null while not. */
  convertedAt: number | null;
}

/**
 * A lead's nurture progress: the only state this package keeps. The caller stores it as JSON (one
 * column on the lead) and passes it back; every function returns a new object and never mutates.
 */
export interface NurtureProgress {
  v: 1;
  /** trackId → stepId → record. Steps never offered are absent. */
  tracks: Record<string, Record<string, StepProgress>>;
  /** contentId → first time the lead consumed it (bounded by the catalogue size). */
  consumed: Record<string, number>;
  /** Latest nurture offer; null before the first. */
  lastTouchAt: number | null;
}
