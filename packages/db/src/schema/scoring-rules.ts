import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { sites } from "./sites.ts";

/**
 * Published scoring rule sets, one row per version (a packages/scoring `RuleSet` as JSON).
 * Versions are never changed after publishing: ledger entries name the version that gave points.
 */
export const ruleSetVersions = sqliteTable(
  "rule_set_versions",
  {
    siteId: integer("site_id")
      .notNull()
      .references(() => sites.id),
    version: integer("version").notNull(),
    ruleSet: text("rule_set", { mode: "json" }).$type<unknown>().notNull(),
    note: text("note"),
    publishedBy: integer("published_by"),
    publishedAt: integer("published_at").notNull(),
  },
  // The current rule set is the site's highest version: the primary key orders it.
  (t) => [primaryKey({ columns: [t.siteId, t.version] })],
);

/** The one rule set a site's marketers are editing; previewed without writing, then published as a new version. */
export const ruleSetDrafts = sqliteTable("rule_set_drafts", {
  siteId: integer("site_id")
    .primaryKey()
    .references(() => sites.id),
  ruleSet: text("rule_set", { mode: "json" }).$type<unknown>().notNull(),
  updatedBy: integer("updated_by"),
  updatedAt: integer("updated_at").notNull(),
});
