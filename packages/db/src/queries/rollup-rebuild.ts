import type { Database } from "../client.ts";
import { sqlJson } from "../json-text.ts";
import { withWriteTransaction } from "../transactions.ts";
import type { DailyStatsDelta } from "./ingest.ts";
import { regroupDayCounters } from "./lead-stage.ts";
import { siteTimeZone, writeSiteOffsets } from "./site-time-zone.ts";

// The reads and writes of a rollup rebuild after a site's time zone changed (the collector's rollup
// rebuild job drives them, apps/collector/src/jobs/rollup-rebuild.ts). `daily_stats` rows cannot be
// re-keyed (a day of one zone spans two of another), so the site's traffic is re-counted from the
// raw tables in the new zone:
//
// 1. start (one write transaction): swap the UTC-offset changes, re-group the funnel counters (as
//    before), note the last event, lead and stage change as cut-offs, and copy the site's
//    `daily_stats` rows negated into `rollup_rebuild_rows`;
// 2. chunks: a few hundred visitors (their events up to the cut-off) and then leads at a time are
//    read without a lock and re-counted in memory; each chunk's counts are added to
//    `rollup_rebuild_rows` in a short write transaction (the collector keeps committing between);
// 3. finish (one write transaction): `rollup_rebuild_rows` is added to `daily_stats` (old rows
//    minus what they held at the start plus the re-count; what the collector counted since, in the
//    new zone already, stays) and rows left at zero are dropped.
//
// A rebuild is superseded by a newer one of the same site (a second change while it runs): its
// staging rows are dropped and the newer one starts over. `hourly_stats` is keyed by UTC hour and
// needs nothing.

/** An open rebuild as the job works on it. */
export interface RebuildRun {
  id: number;
  siteId: number;
  timeZone: string;
  cursor: string;
  eventCutoff: number;
  leadCutoff: number;
  stageCutoff: number;
}

const COUNTERS = [
  "pageviews",
  "visitors",
  "visits",
  "bounces",
  "events",
  "engaged_ms",
  "scroll_sum",
  "scroll_count",
  "points",
  "leads",
  "mqls",
] as const;

/**
 * Takes the oldest open rebuild. A pending one is started (step 1 above) in one write transaction;
 * an older open rebuild of a site with a newer one is closed as superseded first. Undefined when
 * none is open.
 */
export async function takeRollupRebuild(db: Database, now: number): Promise<RebuildRun | undefined> {
  // A cheap read first: an idle job takes no write lock every poll.
  const any = await db.$client.execute("SELECT 1 FROM rollup_rebuilds WHERE status IN ('pending', 'running') LIMIT 1");
  if (any.rows.length === 0) return undefined;
  return withWriteTransaction(db, async (tx) => {
    // Older open rebuilds of a site that has a newer one are done: the newer one re-counts everything.
    const superseded = `SELECT r.id FROM rollup_rebuilds r WHERE r.status IN ('pending', 'running')
                          AND EXISTS (SELECT 1 FROM rollup_rebuilds n WHERE n.site_id = r.site_id AND n.id > r.id)`;
    await tx.$client.execute(`DELETE FROM rollup_rebuild_rows WHERE rebuild_id IN (${superseded})`);
    await tx.$client.execute({
      sql: `UPDATE rollup_rebuilds SET status = 'done', done = total, finished_at = ? WHERE id IN (${superseded})`,
      args: [now],
    });
    const open = await tx.$client.execute(
      `SELECT id, site_id, status, cursor, event_cutoff, lead_cutoff, stage_cutoff FROM rollup_rebuilds
        WHERE status IN ('pending', 'running') ORDER BY id LIMIT 1`,
    );
    const row = open.rows[0] as Record<string, unknown> | undefined;
    if (!row) return undefined;
    const id = Number(row.id);
    const siteId = Number(row.site_id);
    const timeZone = await siteTimeZone(tx, siteId);
    if (row.status === "running") {
      return {
        id,
        siteId,
        timeZone,
        cursor: String(row.cursor ?? "v:"),
        eventCutoff: Number(row.event_cutoff),
        leadCutoff: Number(row.lead_cutoff),
        stageCutoff: Number(row.stage_cutoff),
      };
    }
    await writeSiteOffsets(tx, siteId, timeZone);
    await regroupDayCounters(tx, siteId);
    const max = async (sql: string) => Number((await tx.$client.execute({ sql, args: [siteId] })).rows[0]?.n ?? 0);
    const run: RebuildRun = {
      id,
      siteId,
      timeZone,
      cursor: "v:",
      eventCutoff: await max("SELECT coalesce(max(id), 0) AS n FROM events WHERE site_id = ?"),
      leadCutoff: await max("SELECT coalesce(max(id), 0) AS n FROM leads WHERE site_id = ?"),
      stageCutoff: await max("SELECT coalesce(max(id), 0) AS n FROM stage_changes WHERE site_id = ?"),
    };
    const total =
      (await max("SELECT count(*) AS n FROM visitors WHERE site_id = ?")) +
      (await max("SELECT count(*) AS n FROM leads WHERE site_id = ?"));
    await tx.$client.execute({ sql: "DELETE FROM rollup_rebuild_rows WHERE rebuild_id = ?", args: [id] });
    await tx.$client.execute({
      sql: `INSERT INTO rollup_rebuild_rows (rebuild_id, day, dimension, value, ${COUNTERS.join(", ")})
            SELECT ?, day, dimension, value, ${COUNTERS.map((c) => `-${c}`).join(", ")}
              FROM daily_stats WHERE site_id = ?`,
      args: [id, siteId],
    });
    await tx.$client.execute({
      sql: `UPDATE rollup_rebuilds SET status = 'running', done = 0, total = ?, cursor = ?, event_cutoff = ?,
              lead_cutoff = ?, stage_cutoff = ? WHERE id = ?`,
      args: [total, run.cursor, run.eventCutoff, run.leadCutoff, run.stageCutoff, id],
    });
    return run;
  });
}

