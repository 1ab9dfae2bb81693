import { index, integer, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { leads } from "./leads.ts";
import { sites } from "./sites.ts";

// JSON columns hold the plain-data shapes of @leadtrail/nurture (PersonaCriteria, NurtureStep[],
// NurtureProgress); like `leads.score_state`, this package does not depend on the domain packages, so
// they are typed loosely here and by the domain types where they are used.

/**
 * A target group (the article's phase 2). The columns mirror `Persona` from @leadtrail/nurture; the
 * package's string id is this row's id as text.
 */
export const personas = sqliteTable(
  "personas",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    siteId: integer("site_id")
      .notNull()
      .references(() => sites.id),
    name: text("name").notNull(),
    description: text("description"),
    criteria: text("criteria", { mode: "json" }).$type<Record<string, unknown>>().notNull().default({}),
    /** Points per criterion kind (`Persona.weights`). */
    weights: text("weights", { mode: "json" }).$type<Record<string, number>>().notNull().default({}),
    /** Share of the weight that must hold (`Persona.minMatch`). */
    minMatch: real("min_match").notNull().default(1),
    /** Catalogue key recommended to anonymous visitors of this persona. */
    defaultContentKey: text("default_content_key"),
    enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("personas_site_idx").on(t.siteId)],
);

/** The content catalogue nurture steps offer (`ContentItem`); `key` is the package's content id. */
export const contentItems = sqliteTable(
  "content_items",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    siteId: integer("site_id")
      .notNull()
      .references(() => sites.id),
    key: text("key").notNull(),
    title: text("title"),
    kind: text("kind").notNull().default("other"),
    topics: text("topics", { mode: "json" }).$type<string[]>().notNull().default([]),
    /** URL globs (see `ContentItem.match`). */
    match: text("match", { mode: "json" }).$type<string[]>().notNull().default([]),
    href: text("href"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [uniqueIndex("content_items_site_key_uq").on(t.siteId, t.key)],
);

/** A nurture track (`NurtureTrack`): ordered steps for one persona (or all) in some stages. */
export const nurtureTracks = sqliteTable(
  "nurture_tracks",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    siteId: integer("site_id")
      .notNull()
      .references(() => sites.id),
    name: text("name").notNull(),
    purpose: text("purpose").notNull().default("nurture"),
    /** null serves every lead. */
    personaId: integer("persona_id").references(() => personas.id),
    stages: text("stages", { mode: "json" }).$type<string[]>().notNull().default([]),
    priority: integer("priority").notNull().default(0),
    steps: text("steps", { mode: "json" }).$type<unknown[]>().notNull().default([]),
    enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("nurture_tracks_site_idx").on(t.siteId)],
);

/** Each lead's nurture progress and the next step computed for it. */
export const leadNurture = sqliteTable(
  "lead_nurture",
  {
    leadId: integer("lead_id")
      .primaryKey()
      .references(() => leads.id),
    progress: text("progress", { mode: "json" }).$type<unknown>().notNull(),
    /** The next best step as last computed (track id, step id, content key), null when none applies. */
    nextTrackId: integer("next_track_id"),
    nextStepId: text("next_step_id"),
    nextContentKey: text("next_content_key"),
    /** When the `lead.nurture_step_due` webhook for the current next step was queued; null while not. */
    notifiedAt: integer("notified_at"),
    /** When the computed next step becomes due (its timing conditions hold); null when due now or none. */
    nextDueAt: integer("next_due_at"),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    index("lead_nurture_next_idx").on(t.nextContentKey),
    // The nurture job finds leads whose waiting step has come due without scanning every row.
    index("lead_nurture_due_idx").on(t.nextDueAt),
  ],
);

export type Persona = typeof personas.$inferSelect;
export type ContentItemRow = typeof contentItems.$inferSelect;
export type NurtureTrackRow = typeof nurtureTracks.$inferSelect;
export type LeadNurture = typeof leadNurture.$inferSelect;
