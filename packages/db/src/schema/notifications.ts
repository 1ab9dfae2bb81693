import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { users } from "./auth.ts";
import { sites } from "./sites.ts";

/** Kinds of in-app notification. */
export const NOTIFICATION_KINDS = ["lead_assigned", "sla_breach"] as const;
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

export type Notification = typeof notifications.$inferSelect;
