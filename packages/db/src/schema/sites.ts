import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** A website that embeds the tracker. `publicKey` is in the snippet; `domains` limits where events may come from. */
export const sites = sqliteTable("sites", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  publicKey: text("public_key").notNull().unique(),
  name: text("name").notNull(),
  /** Hostnames allowed to send events; a leading "*." allows subdomains. */
  domains: text("domains", { mode: "json" }).$type<string[]>().notNull(),
  /** SHA-256 (hex) of the secret API key for server-side calls; the key itself is never stored. */
  secretKeyHash: text("secret_key_hash"),
  /** Per-site switches (consent, unverified identify, …), validated by the apps. */
  settings: text("settings", { mode: "json" }).$type<Record<string, unknown>>().notNull().default({}),
  /**
   * IANA time zone whose calendar days the rollups, campaign goals and per-day caps count in.
   * Changing it rebuilds the site's rollups in the background (collector job `rebuild-rollups`).
   */
  timeZone: text("time_zone").notNull().default("UTC"),
  createdAt: integer("created_at").notNull(),
  /** Set by the first stored event: the install check in settings turns green. */
  firstEventAt: integer("first_event_at"),
});

export type Site = typeof sites.$inferSelect;
export type NewSite = typeof sites.$inferInsert;

/**
 * The last events a site's collector refused, for the install check in Settings → Sites: which
 * host sent them, why, when, and how many since the row was made. One row per site, no personal
 * data (a hostname and a reason code, never an IP, user agent or visitor id). The collector
 * writes it at most every few seconds per site, so a flood of refused requests costs no writes.
 */
export const siteRefusals = sqliteTable("site_refusals", {
  siteId: integer("site_id")
    .primaryKey()
    .references(() => sites.id, { onDelete: "cascade" }),
  /** Hostname of the Origin (or the page) the refused events came from; null when none was sent. */
  host: text("host"),
  /** forbidden_origin, bot, bad_request or rate_limited. */
  reason: text("reason").notNull(),
  at: integer("at").notNull(),
  count: integer("count").notNull(),
});

export type SiteRefusal = typeof siteRefusals.$inferSelect;
