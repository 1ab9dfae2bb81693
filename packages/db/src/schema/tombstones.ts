import { integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { sites } from "./sites.ts";

/**
 * What is left of an erased lead: SHA-256 hashes of its e-mail and visitor ids (with the site), so a
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
    /** SHA-256 hex of `${siteId}:${kind}:${value}`. */
    hash: text("hash").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  // The write path looks hashes up per site and kind.
  (t) => [uniqueIndex("privacy_tombstones_uq").on(t.siteId, t.kind, t.hash)],
);

export type PrivacyTombstone = typeof privacyTombstones.$inferSelect;
