export { applyEvent } from "./apply-event.ts";
export {
  CALIBRATION_MIN_OUTCOMES,
  type Calibration,
  type CalibrationBand,
  type CalibrationLead,
  calibrate,
  type ThresholdQuality,
} from "./calibrate.ts";
export { perDayCap, totalCap } from "./caps.ts";
export {
  COMPANY_WEIGHTS,
  type CompanyMember,
  type CompanyRollup,
  type CompanyRollupOptions,
  companyKey,
  companyRollup,
} from "./company.ts";
export { currentScore, type StoredScore } from "./current-score.ts";
export {
  DAY_MS,
  DECAY_EPOCH_MS,
  dayNumber,
  decayedValue,
  decayFactor,
  engagementSortKey,
  SORT_KEY_OFFSET,
} from "./decay.ts";
export { defaultRuleSet } from "./defaults.ts";
export { explainScore, type RuleContribution, type ScoreExplanation } from "./explain.ts";
export { computeFit, profileFromTraits, sumFit, updateTraits } from "./fit.ts";
export { domainInList, emailDomain, FREE_MAIL_DOMAINS, isFreeMailDomain } from "./free-mail.ts";
export { compileGlob, globMatch, globMatchAny } from "./glob.ts";
export { type EngagementLevel, type FitLetter, type Grade, gradeOf, gradeState } from "./grade.ts";
export { DEFAULT_SCORE_EDGES, type Histogram, histogram } from "./histogram.ts";
export { identify, mergeLeads } from "./identify.ts";
export {
  AUTO_MQL_FROM,
  SALES_MOVES,
  type SalesAction,
  type SalesActionType,
  STAGE_RANK,
  TRANSITION_ERRORS,
  type TransitionErrorCode,
  type TransitionResult,
  transition,
} from "./lifecycle.ts";
export { eventMatches, headCount, type MatchContext, ruleMatches, traitsMatch } from "./match.ts";
export {
  combinePreviews,
  emptyPreview,
  type PreviewLead,
  type PreviewResult,
  type PreviewStageChange,
  previewRuleChange,
} from "./preview.ts";
export {
  type ReplayResult,
  type ReplayStep,
  type RescoreResult,
  type RuleSetSource,
  replay,
  rescoreLead,
} from "./replay.ts";
export { type RescoreInput, type RescoreOutput, type RescoreProgress, rescoreChunk, startRescore } from "./rescore.ts";
export {
  EVENT_TYPES,
  type FieldError,
  fieldOfPath,
  RULE_FIELDS,
  type RuleFields,
  ruleFromFields,
  ruleIdFrom,
  ruleToFields,
} from "./rule-form.ts";
export { ruleSetFromJson } from "./rule-set-json.ts";
export { RULE_TEMPLATES, type RuleTemplate } from "./rule-templates.ts";
export { type RuleTestResult, type SampleEvent, type SampleLead, testRule } from "./rule-test.ts";
export { combinedScore, engagementAt, initialState, RECENT_IDS, sortKey } from "./state.ts";
export * from "./types.ts";
export { RULE_LIMITS, type ValidationError, type ValidationResult, validateRule, validateRuleSet } from "./validate.ts";
