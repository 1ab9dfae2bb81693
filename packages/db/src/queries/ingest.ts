import type { Database } from "../client.ts";
import { parseJson, sqlJson } from "../json-text.ts";

// The collector's write path. Every function here takes an open write transaction and writes a
// whole group commit's rows with ONE statement (`INSERT … SELECT … FROM json_each(?)`): libSQL
// writes 100k+ rows/s that way against ~23k rows/s for one statement per row (shared/DESIGN.md).
// The collector decides what to write (scoring, rollups) in memory between the reads and writes.

/** One validated event ready to store. */
export interface IngestEvent {
  clientId: string;
  type: string;
  name?: string | null;
  url?: string | null;
  path?: string | null;
  title?: string | null;
  referrer?: string | null;
  props?: Record<string, unknown> | null;
  campaign?: Record<string, string> | null;
  clientTime?: number | null;
  receivedAt: number;
  /** Bit flags: 1 = client time far in the future, 2 = client time ancient (see events schema). */
  flags?: number;
  engagedMs?: number | null;
  scrollDepth?: number | null;
}

/** An event row to insert, with the visitor (and lead, when known) it belongs to. */
export interface EventRow extends IngestEvent {
  siteId: number;
  visitorId: string;
  leadId: number | null;
}

/**
 * Inserts events once per (site, client id): a repeated id is skipped, not an error. Returns the
 * stored id of every row that was inserted, keyed `siteId|clientId`; a key that is absent was a
 * duplicate (stored earlier, or earlier in the same array).
 */
export async function insertEvents(db: Database, rows: readonly EventRow[]): Promise<Map<string, number>> {
  const inserted = new Map<string, number>();
  if (rows.length === 0) return inserted;
  const payload = rows.map((r) => [
    r.siteId,
    r.clientId,
    r.visitorId,
    r.leadId,
    r.type,
    r.name ?? null,
    r.url ?? null,
    r.path ?? null,
    r.title ?? null,
    r.referrer ?? null,
    r.props ? sqlJson(r.props) : null,
    r.campaign ? sqlJson(r.campaign) : null,
    r.clientTime ?? null,
    r.receivedAt,
    r.flags ?? 0,
    r.engagedMs ?? null,
    r.scrollDepth ?? null,
  ]);
  const result = await db.$client.execute({
    sql: `INSERT INTO events (site_id, client_id, visitor_id, lead_id, type, name, url, path, title, referrer, props,
            campaign, client_time, received_at, flags, engaged_ms, scroll_depth)
          SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, value->>6, value->>7, value->>8,
            value->>9, value->>10, value->>11, value->>12, value->>13, value->>14, value->>15, value->>16
          FROM json_each(?) WHERE true
          ON CONFLICT (site_id, client_id) DO NOTHING
          RETURNING id, site_id, client_id`,
    args: [sqlJson(payload)],
  });
  for (const row of result.rows as unknown as { id: number; site_id: number; client_id: string }[]) {
    inserted.set(`${row.site_id}|${row.client_id}`, Number(row.id));
  }
  return inserted;
}

/** A visitor row as the write path reads and rewrites it. */
export interface VisitorRow {
  siteId: number;
  id: string;
  leadId: number | null;
  firstSeenAt: number;
  lastSeenAt: number;
  referrerDomain: string | null;
  channel: string | null;
  utmSource: string | null;
  utmMedium: string | null;
  utmCampaign: string | null;
  landingPath: string | null;
  clickId: string | null;
  browser: string | null;
  os: string | null;
  device: string | null;
  country: string | null;
  eventCount: number;
  visitStartedAt: number | null;
  visitPageviews: number;
  lastPath: string | null;
  engagementScore: number;
  /** The scoring engine's state, parsed; null for a visitor never scored. */
  scoreState: unknown;
  /** The row's version as read (0 for a row not stored yet); see the visitors schema. */
  version: number;
}

const VISITOR_COLUMNS = `site_id, id, lead_id, first_seen_at, last_seen_at, referrer_domain, channel, utm_source,
  utm_medium, utm_campaign, landing_path, click_id, browser, os, device, country, event_count, visit_started_at,
  visit_pageviews, last_path, engagement_score, score_state, version`;

