import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { users } from "./auth.ts";
import { sites } from "./sites.ts";

/** Kinds of in-app notification. */
export const NOTIFICATION_KINDS = ["lead_assigned", "sla_warning", "sla_breach"] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** The in-app feed: written in the transaction that caused it; the dashboard streams it (SSE). */
export const notifications = sqliteTable(
  "notifications",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    siteId: integer("site_id")
      .notNull()
      .references(() => sites.id),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: NOTIFICATION_KINDS }).notNull(),
    leadId: integer("lead_id"),
    /** One line for people, without personal data beyond the lead id (the UI looks the lead up). */
    message: text("message").notNull(),
    createdAt: integer("created_at").notNull(),
    readAt: integer("read_at"),
  },
  (t) => [
    // The feed streams a user's rows after the last id it sent.
    index("notifications_user_idx").on(t.userId, t.id),
    index("notifications_lead_idx").on(t.leadId),
  ],
);

/**
 * A user's own notification settings. No row means the defaults (e-mail on), so existing users
 * and new invitations need nothing written.
 */
export const notificationPreferences = sqliteTable("notification_preferences", {
  userId: integer("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  /** E-mail a copy of each notification (routed, re-routed, SLA about to be missed). */
  email: integer("email", { mode: "boolean" }).notNull().default(true),
  updatedAt: integer("updated_at").notNull(),
});

/** Where a queued e-mail stands. */
export const MAIL_STATUSES = ["pending", "sent", "failed", "skipped"] as const;

/**
 * E-mails to send, written in the transaction of the notification they copy (a transactional
 * outbox like the webhooks' one): the ingest commit never waits on SMTP, and a mail server that is
 * down only delays the mail. The mail job renders and sends each row with the lead's data as it is
 * then (so nothing personal is stored here), and retries with backoff.
 */
export const mailOutbox = sqliteTable(
  "mail_outbox",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    siteId: integer("site_id")
      .notNull()
      .references(() => sites.id),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: NOTIFICATION_KINDS }).notNull(),
    leadId: integer("lead_id"),
    status: text("status", { enum: MAIL_STATUSES }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at").notNull(),
    lastError: text("last_error"),
    createdAt: integer("created_at").notNull(),
    sentAt: integer("sent_at"),
  },
  (t) => [
    // The mail job picks due pending rows.
    index("mail_outbox_due_idx").on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    // Erasing a lead deletes its queued mail.
    index("mail_outbox_lead_idx").on(t.leadId),
  ],
);

export type Notification = typeof notifications.$inferSelect;
export type MailOutboxRow = typeof mailOutbox.$inferSelect;
