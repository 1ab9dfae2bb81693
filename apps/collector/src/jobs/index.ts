import type { Database } from "@leadtrail/db";
import {
  deliverDueWebhooks,
  findAndRerouteSlaBreaches,
  type MailTransport,
  processRescoreRuns,
  runNurture,
  sendDueMails,
  warnSlaDueSoon,
} from "@leadtrail/workflows";
import type { JobsConfig } from "./config.ts";
import { type PeriodicJob, startPeriodic } from "./periodic.ts";
import { runRollupRebuild } from "./rollup-rebuild.ts";

export { type JobsConfig, loadJobsConfig } from "./config.ts";
export { type PeriodicJob, startPeriodic } from "./periodic.ts";
export { type RollupRebuildDone, runRollupRebuild } from "./rollup-rebuild.ts";

/**
 * Starts the collector's background jobs: the SLA job (warns reps before an SLA ends, re-routes
 * leads not accepted in time), the webhook worker (sends the outbox, retries with backoff), the
 * mail job (sends the mail outbox through `mailTransport`, retries with backoff; null = mail off),
 * the re-score job (applies a published rule set to existing leads), the nurture job (personas,
 * due nurture steps) and the rollup rebuild job (re-keys a site's day counters after its time zone
 * changed). Returns one handle that stops them all.
 */
export function startJobs(
  db: Database,
  config: JobsConfig,
  now: () => number = Date.now,
  mailTransport: MailTransport | null = null,
): PeriodicJob {
  if (config.COLLECTOR_JOBS === "0") return { stop: async () => {} };
  const slaJob = async () => {
    if (config.SLA_WARNING_MS > 0) await warnSlaDueSoon(db, now(), config.SLA_WARNING_MS);
    return findAndRerouteSlaBreaches(db, now());
  };
  const jobs = [
    startPeriodic("sla job", slaJob, config.SLA_CHECK_INTERVAL_MS),
    startPeriodic(
      "mail job",
      () =>
        sendDueMails(db, {
          transport: mailTransport,
          from: config.MAIL_FROM,
          dashboardUrl: config.DASHBOARD_URL,
          now,
          maxAttempts: config.MAIL_MAX_ATTEMPTS,
          retryBaseMs: config.MAIL_RETRY_BASE_MS,
        }),
      config.MAIL_POLL_MS,
    ),
    startPeriodic(
      "webhook worker",
      () =>
        deliverDueWebhooks(db, {
          now,
          maxAttempts: config.WEBHOOK_MAX_ATTEMPTS,
          timeoutMs: config.WEBHOOK_TIMEOUT_MS,
          retryBaseMs: config.WEBHOOK_RETRY_BASE_MS,
          dashboardUrl: config.DASHBOARD_URL,
        }),
      config.WEBHOOK_POLL_MS,
    ),
    // Small batches, each its own short write transaction: ingest commits in between.
    startPeriodic("rescore job", () => processRescoreRuns(db, { now }), config.RESCORE_POLL_MS),
    // Persona matching and nurture steps: small batches of changed leads, each a short write transaction.
    startPeriodic("nurture job", () => runNurture(db, { now: now() }), config.NURTURE_INTERVAL_MS),
    startPeriodic("rollup rebuild job", () => runRollupRebuild(db, now()), config.REBUILD_POLL_MS),
  ];
  return { stop: async () => void (await Promise.all(jobs.map((j) => j.stop()))) };
}
