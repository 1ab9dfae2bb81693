import type { Database } from "../../client.ts";
import { visibleNotificationCondition } from "../notifications.ts";
import type { LeadViewer } from "../visibility.ts";
import { selectRows } from "./filters.ts";

/** How many unread notifications a user has (the bell's badge). */
export async function countUnreadNotifications(db: Database, viewer: LeadViewer): Promise<number> {
  const visible = visibleNotificationCondition(viewer);
  const rows = await selectRows<{ n: number }>(
    db,
    `SELECT count(*) AS n FROM notifications n WHERE n.user_id = ? AND n.read_at IS NULL AND ${visible.sql}`,
    [viewer.id, ...visible.args],
  );
  return Number(rows[0]?.n ?? 0);
}

/** A user's newest notifications about leads they may see, newest first (the notifications page). */
export async function listRecentNotifications(
  db: Database,
  viewer: LeadViewer,
  limit = 100,
): Promise<
  { id: number; kind: string; leadId: number | null; message: string; createdAt: number; readAt: number | null }[]
> {
  const visible = visibleNotificationCondition(viewer);
  return selectRows(
    db,
    `SELECT n.id, n.kind, n.lead_id AS leadId, n.message, n.created_at AS createdAt, n.read_at AS readAt
       FROM notifications n WHERE n.user_id = ? AND ${visible.sql} ORDER BY n.id DESC LIMIT ?`,
    [viewer.id, ...visible.args, limit],
  );
}

/** Marks all of a user's notifications read. */
export async function markAllNotificationsRead(db: Database, userId: number, at: number): Promise<void> {
  await db.$client.execute({
    sql: "UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL",
    args: [at, userId],
  });
}

/** The id of a user's newest notification (0 without any): where a fresh live stream starts. */
export async function latestNotificationId(db: Database, userId: number): Promise<number> {
  const rows = await selectRows<{ id: number | null }>(
    db,
    "SELECT max(id) AS id FROM notifications WHERE user_id = ?",
    [userId],
  );
  return Number(rows[0]?.id ?? 0);
}
