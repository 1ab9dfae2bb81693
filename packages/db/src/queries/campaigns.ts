import type { InValue } from "@libsql/client";
import type { Database } from "../client.ts";
import { parseJson, sqlJson } from "../json-text.ts";
import type { Campaign, CampaignGoal } from "../schema/campaigns.ts";
import { withWriteTransaction } from "../transactions.ts";
import { refreshLeadSummaries } from "./lead-stage.ts";

// Campaigns (the article's phase 1) and first-touch attribution: a lead belongs to the campaign
// of its first campaign touch before it became a lead — the first event of its browser that
// carried a campaign's utm_campaign or came through one of the campaign's tracked links / QR codes.

/**
 * The first campaign touch among events `e` (a correlated subquery's body): the earliest event
 * whose utm_campaign is a campaign's of the site, or that a tracked link of a campaign recorded
 * (the redirect stores the link's campaign id in `props.campaign_id`).
 */
const FIRST_TOUCH_FROM = `FROM events e JOIN campaigns c ON c.site_id = e.site_id
    AND (c.id = e.props->>'campaign_id' OR (c.utm_campaign IS NOT NULL AND c.utm_campaign = e.campaign->>'utm_campaign'))`;

/**
 * The campaign of a browser's first campaign touch, or null. `fallbackUtmCampaign` (the visitor's
 * stored first-touch utm_campaign) is matched when no stored event carries a campaign.
 * Runs inside the collector's write transaction when a lead is created.
 */
export async function firstTouchCampaignId(
  db: Database,
  siteId: number,
  visitorId: string,
  fallbackUtmCampaign: string | null,
): Promise<number | null> {
  const found = await db.$client.execute({
    sql: `SELECT c.id AS id ${FIRST_TOUCH_FROM}
           WHERE e.site_id = ? AND e.visitor_id = ? ORDER BY e.received_at, e.id, c.id LIMIT 1`,
    args: [siteId, visitorId],
  });
  const row = found.rows[0] as { id?: number } | undefined;
  if (row?.id != null) return Number(row.id);
  if (!fallbackUtmCampaign) return null;
  const byUtm = await db.$client.execute({
    sql: "SELECT id FROM campaigns WHERE site_id = ? AND utm_campaign = ? ORDER BY id LIMIT 1",
    args: [siteId, fallbackUtmCampaign],
  });
  const match = byUtm.rows[0] as { id?: number } | undefined;
  return match?.id == null ? null : Number(match.id);
}

/**
 * Sets a lead's first-touch campaign unless it has one (first touch never moves). The caller
 * refreshes the lead's summaries in the same transaction (campaign_daily follows the attribution):
 * the ingest write path does for every lead it worked on, once, at the end of its transaction.
 */
export async function setLeadCampaign(db: Database, leadId: number, campaignId: number): Promise<void> {
  await db.$client.execute({
    sql: "UPDATE leads SET campaign_id = ? WHERE id = ? AND campaign_id IS NULL",
    args: [campaignId, leadId],
  });
}

/**
 * Attributes the site's leads that have no campaign yet to the campaign of their first campaign
 * touch before they became leads. Run after a campaign is created or its utm_campaign changes:
 * leads that arrived through that UTM value before anyone set the campaign up count for it.
 * Returns how many leads were attributed.
 */
export async function backfillCampaignAttribution(db: Database, siteId: number): Promise<number> {
  const unattributed = async () =>
    Number(
      (
        await db.$client.execute({
          sql: "SELECT count(*) AS n FROM leads WHERE site_id = ? AND campaign_id IS NULL",
          args: [siteId],
        })
      ).rows[0]?.n ?? 0,
    );
  const before = await unattributed();
  if (before === 0) return 0;
  await withWriteTransaction(db, async (tx) => {
    const attributed = await tx.$client.execute({
      sql: `UPDATE leads SET campaign_id = (
                SELECT c.id ${FIRST_TOUCH_FROM}
                 WHERE e.lead_id = leads.id AND e.received_at <= leads.created_at
                 ORDER BY e.received_at, e.id, c.id LIMIT 1)
             WHERE site_id = ? AND campaign_id IS NULL
            RETURNING id, campaign_id`,
      args: [siteId],
    });
    await refreshLeadSummaries(
      tx,
      (attributed.rows as Record<string, unknown>[]).filter((r) => r.campaign_id !== null).map((r) => Number(r.id)),
    );
  });
  return before - (await unattributed());
}

/** What a campaign is made of, as the dashboard form sends it (validated by the caller). */
export interface CampaignInput {
  name: string;
  channel: string | null;
  utmCampaign: string | null;
  startsAt: number | null;
  endsAt: number | null;
  budget: number | null;
  ownerId: number | null;
  goals: CampaignGoal[];
}

