import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { users } from "./auth.ts";
import { leads } from "./leads.ts";
import { sites } from "./sites.ts";

// Routing settings and audit (packages/routing's model, see its README). Ids that routing sees are
// strings: a pool's and a rule's are their row ids, a rep's is the user id (what `leads.owner_id` holds).

/** A team or pool of reps that rules send leads to, with its acceptance SLA. */
export const routingPools = sqliteTable(
  "routing_pools",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    siteId: integer("site_id")
      .notNull()
      .references(() => sites.id),
    name: text("name").notNull(),
    /** Minutes a rep has to accept a lead before it is re-routed; null: no SLA. */
    slaMinutes: integer("sla_minutes"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("routing_pools_site_idx").on(t.siteId)],
);

/** A sales rep as routing sees them: one per user and site. */
export const routingReps = sqliteTable(
  "routing_reps",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    siteId: integer("site_id")
      .notNull()
      .references(() => sites.id),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    weight: real("weight").notNull().default(1),
    /** Most open (assigned, not closed) leads at once. */
    capacity: integer("capacity").notNull().default(50),
    /** IANA zone the working hours are in. */
    timeZone: text("time_zone").notNull().default("UTC"),
    /** packages/routing `WorkingHours` JSON; null: available at any hour. */
    workingHours: text("working_hours", { mode: "json" }).$type<unknown>(),
    /** `[{ from, until, note? }]` in epoch ms, half-open. */
    outOfOffice: text("out_of_office", { mode: "json" }).$type<unknown[]>().notNull().default([]),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
  },
  (t) => [uniqueIndex("routing_reps_site_user_uq").on(t.siteId, t.userId)],
);

/** Which reps belong to which pool (a rep may be in several). */
export const routingPoolMembers = sqliteTable(
  "routing_pool_members",
  {
    poolId: integer("pool_id")
      .notNull()
      .references(() => routingPools.id, { onDelete: "cascade" }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.poolId, t.userId] })],
);

/** Ordered routing rules: the lowest `position` is tried first. */
export const routingRules = sqliteTable(
  "routing_rules",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    siteId: integer("site_id")
      .notNull()
      .references(() => sites.id),
    position: integer("position").notNull(),
    name: text("name"),
    poolId: integer("pool_id")
      .notNull()
      .references(() => routingPools.id, { onDelete: "cascade" }),
    enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
    /** packages/routing `RuleConditions` JSON. */
    conditions: text("conditions", { mode: "json" }).$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index("routing_rules_site_position_idx").on(t.siteId, t.position)],
);

/** Per-site routing settings beyond the rules: fallback queue name and extra regions. */
export const routingSettings = sqliteTable("routing_settings", {
  siteId: integer("site_id")
    .primaryKey()
    .references(() => sites.id),
  fallbackQueueId: text("fallback_queue_id").notNull().default("unassigned"),
  regions: text("regions", { mode: "json" }).$type<Record<string, string[]>>(),
});

/**
 * Weighted round-robin credits of one pool (`{ repId: credit }`), written in the same transaction as
 * the assignment it produced so two routings never both start from the same credits.
 */
export const routingPoolState = sqliteTable("routing_pool_state", {
  poolId: integer("pool_id")
    .primaryKey()
    .references(() => routingPools.id, { onDelete: "cascade" }),
  credits: text("credits", { mode: "json" }).$type<Record<string, number>>().notNull(),
  updatedAt: integer("updated_at").notNull(),
});

/** Every routing of a lead, to a rep or to a queue, with the rule, candidates and full decision. */
export const leadAssignments = sqliteTable(
  "lead_assignments",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    siteId: integer("site_id")
      .notNull()
      .references(() => sites.id),
    leadId: integer("lead_id")
      .notNull()
      .references(() => leads.id),
    /** The rep's user id; null when the lead was queued. */
    repId: integer("rep_id"),
    /** The fallback queue, when no rep could take it. */
    queueId: text("queue_id"),
    poolId: integer("pool_id"),
    ruleId: integer("rule_id"),
    /** `mql` | `manual` | `sla_reroute` | `reassign`. */
    trigger: text("trigger").notNull(),
    candidates: text("candidates", { mode: "json" }).$type<unknown[]>().notNull(),
    decision: text("decision", { mode: "json" }).$type<unknown>().notNull(),
    at: integer("at").notNull(),
    acceptedAt: integer("accepted_at"),
    /** When it stopped being current: re-routed, reassigned, rejected or closed. */
    closedAt: integer("closed_at"),
    slaDueAt: integer("sla_due_at"),
    /** When the rep was warned that the SLA is about to be missed (once per assignment). */
    slaWarnedAt: integer("sla_warned_at"),
  },
  (t) => [
    // A lead's history and its current assignment.
    index("lead_assignments_lead_idx").on(t.leadId, t.at),
    // Open leads per rep (capacity) count the current assignments of each rep.
    index("lead_assignments_rep_open_idx").on(t.repId).where(sql`${t.closedAt} IS NULL`),
    // The SLA job scans only pending, unaccepted assignments with a deadline.
    index("lead_assignments_sla_idx")
      .on(t.slaDueAt)
      .where(sql`${t.closedAt} IS NULL AND ${t.acceptedAt} IS NULL AND ${t.slaDueAt} IS NOT NULL`),
  ],
);

/** A missed acceptance SLA, for reporting on reps and pools. */
export const slaMisses = sqliteTable(
  "sla_misses",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    siteId: integer("site_id")
      .notNull()
      .references(() => sites.id),
    leadId: integer("lead_id")
      .notNull()
      .references(() => leads.id),
    assignmentId: integer("assignment_id").notNull(),
    repId: integer("rep_id").notNull(),
    poolId: integer("pool_id"),
    ruleId: integer("rule_id"),
    assignedAt: integer("assigned_at").notNull(),
    slaDueAt: integer("sla_due_at").notNull(),
    detectedAt: integer("detected_at").notNull(),
    overdueMs: integer("overdue_ms").notNull(),
  },
  (t) => [index("sla_misses_lead_idx").on(t.leadId), index("sla_misses_rep_idx").on(t.repId, t.detectedAt)],
);

export type RoutingPool = typeof routingPools.$inferSelect;
export type RoutingRep = typeof routingReps.$inferSelect;
export type RoutingRuleRow = typeof routingRules.$inferSelect;
export type LeadAssignment = typeof leadAssignments.$inferSelect;
export type SlaMissRow = typeof slaMisses.$inferSelect;