/** A visitor's first-touch source and its events up to the cut-off, in order, with their event points. */
export interface RebuildVisitor {
  id: string;
  source: {
    channel: string | null;
    referrerDomain: string | null;
    utmSource: string | null;
    utmMedium: string | null;
    utmCampaign: string | null;
    device: string | null;
    browser: string | null;
    os: string | null;
    country: string | null;
  };
  events: {
    type: string;
    name: string | null;
    path: string | null;
    receivedAt: number;
    engagedMs: number | null;
    scrollDepth: number | null;
    /** Engagement points the event scored (ledger rows with reason "event"), at their times. */
    points: { at: number; delta: number }[];
  }[];
}

/** The next `limit` visitors after `after` (by id) of a site, with their events up to `eventCutoff`. */
export async function rebuildVisitors(
  db: Database,
  run: Pick<RebuildRun, "siteId" | "eventCutoff">,
  after: string,
  limit: number,
): Promise<RebuildVisitor[]> {
  const visitors = await db.$client.execute({
    sql: `SELECT id, channel, referrer_domain, utm_source, utm_medium, utm_campaign, device, browser, os, country
            FROM visitors WHERE site_id = ? AND id > ? ORDER BY id LIMIT ?`,
    args: [run.siteId, after, limit],
  });
  const out = new Map<string, RebuildVisitor>();
  for (const r of visitors.rows as Record<string, unknown>[]) {
    const text = (v: unknown) => (v == null ? null : String(v));
    out.set(String(r.id), {
      id: String(r.id),
      source: {
        channel: text(r.channel),
        referrerDomain: text(r.referrer_domain),
        utmSource: text(r.utm_source),
        utmMedium: text(r.utm_medium),
        utmCampaign: text(r.utm_campaign),
        device: text(r.device),
        browser: text(r.browser),
        os: text(r.os),
        country: text(r.country),
      },
      events: [],
    });
  }
  if (out.size === 0) return [];
  const events = await db.$client.execute({
    sql: `SELECT e.id, e.visitor_id, e.type, e.name, e.path, e.received_at, e.engaged_ms, e.scroll_depth,
                 (SELECT json_group_array(json_array(s.at, s.delta)) FROM score_ledger s
                   WHERE s.event_id = e.id AND s.kind = 'engagement' AND s.reason = 'event') AS points
            FROM events e
           WHERE e.site_id = ? AND e.visitor_id IN (SELECT value FROM json_each(?)) AND e.id <= ?
           ORDER BY e.visitor_id, e.received_at, e.id`,
    args: [run.siteId, sqlJson([...out.keys()]), run.eventCutoff],
  });
  for (const r of events.rows as Record<string, unknown>[]) {
    const points = JSON.parse(String(r.points ?? "[]")) as [number, number][];
    out.get(String(r.visitor_id))?.events.push({
      type: String(r.type),
      name: r.name == null ? null : String(r.name),
      path: r.path == null ? null : String(r.path),
      receivedAt: Number(r.received_at),
      engagedMs: r.engaged_ms == null ? null : Number(r.engaged_ms),
      scrollDepth: r.scroll_depth == null ? null : Number(r.scroll_depth),
      points: points.map(([at, delta]) => ({ at, delta })),
    });
  }
  return [...out.values()];
}