function campaignArgs(input: CampaignInput): InValue[] {
  return [
    input.name,
    input.channel,
    input.utmCampaign,
    input.startsAt,
    input.endsAt,
    input.budget,
    input.ownerId,
    sqlJson(input.goals),
  ];
}

function toCampaign(r: Record<string, unknown>): Campaign {
  const goals = parseJson(r.goals);
  return {
    id: Number(r.id),
    siteId: Number(r.site_id),
    name: String(r.name),
    channel: (r.channel as string | null) ?? null,
    utmCampaign: (r.utm_campaign as string | null) ?? null,
    startsAt: r.starts_at == null ? null : Number(r.starts_at),
    endsAt: r.ends_at == null ? null : Number(r.ends_at),
    budget: r.budget == null ? null : Number(r.budget),
    ownerId: r.owner_id == null ? null : Number(r.owner_id),
    goals: Array.isArray(goals) ? (goals as CampaignGoal[]) : [],
    createdAt: Number(r.created_at),
  };
}

const CAMPAIGN_COLUMNS =
  "id, site_id, name, channel, utm_campaign, starts_at, ends_at, budget, owner_id, goals, created_at";

/** Creates a campaign and attributes earlier leads that came through its utm_campaign; returns it. */
export async function insertCampaign(
  db: Database,
  siteId: number,
  input: CampaignInput,
  now = Date.now(),
): Promise<Campaign> {
  const result = await db.$client.execute({
    sql: `INSERT INTO campaigns (name, channel, utm_campaign, starts_at, ends_at, budget, owner_id, goals, site_id, created_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING ${CAMPAIGN_COLUMNS}`,
    args: [...campaignArgs(input), siteId, now],
  });
  await backfillCampaignAttribution(db, siteId);
  return toCampaign(result.rows[0] as Record<string, unknown>);
}

/** Updates a campaign of a site; false when the site has no such campaign. */
export async function updateCampaign(db: Database, siteId: number, id: number, input: CampaignInput): Promise<boolean> {
  const result = await db.$client.execute({
    sql: `UPDATE campaigns SET name = ?, channel = ?, utm_campaign = ?, starts_at = ?, ends_at = ?, budget = ?,
            owner_id = ?, goals = ? WHERE id = ? AND site_id = ?`,
    args: [...campaignArgs(input), id, siteId],
  });
  if (result.rowsAffected > 0) await backfillCampaignAttribution(db, siteId);
  return result.rowsAffected > 0;
}

/** A campaign of a site, or undefined (also for another site's campaign). */
export async function findCampaign(db: Database, siteId: number, id: number): Promise<Campaign | undefined> {
  const result = await db.$client.execute({
    sql: `SELECT ${CAMPAIGN_COLUMNS} FROM campaigns WHERE id = ? AND site_id = ?`,
    args: [id, siteId],
  });
  const row = result.rows[0] as Record<string, unknown> | undefined;
  return row ? toCampaign(row) : undefined;
}

/** Every campaign of a site, oldest first. */
export async function listSiteCampaigns(db: Database, siteId: number): Promise<Campaign[]> {
  const result = await db.$client.execute({
    sql: `SELECT ${CAMPAIGN_COLUMNS} FROM campaigns WHERE site_id = ? ORDER BY id`,
    args: [siteId],
  });
  return (result.rows as Record<string, unknown>[]).map(toCampaign);
}

/**
 * Deletes a campaign of a site with its tracked links (their codes stop redirecting); its leads
 * keep their history and lose only the attribution. False when the site has no such campaign.
 */
export async function removeCampaign(db: Database, siteId: number, id: number): Promise<boolean> {
  return withWriteTransaction(db, async (tx) => {
    const found = await tx.$client.execute({
      sql: "SELECT 1 FROM campaigns WHERE id = ? AND site_id = ?",
      args: [id, siteId],
    });
    if (found.rows.length === 0) return false;
    const detached = await tx.$client.execute({
      sql: "UPDATE leads SET campaign_id = NULL WHERE campaign_id = ? RETURNING id",
      args: [id],
    });
    await refreshLeadSummaries(
      tx,
      (detached.rows as Record<string, unknown>[]).map((r) => Number(r.id)),
    );
    await tx.$client.execute({ sql: "DELETE FROM links WHERE campaign_id = ?", args: [id] });
    await tx.$client.execute({ sql: "DELETE FROM campaigns WHERE id = ?", args: [id] });
    return true;
  });
}

