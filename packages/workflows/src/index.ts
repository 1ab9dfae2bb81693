export { isContactable } from "./contactable.ts";
export { apiKeyHash, sha256Hex, tombstoneHash } from "./hash.ts";
export {
  acceptInvitation,
  checkInvitation,
  INVITATION_TTL_MS,
  type InvitationCheck,
  type InvitationProblem,
  invitationPath,
  issueInvitation,
} from "./invitations.ts";
export * from "./lead-import/index.ts";
export { type LeadLedgerRow, type LeadNow, loadLeadNow } from "./lead-now.ts";
export {
  type MailJobOptions,
  type MailRunResult,
  type MailTransport,
  type OutgoingMail,
  sendDueMails,
} from "./mail.ts";
export { escapeHtml, type LeadMailInput, type RenderedMail, renderLeadMail } from "./mail-render.ts";
export { type MergeLeadsInput, type MergeLeadsResult, mergeLeads } from "./merge.ts";
export {
  type NextContentAnswer,
  type NextContentReason,
  nextContentForVisitor,
} from "./next-content.ts";
export { type NurtureRunResult, nurtureLeads, runNurture } from "./nurture.ts";
export {
  contentItemOf,
  leadContactable,
  loadSiteNurture,
  personaOf,
  type SiteNurture,
  trackOf,
} from "./nurture-site.ts";
export {
  type LeadNurtureView,
  leadNurtureView,
  type NamedTrackReport,
  type OfferView,
  siteTrackReports,
} from "./nurture-view.ts";
export {
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
  type PasswordProblem,
  passwordProblem,
} from "./password-policy.ts";
export { type LeadEventType, type LeadSummary, leadSummary, loadLeadSummary, webhookBody } from "./payloads.ts";
export {
  type EraseResult,
  erasedEmails,
  erasedVisitorIds,
  eraseLead,
  exportLead,
  isErasedEmail,
  type LeadExport,
} from "./privacy.ts";
export {
  historySteps,
  previewRescore,
  processRescoreRuns,
  profileOf,
  RESCORE_GRACE_MS,
  type RescoreBatchResult,
  rescoreLeadHistory,
  ruleSetInZone,
  runRescoreBatch,
  siteRuleVersions,
  VISIT_GAP_MS,
} from "./rescore.ts";
export {
  explainLeadRoute,
  loadSiteRouting,
  type NewMql,
  persistDecision,
  type RoutedLead,
  type RouteLeadInput,
  routeLead,
  routeMqls,
  type SiteRouting,
} from "./route-lead.ts";
export { interestOfPath, toRoutableLead, toRoutingInput } from "./routing-setup.ts";
export { publishedRuleSet, siteRuleSet } from "./rule-set.ts";
export { applySalesAction, type SalesActionInput, type SalesActionResult } from "./sales-actions.ts";
export {
  type LedgerOwner,
  ledgerRow,
  ledgerRows,
  scoreRow,
  scoreStateOf,
  stageChangeRow,
  storedState,
} from "./score-rows.ts";
export { findAndRerouteSlaBreaches, type SlaReroute, warnSlaDueSoon } from "./sla.ts";
export { escapeSlack, type SlackMessage, slackMessage } from "./slack.ts";
export {
  type DeliveryOptions,
  type DeliveryRunResult,
  deliverDueWebhooks,
  isAllowedWebhookUrl,
  retryDelay,
  SIGNATURE_HEADER,
  signWebhook,
  verifyWebhookSignature,
} from "./webhooks.ts";
