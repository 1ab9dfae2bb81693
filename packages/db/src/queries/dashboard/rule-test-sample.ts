import type { Database } from "../../client.ts";
import { parseJson } from "../../json-text.ts";
import { selectRows } from "./filters.ts";

/**
 * Bounds of the "test this rule" sample: the newest events and the most recently active leads of
 * the last 30 days. The scoring page replays a rule over them with the engine's matcher while the
 * marketer waits, so the sample is capped whatever the site's traffic; the page says when it was.
 */
export const RULE_TEST_SAMPLE = { days: 30, events: 20_000, leads: 5_000 } as const;

/** One sampled event (packages/scoring `SampleEvent`). */
export interface RuleTestEventRow {
  id: number;
  visitorId: string;
  leadId: number | null;
  type: string;
  name: string | null;
  path: string | null;
  url: string | null;
  props: Record<string, unknown> | null;
  campaign: Record<string, string> | null;
  receivedAt: number;
  seenBefore: boolean;
}

/**
 * The site's newest events since `since` (at most `limit`, read backwards through
 * events_site_received_idx), ordered by browser and time for the matcher's visit logic. A browser
 * first seen before its first sampled event had visits before the sample (returning visits).
 */
export async function ruleTestEvents(
  db: Database,
  siteId: number,
  since: number,
  limit: number = RULE_TEST_SAMPLE.events,
): Promise<RuleTestEventRow[]> {
  const rows = await selectRows<Record<string, unknown>>(
    db,
    `WITH s AS (SELECT id, visitor_id, lead_id, type, name, path, url, props, campaign, received_at FROM events
                 WHERE site_id = ? AND received_at >= ? ORDER BY received_at DESC LIMIT ?),
          firsts AS (SELECT visitor_id, min(received_at) AS first_at FROM s GROUP BY visitor_id)
     SELECT s.*, (v.first_seen_at < f.first_at) AS seen_before
       FROM s JOIN firsts f ON f.visitor_id = s.visitor_id
       LEFT JOIN visitors v ON v.site_id = ? AND v.id = s.visitor_id
      ORDER BY s.visitor_id, s.received_at, s.id`,
    [siteId, since, limit, siteId],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    visitorId: String(r.visitor_id),
    leadId: r.lead_id == null ? null : Number(r.lead_id),
    type: String(r.type),
    name: (r.name as string | null) ?? null,
    path: (r.path as string | null) ?? null,
    url: (r.url as string | null) ?? null,
    props: parseJson(r.props) as Record<string, unknown> | null,
    campaign: parseJson(r.campaign) as Record<string, string> | null,
    receivedAt: Number(r.received_at),
    seenBefore: Number(r.seen_before) === 1,
  }));
}

/** The site's leads active since `since` (most recent first, at most `limit`) with what fit rules read. */
export async function ruleTestLeads(
  db: Database,
  siteId: number,
  since: number,
  limit: number = RULE_TEST_SAMPLE.leads,
): Promise<{ id: number; email: string; traits: Record<string, unknown>; visitorCountry: string | null }[]> {
  const rows = await selectRows<Record<string, unknown>>(
    db,
    `SELECT l.id, l.email, l.traits,
            (SELECT country FROM visitors v WHERE v.lead_id = l.id AND v.country IS NOT NULL
              ORDER BY v.first_seen_at LIMIT 1) AS visitor_country
       FROM leads l WHERE l.site_id = ? AND coalesce(l.last_activity_at, l.created_at) >= ?
      ORDER BY coalesce(l.last_activity_at, l.created_at) DESC, l.id DESC LIMIT ?`,
    [siteId, since, limit],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    email: String(r.email),
    traits: (parseJson(r.traits) as Record<string, unknown> | null) ?? {},
    visitorCountry: (r.visitor_country as string | null) ?? null,
  }));
}
