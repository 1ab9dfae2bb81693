import type { Database } from "../client.ts";
import { sqlJson } from "../json-text.ts";
import { type LeadViewer, visibleLeadsCondition } from "./visibility.ts";

/**
 * A notification names a lead the viewer may still see (or none): one assigned to another rep
 * since does not show its e-mail in the feed any more.
 */
export function visibleNotificationCondition(viewer: LeadViewer, alias = "n"): { sql: string; args: number[] } {
  const visible = visibleLeadsCondition(viewer, "l");
  return {
    sql: `(${alias}.lead_id IS NULL OR EXISTS (SELECT 1 FROM leads l WHERE l.id = ${alias}.lead_id AND ${visible.sql}))`,
    args: visible.args,
  };
}

import type { NotificationKind } from "../schema/notifications.ts";
import { enqueueNotificationMails } from "./mail.ts";

/** A notification to write. */
export interface NewNotification {
  siteId: number;
  userId: number;
  kind: NotificationKind;
  leadId: number | null;
  message: string;
  createdAt: number;
}

/**
 * Writes notifications in one statement (inside the transaction that caused them) and queues
 * their e-mail copies for recipients who have not turned e-mail off.
 */
export async function insertNotifications(db: Database, rows: readonly NewNotification[]): Promise<void> {
  if (rows.length === 0) return;
  await db.$client.execute({
    sql: `INSERT INTO notifications (site_id, user_id, kind, lead_id, message, created_at)
          SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5 FROM json_each(?)`,
    args: [sqlJson(rows.map((n) => [n.siteId, n.userId, n.kind, n.leadId, n.message, n.createdAt]))],
  });
  await enqueueNotificationMails(db, rows);
}

/** A notification as the feed shows it. */
export interface NotificationRow extends NewNotification {
  id: number;
  readAt: number | null;
}

/** A user's notifications after `afterId` (the SSE stream's cursor), oldest first, about leads they may see. */
export async function listNotifications(
  db: Database,
  viewer: LeadViewer,
  options: { afterId?: number; limit?: number; unreadOnly?: boolean } = {},
): Promise<NotificationRow[]> {
  const visible = visibleNotificationCondition(viewer);
  const result = await db.$client.execute({
    sql: `SELECT * FROM notifications n WHERE n.user_id = ? AND n.id > ? ${options.unreadOnly ? "AND n.read_at IS NULL" : ""}
            AND ${visible.sql}
          ORDER BY n.id LIMIT ?`,
    args: [viewer.id, options.afterId ?? 0, ...visible.args, options.limit ?? 100],
  });
  return (result.rows as Record<string, unknown>[]).map((r) => ({
    id: Number(r.id),
    siteId: Number(r.site_id),
    userId: Number(r.user_id),
    kind: r.kind as NewNotification["kind"],
    leadId: r.lead_id == null ? null : Number(r.lead_id),
    message: String(r.message),
    createdAt: Number(r.created_at),
    readAt: r.read_at == null ? null : Number(r.read_at),
  }));
}

/** Marks a user's notifications read (only their own). */
export async function markNotificationsRead(
  db: Database,
  userId: number,
  ids: readonly number[],
  at: number,
): Promise<void> {
  if (ids.length === 0) return;
  await db.$client.execute({
    sql: `UPDATE notifications SET read_at = coalesce(read_at, ?)
          WHERE user_id = ? AND id IN (SELECT value FROM json_each(?))`,
    args: [at, userId, sqlJson(ids)],
  });
}
