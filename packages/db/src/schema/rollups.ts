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

/** The `daily_stats` dimensions `hourly_stats` keeps too: the totals and the dashboard's filter slices. */
export const HOURLY_DIMENSIONS = ["", "utm_campaign", "channel"] as const;

/**
 * Per UTC hour (the hour's start in ms): the source of hourly charts ("today"). Kept by the
 * collector beside `daily_stats` for the site totals and the campaign/channel slices the dashboard
 * filters by (`HOURLY_DIMENSIONS`, the same rows `rollupSlice` picks from the daily rollups);
 * `visitors` counts each visitor once per hour. UTC hours need no re-keying when a site's time
 * zone changes.
 */
export const hourlyStats = sqliteTable(
  "hourly_stats",
  {
    siteId: integer("site_id").notNull(),
    hour: integer("hour").notNull(),
    dimension: text("dimension").notNull().default(""),
    value: text("value").notNull().default(""),
    pageviews: integer("pageviews").notNull().default(0),
    visitors: integer("visitors").notNull().default(0),
    visits: integer("visits").notNull().default(0),
    engagedMs: integer("engaged_ms").notNull().default(0),
    leads: integer("leads").notNull().default(0),
    mqls: integer("mqls").notNull().default(0),
  },
  // A one-day chart reads one slice's 23–25 hours of a site.
  (t) => [primaryKey({ columns: [t.siteId, t.dimension, t.value, t.hour] })],
);

/**
 * A site's time zone as UTC-offset changes (see local-time.ts `offsetChanges`): SQL that buckets
 * lead milestones by the site's local day looks up the offset in force at a time here.
 */
export const siteTzOffsets = sqliteTable(
  "site_tz_offsets",
  {
    siteId: integer("site_id").notNull(),
    fromMs: integer("from_ms").notNull(),
    offsetMinutes: integer("offset_minutes").notNull(),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.fromMs] })],
);

/**
 * One background rebuild of a site's day-keyed rollups after its time zone changed (the collector's
 * `rollup rebuild` job picks the oldest open one; Settings → Sites shows the newest's progress).
 */
export const rollupRebuilds = sqliteTable(
  "rollup_rebuilds",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    siteId: integer("site_id").notNull(),
    timeZone: text("time_zone").notNull(),
    status: text("status", { enum: ["pending", "running", "done", "failed"] })
      .notNull()
      .default("pending"),
    /** Visitors and leads re-counted of `total` (fixed when the rebuild starts). */
    done: integer("done").notNull().default(0),
    total: integer("total").notNull(),
    error: text("error"),
    createdAt: integer("created_at").notNull(),
    finishedAt: integer("finished_at"),
    /**
     * Where the re-count stands: "v:<visitor id>" (visitors up to it done) or "l:<lead id>". The
     * cut-offs are the last event, lead and stage change when it started: later ones were counted
     * by the collector into the new zone's days already.
     */
    cursor: text("cursor"),
    eventCutoff: integer("event_cutoff"),
    leadCutoff: integer("lead_cutoff"),
    stageCutoff: integer("stage_cutoff"),
  },
  (t) => [index("rollup_rebuilds_site_idx").on(t.siteId, t.id)],
);

/**
 * A running rebuild's change to its site's `daily_stats`: the rows as they were when it started,
 * negated, plus the re-count from the raw tables in the new zone, added chunk by chunk; the last
 * step adds it to `daily_stats` in one statement, so readers never see a half re-count.
 */
export const rollupRebuildRows = sqliteTable(
  "rollup_rebuild_rows",
  {
    rebuildId: integer("rebuild_id").notNull(),
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
    points: real("points").notNull().default(0),
    leads: integer("leads").notNull().default(0),
    mqls: integer("mqls").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.rebuildId, t.dimension, t.day, t.value] })],
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
  (t) => [
    primaryKey({ columns: [t.siteId, t.path, t.visitorId] }),
    // A lead's pages are found through its visitors (refreshLeadSummaries).
    index("content_touches_visitor_idx").on(t.siteId, t.visitorId),
  ],
);

/**
 * Per lead: how far it went in the funnel and when, with the cohort it is counted in. Kept current
 * by `refreshLeadSummaries` (packages/db queries/lead-stage.ts) in every transaction that changes a
 * lead's stage, visitors or persona, so that funnel widgets read one small row per lead instead of
 * the stage history.
 */
