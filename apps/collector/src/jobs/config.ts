import * as v from "valibot";
import { parseEnv } from "../validation.ts";

const ms = (fallback: string, min: number) =>
  v.optional(v.pipe(v.string(), v.transform(Number), v.integer(), v.minValue(min)), fallback);

const jobsEnv = v.object({
  /** `0` turns the background jobs off in this process (e.g. a second collector). */
  COLLECTOR_JOBS: v.optional(v.picklist(["0", "1"]), "1"),
  /** How often the SLA job looks for leads not accepted in time. */
  SLA_CHECK_INTERVAL_MS: ms("30000", 100),
  /** How often the webhook worker looks for events to send. */
  WEBHOOK_POLL_MS: ms("1000", 10),
  WEBHOOK_MAX_ATTEMPTS: ms("8", 1),
  WEBHOOK_TIMEOUT_MS: ms("10000", 100),
  /** First retry delay; each further retry waits twice as long (capped at an hour). */
  WEBHOOK_RETRY_BASE_MS: ms("30000", 1),
  /** How often the re-score job looks for a published rule set to apply to existing leads. */
  RESCORE_POLL_MS: ms("1000", 10),
  /** How often the rollup rebuild job looks for a site whose time zone changed. */
  REBUILD_POLL_MS: ms("2000", 10),
  /** How often the nurture job re-matches personas and offers due nurture steps (`lead.nurture_step_due`). */
  NURTURE_INTERVAL_MS: ms("60000", 100),
  /** How long before an SLA ends its rep is warned (in the app and by e-mail); `0` turns the warning off. */
  SLA_WARNING_MS: ms("900000", 0),
  /** SMTP server for notification e-mails (`smtp://user:pass@host:587`, `smtps://…`); unset = no e-mail. */
  SMTP_URL: v.optional(v.pipe(v.string(), v.regex(/^smtps?:\/\/./, "expected an smtp:// or smtps:// URL"))),
  /** The From address of notification e-mails. */
  MAIL_FROM: v.optional(v.pipe(v.string(), v.minLength(3), v.maxLength(200)), "leadtrail <leadtrail@localhost>"),
  /** The dashboard's public address: e-mails and Slack messages link to leads there. */
  DASHBOARD_URL: v.optional(v.pipe(v.string(), v.url()), "http://localhost:5173"),
  /** How often the mail job looks for e-mails to send. */
  MAIL_POLL_MS: ms("1000", 10),
  MAIL_MAX_ATTEMPTS: ms("8", 1),
  /** First retry delay of an e-mail the SMTP server did not take; doubling, capped at an hour. */
  MAIL_RETRY_BASE_MS: ms("30000", 1),
});

export type JobsConfig = v.InferOutput<typeof jobsEnv>;

/** Reads and validates the background jobs' settings once, at the entry point. */
export function loadJobsConfig(env: Record<string, string | undefined>): JobsConfig {
  return parseEnv(jobsEnv, env);
}
