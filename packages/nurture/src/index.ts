export {
  type Acquisition,
  type AcquisitionSource,
  acquisitionOf,
  COLD_SOURCES,
  type ContactBasis,
  type ContactDecision,
  type ContactReason,
  type ContactSubject,
  contactFlag,
  LEGAL_BASES,
  type LegalBasis,
  mayContact,
  outboundExportAllowed,
  WARM_SOURCES,
} from "./acquisition.ts";
export {
  type CampaignPlan,
  type Counts,
  campaignMonths,
  campaignPeriod,
  type DayCounts,
  type GoalView,
  goalViews,
  metricTimes,
  monthlyGoalLine,
  overallStatus,
  recentMonths,
  sumCounts,
  utcMonthOf,
} from "./campaign-results.ts";
export { type Consumption, consumption, contentAt, contentHref, normTopic, topicsOf } from "./catalogue.ts";
export {
  type CampaignGoal,
  type CampaignPeriod,
  costPer,
  GOAL_METRICS,
  type GoalMetric,
  type GoalOptions,
  type GoalProgress,
  type GoalStatus,
  type GoalWindow,
  goalProgress,
  goalWindow,
  type MonthCount,
  monthlyCounts,
} from "./goals.ts";
export {
  type LeadNurtureFacts,
  type LeadStep,
  latestOpenOffer,
  type NurtureSite,
  type NurtureWrite,
  nurtureWrite,
  type OfferedContent,
  offeredContent,
  siteOrigin,
  stepLead,
  storedProgress,
} from "./lead-step.ts";
export {
  applicableTracks,
  type Blocked,
  type BlockedStep,
  type CookielessPick,
  cookielessDefault,
  type DueStep,
  type Exhausted,
  type NextBest,
  type NoTrack,
  nextBestContent,
  type WaitingStep,
} from "./next-best.ts";
export {
  type CriterionResult,
  evaluatePersona,
  type MatchOptions,
  matchInputsChanged,
  matchPersona,
  type PersonaEvaluation,
  rankPersonas,
} from "./personas.ts";
export { type ConsumeResult, emptyProgress, markConsumed, markOffered, type Offer } from "./progress.ts";
export { type ReportLead, type StepReport, type TrackReport, trackReport } from "./report.ts";
export * from "./types.ts";
export {
  NURTURE_LIMITS,
  type NurtureValidationError,
  type Validated,
  validateCatalogue,
  validatePersonas,
  validateTracks,
} from "./validate.ts";
