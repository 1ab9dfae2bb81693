import { integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { sites } from "./sites.ts";

/**
 * What is left of an erased lead: keyed hashes (HMAC-SHA256 with the site's tombstone key) of its e-mail and visitor ids (with the site), so a
 * later identify with that e-mail or a later event from those browsers is refused instead of
 * bringing the person back. No personal data in clear.
 */
export const privacyTombstones = sqliteTable(
  "privacy_tombstones",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    siteId: integer("site_id")
      .notNull()
      .references(() => sites.id),
    kind: text("kind", { enum: ["email", "visitor"] }).notNull(),
    /** HMAC-SHA256 hex of `${siteId}:${kind}:${value}` under the site's tombstone key (rows from before keys existed: plain SHA-256). */
    hash: text("hash").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  // The write path looks hashes up per site and kind.
  (t) => [uniqueIndex("privacy_tombstones_uq").on(t.siteId, t.kind, t.hash)],
);

/**
 * The secret each site's tombstones are keyed with, made on the first erase. A plain hash of an
 * e-mail is reversed by hashing a list of addresses; without this key (kept in the database, never
 * shown) a tombstone only answers "was this address erased?" for someone who can ask the collector.
 */
export const tombstoneKeys = sqliteTable("tombstone_keys", {
  siteId: integer("site_id")
    .primaryKey()
    .references(() => sites.id),
  /** 32 random bytes, hex. */
  secret: text("secret").notNull(),
  createdAt: integer("created_at").notNull(),
});

export type PrivacyTombstone = typeof privacyTombstones.$inferSelect;
