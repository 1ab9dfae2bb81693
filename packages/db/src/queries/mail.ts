import type { Database } from "../client.ts";
import { sqlJson } from "../json-text.ts";
import type { NewNotification } from "./notifications.ts";

/**
 * Queues the e-mail copy of notifications for every recipient who has not turned e-mail off
 * (one statement, inside the transaction that writes the notifications; nothing personal is
 * stored: the mail job reads the lead when it sends).
 */
export async function enqueueNotificationMails(db: Database, rows: readonly NewNotification[]): Promise<void> {
  if (rows.length === 0) return;
  await db.$client.execute({
    sql: `INSERT INTO mail_outbox (site_id, user_id, kind, lead_id, next_attempt_at, created_at)
          SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>4 FROM json_each(?)
          WHERE NOT EXISTS (SELECT 1 FROM notification_preferences p WHERE p.user_id = value->>1 AND p.email = 0)`,
    args: [sqlJson(rows.map((n) => [n.siteId, n.userId, n.kind, n.leadId, n.createdAt]))],
  });
}

/** A user's notification settings (defaults when never saved). */
export async function getNotificationPreferences(db: Database, userId: number): Promise<{ email: boolean }> {
  const result = await db.$client.execute({
    sql: "SELECT email FROM notification_preferences WHERE user_id = ?",
    args: [userId],
  });
  const row = result.rows[0] as { email?: unknown } | undefined;
  return { email: row ? Number(row.email) === 1 : true };
}

/** Saves whether a user gets notifications by e-mail too. */
export async function setEmailNotifications(db: Database, userId: number, email: boolean, now: number): Promise<void> {
  await db.$client.execute({
    sql: `INSERT INTO notification_preferences (user_id, email, updated_at) VALUES (?, ?, ?)
          ON CONFLICT (user_id) DO UPDATE SET email = excluded.email, updated_at = excluded.updated_at`,
    args: [userId, email ? 1 : 0, now],
  });
}

/** A queued e-mail claimed for sending, with its recipient. */
export interface ClaimedMail {
  id: number;
  siteId: number;
  userId: number;
  kind: NewNotification["kind"];
  leadId: number | null;
  attempts: number;
  toEmail: string;
  toName: string | null;
  locale: string;
  /** The recipient turned e-mail off after it was queued. */
  optedOut: boolean;
}

/**
 * Claims up to `limit` due pending mails by pushing their `next_attempt_at` to `leaseUntil`, so a
 * second collector does not send them too and a worker that dies mid-send leaves them for later.
 */
export async function claimDueMails(db: Database, now: number, leaseUntil: number, limit = 20): Promise<ClaimedMail[]> {
  const result = await db.$client.execute({
    sql: `UPDATE mail_outbox SET next_attempt_at = ?
          WHERE id IN (SELECT id FROM mail_outbox WHERE status = 'pending' AND next_attempt_at <= ?
                       ORDER BY next_attempt_at, id LIMIT ?)
          RETURNING id, site_id, user_id, kind, lead_id, attempts,
            (SELECT email FROM users u WHERE u.id = user_id) AS to_email,
            (SELECT name FROM users u WHERE u.id = user_id) AS to_name,
            (SELECT locale FROM users u WHERE u.id = user_id) AS locale,
            (SELECT p.email = 0 FROM notification_preferences p WHERE p.user_id = mail_outbox.user_id) AS opted_out`,
    args: [leaseUntil, now, limit],
  });
  return (result.rows as Record<string, unknown>[])
    .map((r) => ({
      id: Number(r.id),
      siteId: Number(r.site_id),
      userId: Number(r.user_id),
      kind: r.kind as NewNotification["kind"],
      leadId: r.lead_id == null ? null : Number(r.lead_id),
      attempts: Number(r.attempts),
      toEmail: String(r.to_email ?? ""),
      toName: (r.to_name as string | null) ?? null,
      locale: String(r.locale ?? "en"),
      optedOut: Number(r.opted_out) === 1,
    }))
    .sort((a, b) => a.id - b.id);
}

/** The outcome of one send attempt. */
export interface MailAttempt {
  id: number;
  status: "pending" | "sent" | "failed" | "skipped";
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  sentAt: number | null;
}

/** Records an attempt: sent, skipped, failed for good, or pending again at `nextAttemptAt`. */
export async function recordMailAttempt(db: Database, a: MailAttempt): Promise<void> {
  await db.$client.execute({
    sql: "UPDATE mail_outbox SET status = ?, attempts = ?, next_attempt_at = ?, last_error = ?, sent_at = ? WHERE id = ?",
    args: [a.status, a.attempts, a.nextAttemptAt, a.lastError, a.sentAt, a.id],
  });
}

/** Whether any queued mail is due (a cheap read, so an idle mail job takes no write lock). */
export async function hasDueMail(db: Database, now: number): Promise<boolean> {
  const result = await db.$client.execute({
    sql: "SELECT 1 FROM mail_outbox WHERE status = 'pending' AND next_attempt_at <= ? LIMIT 1",
    args: [now],
  });
  return result.rows.length > 0;
}

/** An open, unaccepted assignment whose SLA ends soon and whose rep has not been warned yet. */
export interface SlaWarningCandidate {
  id: number;
  siteId: number;
  leadId: number;
  repId: number;
  at: number;
  slaDueAt: number;
}

/** Current rep assignments not accepted, not warned, with an SLA ending in `(now, now + windowMs]`. */
export async function slaWarningCandidates(
  db: Database,
  now: number,
  windowMs: number,
  limit = 100,
): Promise<SlaWarningCandidate[]> {
  const result = await db.$client.execute({
    sql: `SELECT id, site_id, lead_id, rep_id, at, sla_due_at FROM lead_assignments
          WHERE closed_at IS NULL AND accepted_at IS NULL AND sla_due_at IS NOT NULL
            AND sla_due_at > ? AND sla_due_at <= ? AND sla_warned_at IS NULL AND rep_id IS NOT NULL
          ORDER BY sla_due_at, id LIMIT ?`,
    args: [now, now + windowMs, limit],
  });
  return (result.rows as Record<string, unknown>[]).map((r) => ({
    id: Number(r.id),
    siteId: Number(r.site_id),
    leadId: Number(r.lead_id),
    repId: Number(r.rep_id),
    at: Number(r.at),
    slaDueAt: Number(r.sla_due_at),
  }));
}

/** Stamps assignments as warned, so each rep is warned once per assignment. */
export async function markSlaWarned(db: Database, assignmentIds: readonly number[], at: number): Promise<void> {
  if (assignmentIds.length === 0) return;
  await db.$client.execute({
    sql: "UPDATE lead_assignments SET sla_warned_at = ? WHERE id IN (SELECT value FROM json_each(?))",
    args: [at, sqlJson(assignmentIds)],
  });
}

/** The trigger of a rep's latest assignment of a lead (`mql`, `sla_reroute`, …), for the mail's wording. */
export async function latestAssignmentTrigger(db: Database, leadId: number, repId: number): Promise<string | null> {
  const result = await db.$client.execute({
    sql: "SELECT trigger FROM lead_assignments WHERE lead_id = ? AND rep_id = ? ORDER BY id DESC LIMIT 1",
    args: [leadId, repId],
  });
  const row = result.rows[0] as { trigger?: unknown } | undefined;
  return row ? String(row.trigger) : null;
}
