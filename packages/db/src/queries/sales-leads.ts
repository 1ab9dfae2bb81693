import type { Database } from "../client.ts";
import { parseJson, sqlJson } from "../json-text.ts";
import { salesListConditions } from "./dashboard/sales.ts";
import { numOrNull, rowsOf } from "./rows.ts";

// Sales lists and lead detail for the REST API and the sales workspace, and the lead's stage state
// that sales actions read and write.

/** A lead as lists show it; scores as stored (the caller decays engagement to now). */
export interface ApiLeadRow {
  id: number;
  siteId: number;
  email: string;
  name: string | null;
  role: string | null;
  stage: string;
  ownerId: number | null;
  companyId: number | null;
  companyName: string | null;
  companyDomain: string | null;
  engagementScore: number;
  fitScore: number;
  scoredAt: number | null;
  createdAt: number;
  lastActivityAt: number | null;
  traits: Record<string, unknown>;
  /** The value recorded when sales closed the lead, null before (or when none was given). */
  dealValue: number | null;
}

function toApiLeadRow(r: Record<string, unknown>): ApiLeadRow {
  return {
    id: Number(r.id),
    siteId: Number(r.site_id),
    email: String(r.email),
    name: (r.name as string | null) ?? null,
    role: (r.role as string | null) ?? null,
    stage: String(r.stage),
    ownerId: numOrNull(r.owner_id),
    companyId: numOrNull(r.company_id),
    companyName: (r.company_name as string | null) ?? null,
    companyDomain: (r.company_domain as string | null) ?? null,
    engagementScore: Number(r.engagement_score),
    fitScore: Number(r.fit_score),
    scoredAt: numOrNull(r.scored_at),
    createdAt: Number(r.created_at),
    lastActivityAt: numOrNull(r.last_activity_at),
    traits: (parseJson(r.traits) as Record<string, unknown> | null) ?? {},
    dealValue: numOrNull(r.deal_value),
  };
}

const LIST_COLUMNS = `l.id, l.site_id, l.email, l.name, l.role, l.stage, l.owner_id, l.company_id, l.engagement_score,
  l.fit_score, l.scored_at, l.created_at, l.last_activity_at, l.traits, l.deal_value, c.name AS company_name,
  c.domain AS company_domain`;

/**
 * A site's leads in id order after `afterId` (keyset pagination), filtered by stage, owner, last
 * activity since, and an upper bound of the score (`fit + max(engagement, 0)` as stored: decay only
 * lowers a positive engagement, so this never drops a lead whose current score qualifies; the
 * caller checks the exact current score).
 */
export async function listLeadsPage(
  db: Database,
  q: {
    siteId: number;
    afterId: number;
    limit: number;
    stage?: string;
    ownerId?: number;
    minScoreBound?: number;
    activeSince?: number;
  },
): Promise<ApiLeadRow[]> {
  // The same row filters as the dashboard's lists; a REST key sees its whole site, like an admin.
  const { where, args } = salesListConditions({
    siteId: q.siteId,
    viewer: { id: 0, role: "api" },
    stage: q.stage,
    owner: q.ownerId,
    minScoreBound: q.minScoreBound,
    activeSince: q.activeSince,
  });
  where.push("l.id > ?");
  args.push(q.afterId);
  args.push(q.limit);
  const result = await db.$client.execute({
    sql: `SELECT ${LIST_COLUMNS} FROM leads l LEFT JOIN companies c ON c.id = l.company_id
          WHERE ${where.join(" AND ")} ORDER BY l.id LIMIT ?`,
    args,
  });
  return rowsOf(result).map(toApiLeadRow);
}

/** One lead with its company, or undefined. */
export async function findApiLeadRow(db: Database, leadId: number): Promise<ApiLeadRow | undefined> {
  const result = await db.$client.execute({
    sql: `SELECT ${LIST_COLUMNS} FROM leads l LEFT JOIN companies c ON c.id = l.company_id WHERE l.id = ?`,
    args: [leadId],
  });
  const row = rowsOf(result)[0];
  return row ? toApiLeadRow(row) : undefined;
}

/** A lead's score ledger, oldest first. */
export async function listLeadLedger(db: Database, leadId: number): Promise<Record<string, unknown>[]> {
  return rowsOf(
    await db.$client.execute({
      sql: `SELECT event_id, rule_id, rule_version, kind, delta, at, reason FROM score_ledger WHERE lead_id = ?
            ORDER BY at, id`,
      args: [leadId],
    }),
  );
}

/** A lead's stage history, oldest first. */
export async function listStageChanges(db: Database, leadId: number): Promise<Record<string, unknown>[]> {
  return rowsOf(
    await db.$client.execute({
      sql: "SELECT from_stage, to_stage, actor, reason, at, score FROM stage_changes WHERE lead_id = ? ORDER BY at, id",
      args: [leadId],
    }),
  );
}

/** The lead's stored score state and stage, for a sales action (read inside its write transaction). */
export async function loadLeadState(
  db: Database,
  leadId: number,
): Promise<{ siteId: number; stage: string; scoreState: unknown; ownerId: number | null } | undefined> {
  const row = rowsOf(
    await db.$client.execute({
      sql: "SELECT site_id, stage, score_state, owner_id FROM leads WHERE id = ?",
      args: [leadId],
    }),
  )[0];
  return row
    ? {
        siteId: Number(row.site_id),
        stage: String(row.stage),
        scoreState: parseJson(row.score_state),
        ownerId: numOrNull(row.owner_id),
      }
    : undefined;
}

/** Writes a lead's stage and engine state after a sales action. */
export async function saveLeadStage(db: Database, leadId: number, stage: string, scoreState: unknown): Promise<void> {
  await db.$client.execute({
    sql: "UPDATE leads SET stage = ?, score_state = ? WHERE id = ?",
    args: [stage, sqlJson(scoreState), leadId],
  });
}
