import { and, desc, eq } from "drizzle-orm";
import type { Database } from "../client.ts";
import { sqlJson } from "../json-text.ts";
import { type Link, links } from "../schema/campaigns.ts";

/** The tracked link or QR code with this code, or undefined. */
export async function findLinkByCode(db: Database, code: string): Promise<Link | undefined> {
  const rows = await db.select().from(links).where(eq(links.code, code)).limit(1);
  return rows[0];
}

/** Creates a tracked link or QR code. */
export async function createLink(db: Database, link: Omit<typeof links.$inferInsert, "createdAt">): Promise<Link> {
  const rows = await db
    .insert(links)
    .values({ ...link, createdAt: Date.now() })
    .returning();
  const created = rows[0];
  if (!created) throw new Error("link insert returned no row");
  return created;
}

/** A tracked link or QR code with what it brought: clicks, scans, and the campaign's leads and MQLs through it. */
export interface LinkWithStats extends Link {
  clicks: number;
  scans: number;
  leads: number;
  mqls: number;
}

/**
 * The tracked links and QR codes of a campaign, newest first, with their results. Clicks and scans
 * come from the daily rollups (the collector counts `link_click:<code>` / `qr_scan:<code>` there);
 * leads are the campaign's attributed leads whose browsers came through the link before or after
 * identifying, MQLs those of them that reached MQL (or a later stage) in their stage history.
 */
export async function listCampaignLinks(db: Database, siteId: number, campaignId: number): Promise<LinkWithStats[]> {
  const rows = await db
    .select()
    .from(links)
    .where(and(eq(links.siteId, siteId), eq(links.campaignId, campaignId)))
    .orderBy(desc(links.id));
  if (rows.length === 0) return [];
  const counts = await db.$client.execute({
    sql: `SELECT value, sum(events) AS n FROM daily_stats
           WHERE site_id = ? AND dimension = 'event' AND value IN (SELECT value FROM json_each(?))
           GROUP BY value`,
    args: [siteId, sqlJson(rows.flatMap((l) => [`link_click:${l.code}`, `qr_scan:${l.code}`]))],
  });
  const events = new Map((counts.rows as Record<string, unknown>[]).map((r) => [String(r.value), Number(r.n)]));
  const reached = await db.$client.execute({
    sql: `SELECT e.name AS code, count(DISTINCT l.id) AS leads,
            count(DISTINCT CASE WHEN EXISTS (SELECT 1 FROM stage_changes s WHERE s.lead_id = l.id
              AND s.to_stage IN ('mql', 'sal', 'sql', 'won') AND s.from_stage IS NOT s.to_stage) THEN l.id END) AS mqls
          FROM leads l JOIN events e ON e.lead_id = l.id AND e.type IN ('link_click', 'qr_scan')
          WHERE l.site_id = ? AND l.campaign_id = ? AND e.name IN (SELECT value FROM json_each(?))
          GROUP BY e.name`,
    args: [siteId, campaignId, sqlJson(rows.map((l) => l.code))],
  });
  const byCode = new Map((reached.rows as Record<string, unknown>[]).map((r) => [String(r.code), r]));
  return rows.map((l) => ({
    ...l,
    clicks: events.get(`link_click:${l.code}`) ?? 0,
    scans: events.get(`qr_scan:${l.code}`) ?? 0,
    leads: Number(byCode.get(l.code)?.leads ?? 0),
    mqls: Number(byCode.get(l.code)?.mqls ?? 0),
  }));
}

/** A link of a site by id, or undefined (also for another site's link). */
export async function findSiteLink(db: Database, siteId: number, id: number): Promise<Link | undefined> {
  const rows = await db
    .select()
    .from(links)
    .where(and(eq(links.id, id), eq(links.siteId, siteId)))
    .limit(1);
  return rows[0];
}

/** Deletes a link of a campaign; false when the campaign of that site has no such link. */
export async function deleteCampaignLink(
  db: Database,
  siteId: number,
  campaignId: number,
  id: number,
): Promise<boolean> {
  const deleted = await db
    .delete(links)
    .where(and(eq(links.id, id), eq(links.siteId, siteId), eq(links.campaignId, campaignId)))
    .returning({ id: links.id });
  return deleted.length > 0;
}

/** Puts a site's link (by code) into a campaign; false when the site has no such code. */
export async function setLinkCampaign(
  db: Database,
  siteId: number,
  code: string,
  campaignId: number,
): Promise<boolean> {
  const updated = await db
    .update(links)
    .set({ campaignId })
    .where(and(eq(links.siteId, siteId), eq(links.code, code)))
    .returning({ id: links.id });
  return updated.length > 0;
}
