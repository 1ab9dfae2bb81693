import { sql } from "drizzle-orm";
import { index, integer, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { sites } from "./sites.ts";

/** One immutable tracked event. `clientId` is generated in the browser so retries never count twice. */
export const events = sqliteTable(
  "events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    siteId: integer("site_id")
      .notNull()
      .references(() => sites.id),
    clientId: text("client_id").notNull(),
    visitorId: text("visitor_id").notNull(),
    leadId: integer("lead_id"),
    /** pageview, click, download, outbound, form, engagement, custom, identify, qr_scan, … */
    type: text("type").notNull(),
    name: text("name"),
    url: text("url"),
    path: text("path"),
    title: text("title"),
    referrer: text("referrer"),
    props: text("props", { mode: "json" }).$type<Record<string, unknown>>(),
    /** UTM parameters and ad click id in force for the visit (from the landing or a tracked link). */
    campaign: text("campaign", { mode: "json" }).$type<Record<string, string>>(),
    /** Client clock, corrected by the batch's sent-at and clamped; receivedAt is authoritative. */
    clientTime: integer("client_time"),
    receivedAt: integer("received_at").notNull(),
    /** Bit flags: 1 = client time far in the future, 2 = client time ancient. */
    flags: integer("flags").notNull().default(0),
    engagedMs: integer("engaged_ms"),
    scrollDepth: real("scroll_depth"),
  },
  // Every index here is written by every ingested event (the collector's hottest statement), so
  // each one has to earn its keep:
  (t) => [
    // Deduplication: the same client event id is stored once per site (also what a retry hits).
    uniqueIndex("events_site_client_id_uq").on(t.siteId, t.clientId),
    // A visitor's timeline and replay read events in arrival order; identify hands a visitor's
    // anonymous events to its lead through it.
    index("events_site_visitor_idx").on(t.siteId, t.visitorId, t.receivedAt),
    // Lead timelines and lead replay (`lead_id = ?`). Partial: most events are anonymous when
    // stored, and indexing their NULLs cost every insert an index write nobody ever reads.
    index("events_lead_idx").on(t.leadId, t.receivedAt).where(sql`${t.leadId} IS NOT NULL`),
    // Dashboard drill-downs by time window and the install check (newest/oldest events of a site).
    index("events_site_received_idx").on(t.siteId, t.receivedAt),
  ],
);

export type Event = typeof events.$inferSelect;
export type NewEvent = typeof events.$inferInsert;