/** A lead's creation and MQL moves with the first-touch source and the page/event they happened on. */
export interface RebuildLead {
  id: number;
  createdAt: number;
  /** Created by a CSV import (never counted as a new lead by the traffic rollups). */
  imported: boolean;
  /** The lead's earliest visitor's source (what lead_funnel's cohorts use too). */
  source: RebuildVisitor["source"];
  /** The identify or form event that created it, if any (its page). */
  createdOn: { type: string; name: string | null; path: string | null } | null;
  /** Each MQL move with the event that scored it, or else the identify it came with (its page only). */
  mqls: {
    at: number;
    on: { type: string; name: string | null; path: string | null } | null;
    identify: { type: string; name: string | null; path: string | null } | null;
  }[];
}

/** The next `limit` leads after `after` (by id, up to the cut-offs), for the new/MQL counters. */
export async function rebuildLeads(
  db: Database,
  run: Pick<RebuildRun, "siteId" | "leadCutoff" | "stageCutoff">,
  after: number,
  limit: number,
): Promise<RebuildLead[]> {
  const eventAt = (at: string, where: string, order = "e.id") =>
    `(SELECT json_array(e.type, e.name, e.path) FROM events e
       WHERE e.lead_id = l.id AND e.received_at = ${at} AND ${where} ORDER BY ${order} LIMIT 1)`;
  const identifyAt = (at: string) => eventAt(at, "e.type IN ('identify', 'form')");
  // The event an MQL move came with: the last of the moment's events that scored (a batch's events
  // share their receive time); none when the identify's fit made it (then only its page counts).
  const scoredAt = eventAt(
    "sc.at",
    "EXISTS (SELECT 1 FROM score_ledger s WHERE s.event_id = e.id AND s.kind = 'engagement')",
    "e.id DESC",
  );
  const result = await db.$client.execute({
    sql: `SELECT l.id, l.created_at, l.imported_at IS NOT NULL AS imported,
                 (SELECT json_array(v.channel, v.referrer_domain, v.utm_source, v.utm_medium, v.utm_campaign, v.device,
                                    v.browser, v.os, v.country)
                    FROM visitors v WHERE v.lead_id = l.id ORDER BY v.first_seen_at, v.id LIMIT 1) AS source,
                 ${identifyAt("l.created_at")} AS created_on,
                 (SELECT json_group_array(json_array(sc.at, ${scoredAt}, ${identifyAt("sc.at")}))
                    FROM stage_changes sc WHERE sc.lead_id = l.id AND sc.to_stage = 'mql' AND sc.id <= ?) AS mqls
            FROM leads l WHERE l.site_id = ? AND l.id > ? AND l.id <= ? ORDER BY l.id LIMIT ?`,
    args: [run.stageCutoff, run.siteId, after, run.leadCutoff, limit],
  });
  const on = (v: unknown) => {
    const a = (typeof v === "string" ? JSON.parse(v) : v) as [string, string | null, string | null] | null;
    return a ? { type: a[0], name: a[1], path: a[2] } : null;
  };
  return (result.rows as Record<string, unknown>[]).map((r) => {
    const s = (r.source ? JSON.parse(String(r.source)) : []) as (string | null)[];
    const mqls = JSON.parse(String(r.mqls ?? "[]")) as [number, unknown, unknown][];
    return {
      id: Number(r.id),
      createdAt: Number(r.created_at),
      imported: Boolean(r.imported),
      source: {
        channel: s[0] ?? null,
        referrerDomain: s[1] ?? null,
        utmSource: s[2] ?? null,
        utmMedium: s[3] ?? null,
        utmCampaign: s[4] ?? null,
        device: s[5] ?? null,
        browser: s[6] ?? null,
        os: s[7] ?? null,
        country: s[8] ?? null,
      },
      createdOn: on(r.created_on),
      mqls: mqls.map(([at, event, identify]) => ({ at: Number(at), on: on(event), identify: on(identify) })),
    };
  });
}

