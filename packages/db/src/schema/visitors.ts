import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { leads } from "./leads.ts";
import { sites } from "./sites.ts";

/** An anonymous browser, identified by a first-party id (or a daily hash without consent). */
export const visitors = sqliteTable(
  "visitors",
  {
    siteId: integer("site_id")
      .notNull()
      .references(() => sites.id),
    id: text("id").notNull(),
    leadId: integer("lead_id").references(() => leads.id),
    firstSeenAt: integer("first_seen_at").notNull(),
    lastSeenAt: integer("last_seen_at").notNull(),
    /** First touch: where this browser first came from. */
    referrerDomain: text("referrer_domain"),
    channel: text("channel"),
    utmSource: text("utm_source"),
    utmMedium: text("utm_medium"),
    utmCampaign: text("utm_campaign"),
    landingPath: text("landing_path"),
    /** First touch: the ad click id (gclid, fbclid, …) if the landing had one. */
    clickId: text("click_id"),
    browser: text("browser"),
    os: text("os"),
    device: text("device"),
    country: text("country"),
    eventCount: integer("event_count").notNull().default(0),
    /** The current visit: when it started, its page views so far and its last page (for exits and bounces). */
    visitStartedAt: integer("visit_started_at"),
    visitPageviews: integer("visit_pageviews").notNull().default(0),
    lastPath: text("last_path"),
    /** Anonymous scoring before identify: points and the engine's state; folded into the lead later. */
    engagementScore: real("engagement_score").notNull().default(0),
    scoreState: text("score_state", { mode: "json" }).$type<unknown>(),
    /**
     * Bumped by every write of the collector's ingest path. A collector keeps recently seen
     * visitors in memory and updates a row only `WHERE version = <the version it read>`; a row
     * another writer changed in between fails that check and is read again (optimistic locking).
     * Anything else that updates a visitor row must bump it too.
     */
    version: integer("version").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.siteId, t.id] }),
    // "Recent visitors" lists and "visitors now" read the newest first.
    index("visitors_site_last_seen_idx").on(t.siteId, t.lastSeenAt),
    // Identify attaches every visitor of a lead; the lead page lists them.
    index("visitors_lead_idx").on(t.leadId),
    // Sales lists filtered by campaign: the leads whose browsers came with that UTM campaign.
    // Partial: only identified visitors, and the columns change only when a visitor is identified.
    index("visitors_site_campaign_lead_idx").on(t.siteId, t.utmCampaign, t.leadId).where(sql`${t.leadId} IS NOT NULL`),
  ],
);

export type Visitor = typeof visitors.$inferSelect;