const LOAD_VISITORS_SQL = `SELECT ${VISITOR_COLUMNS.split(",")
  .map((c) => `v.${c.trim()}`)
  .join(", ")} FROM json_each(?) AS k
      CROSS JOIN visitors v ON v.site_id = k.value->>0 AND v.id = k.value->>1`;

/** Reads the visitors with these (site, id) keys; absent keys are new visitors. Keyed `siteId|id`. */
export async function loadVisitors(
  db: Database,
  keys: readonly { siteId: number; id: string }[],
): Promise<Map<string, VisitorRow>> {
  const found = new Map<string, VisitorRow>();
  if (keys.length === 0) return found;
  const result = await db.$client.execute({
    sql: LOAD_VISITORS_SQL,
    args: [sqlJson(keys.map((k) => [k.siteId, k.id]))],
  });
  for (const r of result.rows as Record<string, unknown>[]) {
    const row: VisitorRow = {
      siteId: Number(r.site_id),
      id: String(r.id),
      leadId: r.lead_id == null ? null : Number(r.lead_id),
      firstSeenAt: Number(r.first_seen_at),
      lastSeenAt: Number(r.last_seen_at),
      referrerDomain: (r.referrer_domain as string | null) ?? null,
      channel: (r.channel as string | null) ?? null,
      utmSource: (r.utm_source as string | null) ?? null,
      utmMedium: (r.utm_medium as string | null) ?? null,
      utmCampaign: (r.utm_campaign as string | null) ?? null,
      landingPath: (r.landing_path as string | null) ?? null,
      clickId: (r.click_id as string | null) ?? null,
      browser: (r.browser as string | null) ?? null,
      os: (r.os as string | null) ?? null,
      device: (r.device as string | null) ?? null,
      country: (r.country as string | null) ?? null,
      eventCount: Number(r.event_count ?? 0),
      visitStartedAt: r.visit_started_at == null ? null : Number(r.visit_started_at),
      visitPageviews: Number(r.visit_pageviews ?? 0),
      lastPath: (r.last_path as string | null) ?? null,
      engagementScore: Number(r.engagement_score ?? 0),
      scoreState: parseJson(r.score_state),
      version: Number(r.version ?? 0),
    };
    found.set(`${row.siteId}|${row.id}`, row);
  }
  return found;
}

/** Inserts visitors that are not stored yet, whole (first touch included), at version 1. */
export async function insertVisitors(db: Database, rows: readonly VisitorRow[]): Promise<void> {
  if (rows.length === 0) return;
  const payload = rows.map((v) => [
    v.siteId,
    v.id,
    v.leadId,
    v.firstSeenAt,
    v.lastSeenAt,
    v.referrerDomain,
    v.channel,
    v.utmSource,
    v.utmMedium,
    v.utmCampaign,
    v.landingPath,
    v.clickId,
    v.browser,
    v.os,
    v.device,
    v.country,
    v.eventCount,
    v.visitStartedAt,
    v.visitPageviews,
    v.lastPath,
    v.engagementScore,
    v.scoreState == null ? null : sqlJson(v.scoreState),
  ]);
  await db.$client.execute({
    sql: `INSERT INTO visitors (${VISITOR_COLUMNS})
          SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, value->>6, value->>7, value->>8,
            value->>9, value->>10, value->>11, value->>12, value->>13, value->>14, value->>15, value->>16,
            value->>17, value->>18, value->>19, value->>20, value->>21, 1
          FROM json_each(?)`,
    args: [sqlJson(payload)],
  });
}

/**
 * Writes what events change on stored visitors — the visit, counters and score, never the first
 * touch (browser, OS, device and country are only filled in when still empty) — and bumps their
 * version, each row only if its version is still `row.version`. Returns how many rows were
 * written: fewer than `rows.length` means another writer changed one of them since it was read,
 * and the caller must roll back and read them again.
 */
