import { index, integer, real, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { sites } from "./sites.ts";

/**
 * One row per point change, so every score can be explained and recomputed.
 * A row belongs to a lead, or to an anonymous visitor until it is identified.
 */
export const scoreLedger = sqliteTable(
  "score_ledger",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    siteId: integer("site_id")
      .notNull()
      .references(() => sites.id),
    leadId: integer("lead_id"),
    visitorId: text("visitor_id"),
    eventId: integer("event_id"),
    ruleId: text("rule_id").notNull(),
    ruleVersion: integer("rule_version").notNull(),
    /** engagement or fit */
    kind: text("kind", { enum: ["engagement", "fit"] }).notNull(),
    delta: real("delta").notNull(),
    at: integer("at").notNull(),
    /** Why the entry exists: event, fit or cap-correction (identify/merge settling a cap). */
    reason: text("reason", { enum: ["event", "fit", "cap-correction"] })
      .notNull()
      .default("event"),
  },
  (t) => [
    // "Why is this lead hot": the lead page and the sales list read a lead's entries.
    index("score_ledger_lead_idx").on(t.leadId, t.at),
    // Identify moves a visitor's anonymous entries to the lead.
    index("score_ledger_visitor_idx").on(t.siteId, t.visitorId),
  ],
);

/** Every stage change with its time, actor (a rule or a user) and reason. */
export const stageChanges = sqliteTable(
  "stage_changes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    siteId: integer("site_id")
      .notNull()
      .references(() => sites.id),
    leadId: integer("lead_id").notNull(),
    fromStage: text("from_stage"),
    toStage: text("to_stage").notNull(),
    /** "rule:<id>" for automatic moves, "user:<id>" for people, "system" otherwise. */
    actor: text("actor").notNull(),
    reason: text("reason"),
    at: integer("at").notNull(),
    score: real("score"),
  },
  (t) => [
    index("stage_changes_lead_idx").on(t.leadId, t.at),
    // Funnel and conversion reports scan changes by time.
    index("stage_changes_site_at_idx").on(t.siteId, t.at),
  ],
);
