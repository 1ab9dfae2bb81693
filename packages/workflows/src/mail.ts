import {
  type ClaimedMail,
  claimDueMails,
  type Database,
  findApiLeadRow,
  hasDueMail,
  latestAssignmentTrigger,
  listLeadLedger,
  recordMailAttempt,
  withWriteTransaction,
} from "@leadtrail/db";
import { currentScore, explainScore, type LedgerEntry } from "@leadtrail/scoring";
import { renderLeadMail } from "./mail-render.ts";
import { publishedRuleSet } from "./rule-set.ts";
import { retryDelay } from "./webhooks.ts";

/** One message for the mail transport. */
export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

/**
 * Sends one message or throws. The collector's Node entry wraps nodemailer's SMTP transport in
 * this; keeping it an interface keeps this package free of Node-only code.
 */
export interface MailTransport {
  send(mail: OutgoingMail): Promise<void>;
}

export interface MailJobOptions {
  /** Null when mail is off (`SMTP_URL` unset): queued mails are marked skipped, never sent. */
  transport: MailTransport | null;
  from: string;
  /** The dashboard's public origin, for the link to the lead. */
  dashboardUrl: string;
  now?: () => number;
  maxAttempts?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** How long a claimed mail is held before another worker may try it (default 60 s). */
  leaseMs?: number;
  batchSize?: number;
}

/** What one run of the mail job did. */
export interface MailRunResult {
  sent: number;
  retried: number;
  failed: number;
  skipped: number;
}

/** How many reasons "why hot" lists. */
const WHY_HOT = 3;

/** Renders a claimed mail with the lead as it is now; undefined when the lead is gone (erased). */
async function compose(db: Database, mail: ClaimedMail, options: MailJobOptions, now: number) {
  if (mail.leadId === null) return undefined;
  const lead = await findApiLeadRow(db, mail.leadId);
  if (!lead) return undefined;
  const ruleSet = await publishedRuleSet(db, lead.siteId);
  const ledger: LedgerEntry[] = (await listLeadLedger(db, lead.id)).map((r) => ({
    eventId: r.event_id == null ? null : Number(r.event_id),
    ruleId: String(r.rule_id),
    ruleVersion: Number(r.rule_version),
    kind: r.kind === "fit" ? "fit" : "engagement",
    delta: Number(r.delta),
    at: Number(r.at),
    reason: r.reason as LedgerEntry["reason"],
  }));
  const reasons = explainScore(ledger, ruleSet, now)
    .rules.filter((r) => r.current > 0)
    .slice(0, WHY_HOT)
    .map((r) => ({ label: (mail.locale === "de" ? r.label?.de : r.label?.en) ?? r.ruleId, points: r.current }));
  const score = currentScore(lead, ruleSet, now);
  const trigger = mail.kind === "lead_assigned" ? await latestAssignmentTrigger(db, lead.id, mail.userId) : null;
  return renderLeadMail({
    kind: mail.kind,
    rerouted: trigger === "sla_reroute",
    locale: mail.locale,
    lead: { id: lead.id, email: lead.email, name: lead.name, score },
    reasons,
    link: `${options.dashboardUrl.replace(/\/+$/, "")}/leads/${lead.id}`,
  });
}

/**
 * One run of the mail job: claims due queued mails (a lease), renders each from the lead as it is
 * now and sends it. A send that fails is retried with exponential backoff (like webhooks) up to
 * `maxAttempts`, then marked failed; nothing is lost while the mail server is down. Mails of users
 * who turned e-mail off since, of erased leads, or sent while mail is off are marked skipped.
 * Database work happens in short statements, never across an SMTP conversation.
 */
export async function sendDueMails(db: Database, options: MailJobOptions): Promise<MailRunResult> {
  const now = options.now ?? Date.now;
  const result: MailRunResult = { sent: 0, retried: 0, failed: 0, skipped: 0 };
  if (!(await hasDueMail(db, now()))) return result;
  const claimed = await withWriteTransaction(db, (tx) =>
    claimDueMails(tx, now(), now() + (options.leaseMs ?? 60_000), options.batchSize ?? 20),
  );
  const maxAttempts = options.maxAttempts ?? 8;
  for (const mail of claimed) {
    const attempts = mail.attempts + 1;
    const rendered =
      options.transport && !mail.optedOut && mail.toEmail ? await compose(db, mail, options, now()) : undefined;
    if (!options.transport || !rendered) {
      result.skipped++;
      const why = !options.transport ? "mail is off" : mail.optedOut ? "e-mail turned off" : "lead not found";
      await recordMailAttempt(db, {
        id: mail.id,
        status: "skipped",
        attempts: mail.attempts,
        nextAttemptAt: now(),
        lastError: why,
        sentAt: null,
      });
      continue;
    }
    let error: string | null = null;
    try {
      await options.transport.send({ from: options.from, to: mail.toEmail, ...rendered });
    } catch (e) {
      error = ((e as Error).message || String(e)).slice(0, 300);
    }
    const at = now();
    const failed = error !== null && attempts >= maxAttempts;
    if (error === null) result.sent++;
    else if (failed) result.failed++;
    else result.retried++;
    await recordMailAttempt(db, {
      id: mail.id,
      status: error === null ? "sent" : failed ? "failed" : "pending",
      attempts,
      nextAttemptAt:
        error === null || failed
          ? at
          : at + retryDelay(attempts, options.retryBaseMs ?? 30_000, options.retryMaxMs ?? 3_600_000),
      lastError: error,
      sentAt: error === null ? at : null,
    });
  }
  return result;
}