/**
 * One attributed lead and when it reached each funnel milestone, from its stage history: MQL is
 * the first move into MQL or any later main-line stage (a lead sales qualified directly still
 * counts), SQL the first into SQL or won, won the first into won. Notes (same stage) are not moves.
 */
export interface CampaignLeadMilestones {
  campaignId: number;
  leadId: number;
  personaId: number | null;
  createdAt: number;
  mqlAt: number | null;
  sqlAt: number | null;
  wonAt: number | null;
}

/**
 * The milestones of every lead attributed to a campaign of the site (or to one campaign), by lead id.
 * The times come from the lead's funnel summary (lead_funnel, kept current with its stage history
 * by lead-stage.ts), so no page reads stage_changes. The leads are found through
 * leads_campaign_idx, named because without statistics the planner walks every lead of the site
 * (attributed or not, ~200 ms at 170 k leads) rather than the index range for `IS NOT NULL`.
 */
export async function campaignLeadMilestones(
  db: Database,
  siteId: number,
  campaignId?: number,
): Promise<CampaignLeadMilestones[]> {
  // One JSON row instead of a row per lead: every value is an integer (exact in JSON), and parsing
  // one array costs a fraction of materialising tens of thousands of result rows.
  const result = await db.$client.execute({
    sql: `SELECT json_group_array(json_array(l.campaign_id, l.id, l.persona_id, l.created_at, f.mql_at, f.sql_at,
                   f.won_at) ORDER BY l.id) AS leads
          FROM leads l INDEXED BY leads_campaign_idx LEFT JOIN lead_funnel f ON f.lead_id = l.id
          WHERE ${campaignId === undefined ? "l.campaign_id IS NOT NULL" : "l.campaign_id = ?"} AND l.site_id = ?`,
    args: campaignId === undefined ? [siteId] : [campaignId, siteId],
  });
  const leads = JSON.parse(String(result.rows[0]?.leads ?? "[]")) as (number | null)[][];
  return leads.map(([campaign, lead, persona, createdAt, mqlAt, sqlAt, wonAt]) => ({
    campaignId: Number(campaign),
    leadId: Number(lead),
    personaId: persona ?? null,
    createdAt: Number(createdAt),
    mqlAt: mqlAt ?? null,
    sqlAt: sqlAt ?? null,
    wonAt: wonAt ?? null,
  }));
}

/** An attributed campaign's counts for one persona (null: none) and UTC day (`day`: its start, ms). */
export interface CampaignDayCount {
  campaignId: number;
  personaId: number | null;
  day: number;
  leads: number;
  mqls: number;
  sqls: number;
  won: number;
}

/**
 * The site's (or one campaign's) attributed leads counted per day: created, first MQL, first SQL,
 * first won — what campaign goals and results add up, from campaign_daily (kept current with the
 * leads' attribution and stage history by lead-stage.ts), so no page reads one row per lead.
 */
export async function campaignDayCounts(
  db: Database,
  siteId: number,
  campaignId?: number,
): Promise<CampaignDayCount[]> {
  const result = await db.$client.execute({
    sql: `SELECT campaign_id, persona_id, day, leads, mqls, sqls, won FROM campaign_daily
           WHERE site_id = ? ${campaignId === undefined ? "" : "AND campaign_id = ?"}
             AND (leads <> 0 OR mqls <> 0 OR sqls <> 0 OR won <> 0)
           ORDER BY campaign_id, day, persona_id`,
    args: campaignId === undefined ? [siteId] : [siteId, campaignId],
  });
  return (result.rows as Record<string, unknown>[]).map((r) => ({
    campaignId: Number(r.campaign_id),
    personaId: Number(r.persona_id) === 0 ? null : Number(r.persona_id),
    day: Date.parse(`${String(r.day)}T00:00:00Z`),
    leads: Number(r.leads),
    mqls: Number(r.mqls),
    sqls: Number(r.sqls),
    won: Number(r.won),
  }));
}

/** Persona names of a site by id (personas are matched to leads elsewhere; results slice by them). */
export async function personaNames(db: Database, siteId: number): Promise<Map<number, string>> {
  const result = await db.$client.execute({ sql: "SELECT id, name FROM personas WHERE site_id = ?", args: [siteId] });
  return new Map((result.rows as Record<string, unknown>[]).map((r) => [Number(r.id), String(r.name)]));
}

/** Users who may own a campaign (admins and marketers), for the owner field. */
export async function listCampaignOwners(db: Database): Promise<{ id: number; email: string }[]> {
  const result = await db.$client.execute(
    "SELECT id, email FROM users WHERE role IN ('admin', 'marketer') ORDER BY email",
  );
  return (result.rows as Record<string, unknown>[]).map((r) => ({ id: Number(r.id), email: String(r.email) }));
}
