import type { Client, InStatement } from "@libsql/client";

/** First-touch facts about the browser that sent a batch, already enriched by the collector. */
export interface IngestVisitor {
  siteId: number;
  id: string;
  referrerDomain?: string | null;
  channel?: string | null;
  utmSource?: string | null;
  utmMedium?: string | null;
  utmCampaign?: string | null;
  landingPath?: string | null;
  browser?: string | null;
  os?: string | null;
  device?: string | null;
  country?: string | null;
}

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
  clientTime?: number | null;
  receivedAt: number;
  flags?: number;
  engagedMs?: number | null;
  scrollDepth?: number | null;
}

/** The events of one request: one visitor, many events. */
export interface IngestGroup {
  visitor: IngestVisitor;
  events: IngestEvent[];
}

export interface IngestGroupResult {
  accepted: number;
  duplicates: number;
}

/**
 * Writes many requests' events in ONE write transaction (group commit): visitors are upserted,
 * events inserted once per (site, client id) — a repeated id is counted as a duplicate, not an
 * error — and the daily rollups the dashboard reads are incremented. Returns one result per group,
 * in order. Nothing is visible to readers until the commit, and nothing is acknowledged before it.
 */
export async function writeIngestGroups(client: Client, groups: IngestGroup[]): Promise<IngestGroupResult[]> {
  const tx = await client.transaction("write");
  try {
    const results: IngestGroupResult[] = [];
    for (const group of groups) results.push(await writeGroup(tx, group));
    await tx.commit();
    return results;
  } finally {
    tx.close();
  }
}

type Executor = { execute(stmt: InStatement): Promise<{ rows: unknown[]; rowsAffected: number }> };

async function writeGroup(tx: Executor, { visitor, events }: IngestGroup): Promise<IngestGroupResult> {
  const first = events[0];
  if (!first) return { accepted: 0, duplicates: 0 };
  const seenAt = first.receivedAt;
  const previous = await tx.execute({
    sql: "SELECT last_seen_at FROM visitors WHERE site_id = ? AND id = ?",
    args: [visitor.siteId, visitor.id],
  });
  const lastSeenAt = (previous.rows[0] as { last_seen_at?: number } | undefined)?.last_seen_at;

  let accepted = 0;
  let pageviews = 0;
  let engagedMs = 0;
  for (const event of events) {
    const inserted = await tx.execute({
      sql: `INSERT INTO events (site_id, client_id, visitor_id, type, name, url, path, title, referrer, props,
              client_time, received_at, flags, engaged_ms, scroll_depth)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (site_id, client_id) DO NOTHING`,
      args: [
        visitor.siteId,
        event.clientId,
        visitor.id,
        event.type,
        event.name ?? null,
        event.url ?? null,
        event.path ?? null,
        event.title ?? null,
        event.referrer ?? null,
        event.props ? JSON.stringify(event.props) : null,
        event.clientTime ?? null,
        event.receivedAt,
        event.flags ?? 0,
        event.engagedMs ?? null,
        event.scrollDepth ?? null,
      ],
    });
    if (inserted.rowsAffected === 0) continue;
    accepted++;
    if (event.type === "pageview") pageviews++;
    engagedMs += event.engagedMs ?? 0;
    if (event.type === "pageview" && event.path) {
      await bumpDaily(tx, visitor.siteId, event.receivedAt, "path", event.path, { pageviews: 1 });
    }
  }
  if (accepted === 0) return { accepted, duplicates: events.length };

  await tx.execute({
    sql: `INSERT INTO visitors (site_id, id, first_seen_at, last_seen_at, referrer_domain, channel, utm_source,
            utm_medium, utm_campaign, landing_path, browser, os, device, country, event_count)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          ON CONFLICT (site_id, id) DO UPDATE SET
            last_seen_at = max(last_seen_at, excluded.last_seen_at),
            event_count = event_count + excluded.event_count`,
    args: [
      visitor.siteId,
      visitor.id,
      seenAt,
      seenAt,
      visitor.referrerDomain ?? null,
      visitor.channel ?? null,
      visitor.utmSource ?? null,
      visitor.utmMedium ?? null,
      visitor.utmCampaign ?? null,
      visitor.landingPath ?? null,
      visitor.browser ?? null,
      visitor.os ?? null,
      visitor.device ?? null,
      visitor.country ?? null,
      accepted,
    ],
  });

  const newToday = lastSeenAt === undefined || dayOf(lastSeenAt) !== dayOf(seenAt);
  await bumpDaily(tx, visitor.siteId, seenAt, "", "", {
    pageviews,
    visitors: newToday ? 1 : 0,
    events: accepted,
    engagedMs,
  });
  if (newToday && visitor.channel) {
    await bumpDaily(tx, visitor.siteId, seenAt, "channel", visitor.channel, { visitors: 1 });
  }
  return { accepted, duplicates: events.length - accepted };
}

interface Counters {
  pageviews?: number;
  visitors?: number;
  events?: number;
  engagedMs?: number;
  points?: number;
}

async function bumpDaily(tx: Executor, siteId: number, at: number, dimension: string, value: string, c: Counters) {
  await tx.execute({
    sql: `INSERT INTO daily_stats (site_id, day, dimension, value, pageviews, visitors, events, engaged_ms, points)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
          ON CONFLICT (site_id, day, dimension, value) DO UPDATE SET
            pageviews = pageviews + excluded.pageviews, visitors = visitors + excluded.visitors,
            events = events + excluded.events, engaged_ms = engaged_ms + excluded.engaged_ms,
            points = points + excluded.points`,
    args: [
      siteId,
      dayOf(at),
      dimension,
      value,
      c.pageviews ?? 0,
      c.visitors ?? 0,
      c.events ?? 0,
      c.engagedMs ?? 0,
      c.points ?? 0,
    ],
  });
}

/** UTC calendar day, YYYY-MM-DD: the rollups' time bucket. */
export function dayOf(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}
