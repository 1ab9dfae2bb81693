import type { Database } from "../client.ts";
import { parseJson, sqlJson } from "../json-text.ts";

// Leads and companies as the collector's write path reads and writes them: always inside the
// ingest write transaction, so a read here is what the following write builds on.

/** The columns of a lead that scoring and identify need. */
export interface LeadRow {
  id: number;
  siteId: number;
  email: string;
  name: string | null;
  companyId: number | null;
  role: string | null;
  traits: Record<string, unknown>;
  stage: string;
  /** The scoring engine's state, parsed; null for a lead never scored. */
  scoreState: unknown;
  unverified: boolean;
  createdAt: number;
  lastActivityAt: number | null;
}

const LEAD_COLUMNS = `id, site_id, email, name, company_id, role, traits, stage, score_state, unverified, created_at,
  last_activity_at`;

function toLead(r: Record<string, unknown>): LeadRow {
  return {
    id: Number(r.id),
    siteId: Number(r.site_id),
    email: String(r.email),
    name: (r.name as string | null) ?? null,
    companyId: r.company_id == null ? null : Number(r.company_id),
    role: (r.role as string | null) ?? null,
    traits: (parseJson(r.traits) as Record<string, unknown> | null) ?? {},
    stage: String(r.stage),
    scoreState: parseJson(r.score_state),
    unverified: Boolean(r.unverified),
    createdAt: Number(r.created_at),
    lastActivityAt: r.last_activity_at == null ? null : Number(r.last_activity_at),
  };
}

/** Reads leads by id. */
export async function loadLeads(db: Database, ids: readonly number[]): Promise<Map<number, LeadRow>> {
  const found = new Map<number, LeadRow>();
  if (ids.length === 0) return found;
  const result = await db.$client.execute({
    sql: `SELECT ${LEAD_COLUMNS} FROM leads WHERE id IN (SELECT value FROM json_each(?))`,
    args: [sqlJson(ids)],
  });
  for (const r of result.rows as Record<string, unknown>[]) found.set(Number(r.id), toLead(r));
  return found;
}

/** The lead of a site with this e-mail (already normalised to lower case), or undefined. */
export async function findLeadByEmail(db: Database, siteId: number, email: string): Promise<LeadRow | undefined> {
  // An address of a lead merged into another (lead_merges) finds the kept lead: the person identified
  // later under the merged address must not come back as a new lead.
  const result = await db.$client.execute({
    sql: `SELECT ${LEAD_COLUMNS} FROM leads WHERE site_id = ? AND email = ?
          UNION ALL
          SELECT ${LEAD_COLUMNS} FROM leads WHERE id = (
            SELECT kept_lead_id FROM lead_merges WHERE site_id = ? AND merged_email = ? ORDER BY at DESC LIMIT 1)
          LIMIT 1`,
    args: [siteId, email, siteId, email],
  });
  const row = result.rows[0] as Record<string, unknown> | undefined;
  return row ? toLead(row) : undefined;
}

/** Creates a lead (stage "lead") and returns it. */
export async function insertLead(
  db: Database,
  lead: {
    siteId: number;
    email: string;
    name: string | null;
    companyId: number | null;
    role: string | null;
    traits: Record<string, unknown>;
    unverified: boolean;
    createdAt: number;
  },
): Promise<LeadRow> {
  const result = await db.$client.execute({
    sql: `INSERT INTO leads (site_id, email, name, company_id, role, traits, unverified, created_at, last_activity_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING ${LEAD_COLUMNS}`,
    args: [
      lead.siteId,
      lead.email,
      lead.name,
      lead.companyId,
      lead.role,
      sqlJson(lead.traits),
      lead.unverified ? 1 : 0,
      lead.createdAt,
      lead.createdAt,
    ],
  });
  return toLead(result.rows[0] as Record<string, unknown>);
}

/** Updates a lead's profile (name, role, company, traits, verification). */
export async function updateLeadProfile(
  db: Database,
  lead: Pick<LeadRow, "id" | "name" | "companyId" | "role" | "traits" | "unverified">,
): Promise<void> {
  await db.$client.execute({
    sql: "UPDATE leads SET name = ?, company_id = ?, role = ?, traits = ?, unverified = ? WHERE id = ?",
    args: [lead.name, lead.companyId, lead.role, sqlJson(lead.traits), lead.unverified ? 1 : 0, lead.id],
  });
}

