import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
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

/** States of a background re-score: waiting, under way, finished, or replaced by a newer publish. */
export const RESCORE_STATUSES = ["pending", "running", "done", "superseded", "failed"] as const;
export type RescoreStatus = (typeof RESCORE_STATUSES)[number];

/**
 * One background re-score per publish: every lead of the site is replayed from its events with
 * the new version, a small batch per short write transaction, so ingest keeps committing in
 * between. `cursor` (the last lead id done) lets the job resume after a restart.
 */
export const rescoreRuns = sqliteTable(
  "rescore_runs",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    siteId: integer("site_id")
      .notNull()
      .references(() => sites.id),
    version: integer("version").notNull(),
    status: text("status", { enum: RESCORE_STATUSES }).notNull().default("pending"),
    total: integer("total").notNull(),
    done: integer("done").notNull().default(0),
    /** Leads whose stage the new rules moved (to MQL) so far. */
    stageChanges: integer("stage_changes").notNull().default(0),
    cursor: integer("cursor").notNull().default(0),
    error: text("error"),
    createdAt: integer("created_at").notNull(),
    startedAt: integer("started_at"),
    finishedAt: integer("finished_at"),
  },
  (t) => [
    // The job picks the oldest unfinished run; the scoring page reads a site's newest.
    index("rescore_runs_open_idx").on(t.id).where(sql`${t.status} IN ('pending', 'running')`),
    index("rescore_runs_site_idx").on(t.siteId, t.id),
  ],
);

/**
 * A lead merged into another: the merged id redirects to the kept one (the lead page follows it,
 * the API answers 404), and the merge's actor, reason and time stay on record.
 */
export const leadMerges = sqliteTable(
  "lead_merges",
  {
    mergedLeadId: integer("merged_lead_id").primaryKey(),
    siteId: integer("site_id")
      .notNull()
      .references(() => sites.id),
    keptLeadId: integer("kept_lead_id").notNull(),
    /** The merged lead's e-mail (lower case), so the person can be found under either address. */
    mergedEmail: text("merged_email").notNull(),
    actor: text("actor").notNull(),
    reason: text("reason"),
    at: integer("at").notNull(),
  },
  (t) => [
    // Identify looks a merged address up per site.
    index("lead_merges_email_idx").on(t.siteId, t.mergedEmail),
    index("lead_merges_kept_idx").on(t.keptLeadId),
  ],
);

export type RescoreRun = typeof rescoreRuns.$inferSelect;
export type LeadMerge = typeof leadMerges.$inferSelect;