/**
 * Adds one chunk's re-count to the rebuild's staging rows and moves its cursor, in one short write
 * transaction. False when the rebuild is no longer running (superseded): nothing is written.
 */
export async function addRebuildChunk(
  db: Database,
  run: Pick<RebuildRun, "id">,
  deltas: readonly DailyStatsDelta[],
  cursor: string,
  counted: number,
): Promise<boolean> {
  return withWriteTransaction(db, async (tx) => {
    const open = await tx.$client.execute({
      sql: "SELECT 1 FROM rollup_rebuilds WHERE id = ? AND status = 'running'",
      args: [run.id],
    });
    if (open.rows.length === 0) return false;
    if (deltas.length > 0) {
      await tx.$client.execute({
        sql: `INSERT INTO rollup_rebuild_rows (rebuild_id, day, dimension, value, ${COUNTERS.join(", ")})
              SELECT ?, value->>0, value->>1, value->>2, ${COUNTERS.map((_, i) => `value->>${i + 3}`).join(", ")}
                FROM json_each(?) WHERE true
              ON CONFLICT (rebuild_id, dimension, day, value) DO UPDATE SET
                ${COUNTERS.map((c) => `${c} = ${c} + excluded.${c}`).join(", ")}`,
        args: [
          run.id,
          sqlJson(
            deltas.map((d) => [
              d.day,
              d.dimension,
              d.value,
              d.pageviews,
              d.visitors,
              d.visits,
              d.bounces,
              d.events,
              d.engagedMs,
              d.scrollSum,
              d.scrollCount,
              d.points,
              d.leads,
              d.mqls,
            ]),
          ),
        ],
      });
    }
    await tx.$client.execute({
      sql: "UPDATE rollup_rebuilds SET cursor = ?, done = min(total, done + ?) WHERE id = ?",
      args: [cursor, counted, run.id],
    });
    return true;
  });
}

/** Step 3: adds the staging rows to the site's `daily_stats`, drops rows left empty, marks the rebuild done. */
export async function finishRollupRebuild(db: Database, run: Pick<RebuildRun, "id" | "siteId">, now: number) {
  return withWriteTransaction(db, async (tx) => {
    const open = await tx.$client.execute({
      sql: "SELECT 1 FROM rollup_rebuilds WHERE id = ? AND status = 'running'",
      args: [run.id],
    });
    if (open.rows.length === 0) return false;
    await tx.$client.execute({
      sql: `INSERT INTO daily_stats (site_id, day, dimension, value, ${COUNTERS.join(", ")})
            SELECT ?, day, dimension, value, ${COUNTERS.join(", ")} FROM rollup_rebuild_rows WHERE rebuild_id = ?
            ON CONFLICT (site_id, dimension, day, value) DO UPDATE SET
              ${COUNTERS.map((c) => `${c} = ${c} + excluded.${c}`).join(", ")}`,
      args: [run.siteId, run.id],
    });
    // Real-valued sums (points, scroll) may keep a rounding residue where old and new cancel out.
    await tx.$client.execute({
      sql: `DELETE FROM daily_stats WHERE site_id = ? AND (dimension, day, value) IN
              (SELECT dimension, day, value FROM rollup_rebuild_rows WHERE rebuild_id = ?)
              AND ${COUNTERS.filter((c) => c !== "points" && c !== "scroll_sum")
                .map((c) => `${c} = 0`)
                .join(" AND ")} AND abs(points) < 1e-9 AND abs(scroll_sum) < 1e-9`,
      args: [run.siteId, run.id],
    });
    await tx.$client.execute({ sql: "DELETE FROM rollup_rebuild_rows WHERE rebuild_id = ?", args: [run.id] });
    await tx.$client.execute({
      sql: "UPDATE rollup_rebuilds SET status = 'done', done = total, finished_at = ? WHERE id = ?",
      args: [now, run.id],
    });
    return true;
  });
}