/** The score columns of a lead after scoring. */
export interface LeadScoreRow {
  id: number;
  engagementScore: number;
  engagementSortKey: number;
  fitScore: number;
  scoredAt: number | null;
  scoreState: unknown;
  stage: string;
  lastActivityAt: number | null;
}

/** Writes the scores, engine state and stage of many leads in one statement. */
export async function saveLeadScores(db: Database, rows: readonly LeadScoreRow[]): Promise<void> {
  if (rows.length === 0) return;
  const payload = rows.map((r) => [
    r.id,
    r.engagementScore,
    r.engagementSortKey,
    r.fitScore,
    r.scoredAt,
    sqlJson(r.scoreState),
    r.stage,
    r.lastActivityAt,
  ]);
  await db.$client.execute({
    sql: `UPDATE leads SET engagement_score = u.value->>1, engagement_sort_key = u.value->>2, fit_score = u.value->>3,
            scored_at = u.value->>4, score_state = u.value->>5, stage = u.value->>6,
            last_activity_at = max(coalesce(last_activity_at, 0), coalesce(u.value->>7, 0))
          FROM json_each(?) AS u WHERE leads.id = u.value->>0`,
    args: [sqlJson(payload)],
  });
}

/** The company of a site with this domain, created if missing; returns its id. */
export async function ensureCompany(
  db: Database,
  company: { siteId: number; domain: string; name: string | null; createdAt: number },
): Promise<number> {
  const result = await db.$client.execute({
    sql: `INSERT INTO companies (site_id, domain, name, created_at) VALUES (?, ?, ?, ?)
          ON CONFLICT (site_id, domain) DO UPDATE SET name = coalesce(name, excluded.name)
          RETURNING id`,
    args: [company.siteId, company.domain, company.name, company.createdAt],
  });
  return Number((result.rows[0] as unknown as { id: number }).id);
}

/**
 * Hands an identified visitor's anonymous history to its lead: its ledger rows and its events now
 * belong to the lead (rows already owned by a lead are left alone).
 */
export async function attachVisitorHistory(db: Database, siteId: number, visitorId: string, leadId: number) {
  await db.$client.execute({
    sql: "UPDATE score_ledger SET lead_id = ? WHERE site_id = ? AND visitor_id = ? AND lead_id IS NULL",
    args: [leadId, siteId, visitorId],
  });
  await db.$client.execute({
    sql: "UPDATE events SET lead_id = ? WHERE site_id = ? AND visitor_id = ? AND lead_id IS NULL",
    args: [leadId, siteId, visitorId],
  });
}

/** Records the deal value of a lead's close (won or lost); null when sales gave none. */
export async function setLeadDealValue(db: Database, leadId: number, value: number | null): Promise<void> {
  await db.$client.execute({ sql: "UPDATE leads SET deal_value = ? WHERE id = ?", args: [value, leadId] });
}

/** The recorded deal values of these leads (leads without one are left out). */
export async function dealValuesOf(db: Database, leadIds: readonly number[]): Promise<Map<number, number>> {
  if (leadIds.length === 0) return new Map();
  const result = await db.$client.execute({
    sql: `SELECT id, deal_value FROM leads WHERE id IN (SELECT value FROM json_each(?)) AND deal_value IS NOT NULL`,
    args: [sqlJson(leadIds)],
  });
  return new Map((result.rows as Record<string, unknown>[]).map((r) => [Number(r.id), Number(r.deal_value)]));
}

/** How many leads of a site were won (by one owner, when given) and the sum of their deal values. */
export async function wonValue(
  db: Database,
  q: { siteId: number; ownerId?: number },
): Promise<{ count: number; total: number }> {
  const result = await db.$client.execute({
    sql: `SELECT count(*) AS n, coalesce(sum(deal_value), 0) AS total FROM leads
          WHERE site_id = ? AND stage = 'won' AND (? IS NULL OR owner_id = ?)`,
    args: [q.siteId, q.ownerId ?? null, q.ownerId ?? null],
  });
  const row = result.rows[0] as { n?: number; total?: number } | undefined;
  return { count: Number(row?.n ?? 0), total: Number(row?.total ?? 0) };
}
