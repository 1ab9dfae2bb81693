import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * The secret salt of each UTC day for cookieless visitor ids (hash of salt, site, IP and user
 * agent). A salt is deleted 48 hours after it was made, after which nobody — not even the operator —
 * can link that day's hashes back to an IP address.
 */
export const dailySalts = sqliteTable(
  "daily_salts",
  {
    /** UTC day, YYYY-MM-DD. */
    day: text("day").primaryKey(),
    salt: text("salt").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  // Expiry deletes by age.
  (t) => [index("daily_salts_created_idx").on(t.createdAt)],
);

export type DailySalt = typeof dailySalts.$inferSelect;
