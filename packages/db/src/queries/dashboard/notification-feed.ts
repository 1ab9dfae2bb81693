import type { Database } from "../../client.ts";
import { selectRows } from "./filters.ts";

/** How many unread notifications a user has (the bell's badge). */
export async function countUnreadNotifications(db: Database, userId: number): Promise<number> {
  const rows = await selectRows<{ n: number }>(
    db,
    "SELECT count(*) AS n FROM notifications WHERE user_id = ? AND read_at IS NULL",
    [userId],
  );
  return Number(rows[0]?.n ?? 0);
}

/** A user's newest notifications, newest first (the notifications page). */
export async function listRecentNotifications(
  db: Database,
  userId: number,
  limit = 100,
): Promise<
  { id: number; kind: string; leadId: number | null; message: string; createdAt: number; readAt: number | null }[]
> {
  return selectRows(
    db,
    `SELECT id, kind, lead_id AS leadId, message, created_at AS createdAt, read_at AS readAt FROM notifications
      WHERE user_id = ? ORDER BY id DESC LIMIT ?`,
    [userId, limit],
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