export async function updateVisitors(db: Database, rows: readonly VisitorRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const payload = rows.map((v) => [
    v.siteId,
    v.id,
    v.version,
    v.lastSeenAt,
    v.eventCount,
    v.visitStartedAt,
    v.visitPageviews,
    v.lastPath,
    v.engagementScore,
    v.scoreState == null ? null : sqlJson(v.scoreState),
    v.browser,
    v.os,
    v.device,
    v.country,
  ]);
  const result = await db.$client.execute({
    sql: `UPDATE visitors SET last_seen_at = u.value->>3, event_count = u.value->>4,
            visit_started_at = u.value->>5, visit_pageviews = u.value->>6, last_path = u.value->>7,
            engagement_score = u.value->>8, score_state = u.value->>9,
            browser = coalesce(browser, u.value->>10), os = coalesce(os, u.value->>11),
            device = coalesce(device, u.value->>12), country = coalesce(country, u.value->>13),
            version = version + 1
          FROM json_each(?) AS u
          WHERE visitors.site_id = u.value->>0 AND visitors.id = u.value->>1 AND visitors.version = u.value->>2`,
    args: [sqlJson(payload)],
  });
  return result.rowsAffected;
}

/**
 * Attaches visitors to leads (identify). Separate from `updateVisitors` because it is rare and
 * naming `lead_id` there would make every event rewrite the visitors_lead_idx entry too.
 */
export async function setVisitorLeads(
  db: Database,
  rows: readonly { siteId: number; id: string; leadId: number | null }[],
): Promise<void> {
  if (rows.length === 0) return;
  await db.$client.execute({
    sql: `UPDATE visitors SET lead_id = u.value->>2 FROM json_each(?) AS u
          WHERE visitors.site_id = u.value->>0 AND visitors.id = u.value->>1`,
    args: [sqlJson(rows.map((r) => [r.siteId, r.id, r.leadId]))],
  });
}

/** One `score_ledger` row. */
export interface LedgerRow {
  siteId: number;
  leadId: number | null;
  visitorId: string | null;
  eventId: number | null;
  ruleId: string;
  ruleVersion: number;
  kind: "engagement" | "fit";
  delta: number;
  at: number;
  reason: "event" | "fit" | "cap-correction";
}

/** Appends ledger rows. */
export async function insertLedger(db: Database, rows: readonly LedgerRow[]): Promise<void> {
  if (rows.length === 0) return;
  const payload = rows.map((r) => [
    r.siteId,
    r.leadId,
    r.visitorId,
    r.eventId,
    r.ruleId,
    r.ruleVersion,
    r.kind,
    r.delta,
    r.at,
    r.reason,
  ]);
  await db.$client.execute({
    sql: `INSERT INTO score_ledger (site_id, lead_id, visitor_id, event_id, rule_id, rule_version, kind, delta, at, reason)
          SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, value->>6, value->>7, value->>8,
            value->>9
          FROM json_each(?)`,
    args: [sqlJson(payload)],
  });
}

/** One `stage_changes` row. */
export interface StageChangeRow {
  siteId: number;
  leadId: number;
  fromStage: string | null;
  toStage: string;
  actor: string;
  reason: string | null;
  at: number;
  score: number | null;
}

/** Appends stage changes. */
export async function insertStageChanges(db: Database, rows: readonly StageChangeRow[]): Promise<void> {
  if (rows.length === 0) return;
  const payload = rows.map((r) => [r.siteId, r.leadId, r.fromStage, r.toStage, r.actor, r.reason, r.at, r.score]);
  await db.$client.execute({
    sql: `INSERT INTO stage_changes (site_id, lead_id, from_stage, to_stage, actor, reason, at, score)
          SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, value->>6, value->>7
          FROM json_each(?)`,
    args: [sqlJson(payload)],
  });
}

/** The daily_stats counters; every field adds to the stored value. */
export interface DailyCounters {
  pageviews: number;
  visitors: number;
  visits: number;
  bounces: number;
  events: number;
  engagedMs: number;
  scrollSum: number;
  scrollCount: number;
  points: number;
  leads: number;
  mqls: number;
}

/** One daily_stats bucket and what to add to it. */
export interface DailyStatsDelta extends DailyCounters {
  siteId: number;
  day: string;
  dimension: string;
  value: string;
}

