export {
  isOutOfOffice,
  isValidTimeZone,
  type LocalTime,
  localTime,
  parseHhmm,
  presenceProblem,
  withinWorkingHours,
} from "./availability.ts";
export { failedConditions, leadCountry, parseCompanySize } from "./conditions.ts";
export { buildRegionIndex, DEFAULT_REGIONS, knownRegions, type RegionIndex, regionsOf } from "./regions.ts";
export { type Pick, pickWeighted, type WeightedCandidate } from "./round-robin.ts";
export {
  assignmentFromDecision,
  DEFAULT_FALLBACK_QUEUE,
  emptyRoutingState,
  explainRoute,
  type RouteExplanation,
  type RouteOptions,
  type RouteResult,
  route,
} from "./route.ts";
export { findSlaBreaches, rerouteAfterSlaBreach, type SlaRerouteResult, slaWarningAt } from "./sla.ts";
export * from "./types.ts";
export {
  ROUTING_ISSUE_CODES,
  type RoutingIssue,
  type RoutingIssueCode,
  validateRoutingConfig,
} from "./validate.ts";
