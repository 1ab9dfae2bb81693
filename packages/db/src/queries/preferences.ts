import type { Database } from "../client.ts";
import { rowsOf } from "./rows.ts";

/** The site a dashboard user last chose (the header's switcher), or null when none is remembered. */
export async function preferredSiteId(db: Database, userId: number): Promise<number | null> {
  const row = rowsOf(
    await db.$client.execute({ sql: "SELECT site_id FROM user_preferences WHERE user_id = ?", args: [userId] }),
  )[0];
  return row?.site_id == null ? null : Number(row.site_id);
}

/**
 * The first site (lowest id) where an admin made the user a rep in Settings → Routing, or null: a
 * rep who never chose a site starts on the site whose leads they are sent, not on the demo.
 */
export async function repSiteId(db: Database, userId: number): Promise<number | null> {
  const row = rowsOf(
    await db.$client.execute({
      sql: "SELECT min(site_id) AS site_id FROM routing_reps WHERE user_id = ?",
      args: [userId],
    }),
  )[0];
  return row?.site_id == null ? null : Number(row.site_id);
}

/** Remembers the site a user chose; it is the default of every page from now on. */
export async function setPreferredSite(db: Database, userId: number, siteId: number): Promise<void> {
  await db.$client.execute({
    sql: `INSERT INTO user_preferences (user_id, site_id) VALUES (?, ?)
          ON CONFLICT (user_id) DO UPDATE SET site_id = excluded.site_id`,
    args: [userId, siteId],
  });
}