/** Adds already-aggregated deltas to the daily rollups (one statement for every bucket). */
export async function addDailyStats(db: Database, rows: readonly DailyStatsDelta[]): Promise<void> {
  if (rows.length === 0) return;
  const payload = rows.map((r) => [
    r.siteId,
    r.day,
    r.dimension,
    r.value,
    r.pageviews,
    r.visitors,
    r.visits,
    r.bounces,
    r.events,
    r.engagedMs,
    r.scrollSum,
    r.scrollCount,
    r.points,
    r.leads,
    r.mqls,
  ]);
  await db.$client.execute({
    sql: `INSERT INTO daily_stats (site_id, day, dimension, value, pageviews, visitors, visits, bounces, events,
            engaged_ms, scroll_sum, scroll_count, points, leads, mqls)
          SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, value->>6, value->>7, value->>8,
            value->>9, value->>10, value->>11, value->>12, value->>13, value->>14
          FROM json_each(?) WHERE true
          ON CONFLICT (site_id, dimension, day, value) DO UPDATE SET
            pageviews = pageviews + excluded.pageviews, visitors = visitors + excluded.visitors,
            visits = visits + excluded.visits, bounces = bounces + excluded.bounces,
            events = events + excluded.events, engaged_ms = engaged_ms + excluded.engaged_ms,
            scroll_sum = scroll_sum + excluded.scroll_sum, scroll_count = scroll_count + excluded.scroll_count,
            points = points + excluded.points, leads = leads + excluded.leads, mqls = mqls + excluded.mqls`,
    args: [sqlJson(payload)],
  });
}

/** One UTC hour's change to a site's hourly slice (`hourly_stats`; `hour` is the hour's start in ms). */
export interface HourlyStatsDelta {
  siteId: number;
  hour: number;
  /** "" (totals), "utm_campaign" or "channel", as in `daily_stats`. */
  dimension: string;
  value: string;
  pageviews: number;
  visitors: number;
  visits: number;
  engagedMs: number;
  leads: number;
  mqls: number;
}

/** Adds already-aggregated deltas to the hourly rollups (one statement for every bucket). */
export async function addHourlyStats(db: Database, rows: readonly HourlyStatsDelta[]): Promise<void> {
  if (rows.length === 0) return;
  const payload = rows.map((r) => [
    r.siteId,
    r.hour,
    r.dimension,
    r.value,
    r.pageviews,
    r.visitors,
    r.visits,
    r.engagedMs,
    r.leads,
    r.mqls,
  ]);
  await db.$client.execute({
    sql: `INSERT INTO hourly_stats (site_id, hour, dimension, value, pageviews, visitors, visits, engaged_ms, leads, mqls)
          SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, value->>6, value->>7, value->>8,
            value->>9
          FROM json_each(?) WHERE true
          ON CONFLICT (site_id, dimension, value, hour) DO UPDATE SET
            pageviews = pageviews + excluded.pageviews, visitors = visitors + excluded.visitors,
            visits = visits + excluded.visits, engaged_ms = engaged_ms + excluded.engaged_ms,
            leads = leads + excluded.leads, mqls = mqls + excluded.mqls`,
    args: [JSON.stringify(payload)],
  });
}

/** Records (once) that a visitor touched a piece of content. */
export async function insertContentTouches(
  db: Database,
  rows: readonly { siteId: number; path: string; visitorId: string; firstAt: number }[],
): Promise<void> {
  if (rows.length === 0) return;
  await db.$client.execute({
    sql: `INSERT INTO content_touches (site_id, path, visitor_id, first_at)
          SELECT value->>0, value->>1, value->>2, value->>3 FROM json_each(?) WHERE true
          ON CONFLICT (site_id, path, visitor_id) DO NOTHING`,
    args: [sqlJson(rows.map((r) => [r.siteId, r.path, r.visitorId, r.firstAt]))],
  });
}

/** Sets a site's first-event time (the install check) unless it is already set. */
export async function markFirstEvent(db: Database, siteId: number, at: number): Promise<void> {
  await db.$client.execute({
    sql: "UPDATE sites SET first_event_at = ? WHERE id = ? AND first_event_at IS NULL",
    args: [at, siteId],
  });
}

const dayNames = new Map<number, string>();

/** UTC calendar day, YYYY-MM-DD: the rollups' time bucket (memoised: called several times per event). */
export function dayOf(at: number): string {
  const day = Math.floor(at / 86_400_000);
  let name = dayNames.get(day);
  if (name === undefined) {
    name = new Date(day * 86_400_000).toISOString().slice(0, 10);
    if (dayNames.size > 10_000) dayNames.clear();
    dayNames.set(day, name);
  }
  return name;
}
