import { integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Daily counters the dashboard reads instead of raw events; the collector adds to them in the
 * ingest transaction. `dimension` names what `value` is (path, channel, referrer, browser, …);
 * the empty dimension holds the site's totals for the day.
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
    events: integer("events").notNull().default(0),
    engagedMs: integer("engaged_ms").notNull().default(0),
    points: real("points").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.day, t.dimension, t.value] })],
);
