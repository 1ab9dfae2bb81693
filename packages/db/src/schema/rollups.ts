import { index, integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * What a `daily_stats` row breaks the day down by. The empty dimension holds the site's totals.
 * landing/exit are the first/last page of a visit; event is "type:name" of non-pageview events.
 */
export const DIMENSIONS = [
  "",
  "path",
  "landing",
  "exit",
  "channel",
  "referrer",
  "utm_source",
  "utm_medium",
  "utm_campaign",
  "device",
  "browser",
  "os",
  "country",
  "event",
] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/**
 * Daily counters the dashboard reads instead of raw events; the collector adds to them in the
 * ingest transaction, so they are exactly as current as the events. A visit is a run of events
 * from one visitor without a 30-minute gap; a bounce is a visit with one page view.
 */
export const dailyStats = sqliteTable(
  "daily_stats",
  {
    siteId: integer("site_id").notNull(),
    day: text("day").notNull(),
    dimension: text("dimension").notNull(),
    value: text("value").notNull(),
    pageviews: integer("pageviews").notNull().default(0),
    visitors: integer("visitors").notNull().default(0),
    visits: integer("visits").notNull().default(0),
    bounces: integer("bounces").notNull().default(0),
    events: integer("events").notNull().default(0),
    engagedMs: integer("engaged_ms").notNull().default(0),
    scrollSum: real("scroll_sum").notNull().default(0),
    scrollCount: integer("scroll_count").notNull().default(0),
    /** Score points contributed (engagement ledger deltas) by events in this bucket. */
    points: real("points").notNull().default(0),
    /** Leads identified for the first time / leads that became MQL, attributed to this bucket. */
    leads: integer("leads").notNull().default(0),
    mqls: integer("mqls").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.siteId, t.dimension, t.day, t.value] }),
    // Top-N widgets read one dimension over a date range for a site.
    index("daily_stats_site_day_idx").on(t.siteId, t.day),
  ],
);

/**
 * Which content (path) each visitor touched, once: content reports count the leads behind it
 * (through visitors.lead_id) and their stages without scanning raw events.
 */
export const contentTouches = sqliteTable(
  "content_touches",
  {
    siteId: integer("site_id").notNull(),
    path: text("path").notNull(),
    visitorId: text("visitor_id").notNull(),
    firstAt: integer("first_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.path, t.visitorId] })],
);