export const leadFunnel = sqliteTable(
  "lead_funnel",
  {
    leadId: integer("lead_id").primaryKey(),
    siteId: integer("site_id").notNull(),
    createdAt: integer("created_at").notNull(),
    /** The furthest main-line stage reached: 0 lead, 1 MQL, 2 SAL, 3 SQL, 4 won (a rejection keeps it). */
    reached: integer("reached").notNull().default(0),
    /** When the lead first reached MQL or further (SAL, SQL, won) per the stage history. */
    mqlAt: integer("mql_at"),
    salAt: integer("sal_at"),
    sqlAt: integer("sql_at"),
    wonAt: integer("won_at"),
    /** First touch: utm_campaign and channel of the lead's earliest visitor. */
    campaign: text("campaign"),
    source: text("source"),
    /** leads.persona_id when the row was written; 0 for none (it is part of content_pipeline_daily's key). */
    personaId: integer("persona_id").notNull().default(0),
    /** leads.campaign_id (first-touch campaign) when the row was written; 0 for none (campaign_daily's key). */
    campaignId: integer("campaign_id").notNull().default(0),
  },
  (t) => [
    // Content pipeline shares divide by the leads that reached a stage before the period's end.
    index("lead_funnel_site_mql_idx").on(t.siteId, t.mqlAt, t.personaId),
    index("lead_funnel_site_sql_idx").on(t.siteId, t.sqlAt, t.personaId),
    index("lead_funnel_site_won_idx").on(t.siteId, t.wonAt, t.personaId),
  ],
);

/**
 * Per day of lead creation and cohort (first-touch campaign and channel, '' for none; persona, 0 for
 * none): how many leads were created and how many of them reached MQL, SAL, SQL and won (by now).
 * The funnel widgets sum a month of these instead of reading one row per lead.
 */
export const funnelDaily = sqliteTable(
  "funnel_daily",
  {
    siteId: integer("site_id").notNull(),
    day: text("day").notNull(),
    campaign: text("campaign").notNull().default(""),
    source: text("source").notNull().default(""),
    personaId: integer("persona_id").notNull().default(0),
    leads: integer("leads").notNull().default(0),
    mql: integer("mql").notNull().default(0),
    sal: integer("sal").notNull().default(0),
    sql: integer("sql").notNull().default(0),
    won: integer("won").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.day, t.campaign, t.source, t.personaId] })],
);

/**
 * Per attributed campaign (leads.campaign_id), persona and day: leads created that day, and leads
 * that first reached MQL, SQL and won that day. Campaign goals and results sum these instead of
 * reading one row per attributed lead.
 */
export const campaignDaily = sqliteTable(
  "campaign_daily",
  {
    siteId: integer("site_id").notNull(),
    campaignId: integer("campaign_id").notNull(),
    personaId: integer("persona_id").notNull().default(0),
    day: text("day").notNull(),
    leads: integer("leads").notNull().default(0),
    mqls: integer("mqls").notNull().default(0),
    sqls: integer("sqls").notNull().default(0),
    won: integer("won").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.campaignId, t.day, t.personaId] })],
);

/**
 * Every page a lead touched (through any of its visitors), with the first time: the set whose
 * contribution `content_pipeline_daily` holds, so a refresh can take exactly that back.
 */
export const leadTouches = sqliteTable(
  "lead_touches",
  {
    leadId: integer("lead_id").notNull(),
    path: text("path").notNull(),
    siteId: integer("site_id").notNull(),
    firstAt: integer("first_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.leadId, t.path] })],
);

/**
 * Per page, day of a lead's first touch and persona: how many leads touched it and how many of
 * them reached MQL, SQL and won (by now). The content page's pipeline shares sum a few of these.
 */
export const contentPipelineDaily = sqliteTable(
  "content_pipeline_daily",
  {
    siteId: integer("site_id").notNull(),
    path: text("path").notNull(),
    day: text("day").notNull(),
    personaId: integer("persona_id").notNull().default(0),
    leads: integer("leads").notNull().default(0),
    mql: integer("mql").notNull().default(0),
    sql: integer("sql").notNull().default(0),
    won: integer("won").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.path, t.day, t.personaId] })],
);

/**
 * One row per stage a lead left (a stage_changes row that moved it), with how long it had been
 * there. Time-in-stage percentiles find the bucket holding the wanted rank in `stage_time_daily`
 * and then read only that bucket's rows here, in order of duration.
 */
export const stageExits = sqliteTable(
  "stage_exits",
  {
    /** The stage_changes row that left the stage. */
    id: integer("id").primaryKey(),
    siteId: integer("site_id").notNull(),
    leadId: integer("lead_id").notNull(),
    stage: text("stage").notNull(),
    leftAt: integer("left_at").notNull(),
    /** Time since the previous move (or the lead's creation), never negative. */
    ms: integer("ms").notNull(),
    /** Logarithmic bucket of `ms`: digits × 10 + leading digit (9 per power of ten, in order). */
    bucket: integer("bucket").notNull(),
  },
  (t) => [
    // A percentile walks one bucket's exits in order of duration, skipping those outside the period.
    index("stage_exits_pick_idx").on(t.siteId, t.stage, t.bucket, t.ms, t.leftAt),
    index("stage_exits_lead_idx").on(t.leadId),
  ],
);

/** How many stage exits of each duration bucket happened per day and stage: a histogram to sum. */
export const stageTimeDaily = sqliteTable(
  "stage_time_daily",
  {
    siteId: integer("site_id").notNull(),
    day: text("day").notNull(),
    stage: text("stage").notNull(),
    bucket: integer("bucket").notNull(),
    exits: integer("exits").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.day, t.stage, t.bucket] })],
);
