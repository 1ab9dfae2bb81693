import type { Database } from "../../client.ts";
import { sqlJson } from "../../json-text.ts";
import { closeCurrentAssignments, insertAssignment, setLeadOwner } from "../routing.ts";
import { type LeadViewer, visibleLeadsCondition } from "../visibility.ts";
import { selectRows } from "./filters.ts";

// The sales workspace: lists, lead timeline, company colleagues, notes and manual assignment.

/** A lead as the sales lists show it (scores as stored: the caller decays engagement to now). */
export interface SalesLeadRow {
  id: number;
  siteId: number;
  email: string;
  name: string | null;
  stage: string;
  ownerId: number | null;
  ownerEmail: string | null;
  companyId: number | null;
  companyName: string | null;
  companyDomain: string | null;
  engagementScore: number;
  fitScore: number;
  scoredAt: number | null;
  createdAt: number;
  lastActivityAt: number | null;
  source: string | null;
  campaign: string | null;
}

/** Filters of a sales list; undefined means "any". */
export interface SalesLeadQuery {
  siteId: number;
  /** Whose list it is: what they may see is `visibleLeadsCondition` (a rep: own leads and the pool). */
  viewer: LeadViewer;
  stage?: string;
  /** A user id, or "pool" for unassigned leads. */
  owner?: number | "pool";
  /** Lower bound of fit + max(engagement, 0) as stored (decay only lowers it; the caller checks exactly). */
  minScoreBound?: number;
  campaign?: string;
  /** Substring of the company name or domain. */
  company?: string;
  /** Substring of the e-mail or name. */
  search?: string;
  activeSince?: number;
  /** Rows read at most (lists sort by the current score in the app). */
  limit?: number;
}

/** What a sales list needs of every candidate to score, filter and page it. */
export interface SalesCandidate {
  id: number;
  fitScore: number;
  engagementScore: number;
  scoredAt: number | null;
}

/**
 * The conditions of a sales list on the lead row itself (site, what the viewer may see, stage,
 * owner, score bound, activity), as SQL over `leads l` with its arguments; callers add the
 * campaign, company and search filters.
 */
export function salesListConditions(q: SalesLeadQuery): { where: string[]; args: (string | number)[] } {
  const visible = visibleLeadsCondition(q.viewer, "l");
  const where = ["l.site_id = ?", visible.sql];
  const args: (string | number)[] = [q.siteId, ...visible.args];
  if (q.stage) {
    where.push("l.stage = ?");
    args.push(q.stage);
  }
  if (q.owner === "pool") where.push("l.owner_id IS NULL");
  else if (q.owner !== undefined) {
    where.push("l.owner_id = ?");
    args.push(q.owner);
  }
  if (q.minScoreBound !== undefined) {
    where.push("l.fit_score + max(l.engagement_score, 0) >= ?");
    args.push(q.minScoreBound);
  }
  if (q.activeSince !== undefined) {
    where.push("coalesce(l.last_activity_at, l.created_at) >= ?");
    args.push(q.activeSince);
  }
  return { where, args };
}

/**
 * Leads matching a sales list's filters, the most recently active first (leads_site_recency_idx),
 * at most `limit` (5,000): just what scoring needs, packed into one JSON value, because reading
 * thousands of full rows through the client costs more than the query itself. The caller scores,
 * sorts and pages them and reads the shown rows with `salesLeadsByIds`.
 */
export async function listSalesCandidates(db: Database, q: SalesLeadQuery): Promise<SalesCandidate[]> {
  const { where, args } = salesListConditions(q);
  if (q.campaign) {
    // Any of the lead's browsers came with it (visitors_site_campaign_lead_idx, one range read).
    where.push(
      "l.id IN (SELECT v.lead_id FROM visitors v WHERE v.site_id = ? AND v.utm_campaign = ? AND v.lead_id IS NOT NULL)",
    );
    args.push(q.siteId, q.campaign);
  }
  // Substring filters via LIKE: as case-insensitive as lower() (both fold ASCII only) and much
  // cheaper per row, which counts when a search matches nothing and walks every lead.
  if (q.company) {
    where.push(
      "EXISTS (SELECT 1 FROM companies c WHERE c.id = l.company_id AND (c.name LIKE ? ESCAPE '\\' OR c.domain LIKE ? ESCAPE '\\'))",
    );
    args.push(containing(q.company), containing(q.company));
  }
  if (q.search) {
    where.push("(l.email LIKE ? ESCAPE '\\' OR l.name LIKE ? ESCAPE '\\')");
    args.push(containing(q.search), containing(q.search));
  }
  args.push(q.limit ?? 5000);
  const [packed] = await selectRows<{ rows: string | null }>(
    db,
    `SELECT json_group_array(json_array(id, fit_score, engagement_score, scored_at)) AS rows
       FROM (SELECT l.id, l.fit_score, l.engagement_score, l.scored_at FROM leads l
              WHERE ${where.join(" AND ")}
              ORDER BY coalesce(l.last_activity_at, l.created_at) DESC LIMIT ?)`,
    args,
  );
  const rows = JSON.parse(packed?.rows ?? "[]") as [number, number, number, number | null][];
  return rows.map(([id, fitScore, engagementScore, scoredAt]) => ({ id, fitScore, engagementScore, scoredAt }));
}

/** A LIKE pattern matching text that contains `part` literally (its %, _ and backslash escaped with a backslash). */
function containing(part: string): string {
  return `%${part.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * A sales list row's columns over `leads l`, `companies c` and `users u`, with the first-touch
 * source and campaign from the lead's earliest browser (and its earliest one with a UTM campaign).
 */
export const SALES_LEAD_COLUMNS = `l.id, l.site_id AS siteId, l.email, l.name, l.stage, l.owner_id AS ownerId, u.email AS ownerEmail,
            l.company_id AS companyId, c.name AS companyName, c.domain AS companyDomain,
            l.engagement_score AS engagementScore, l.fit_score AS fitScore, l.scored_at AS scoredAt,
            l.created_at AS createdAt, l.last_activity_at AS lastActivityAt,
            (SELECT coalesce(v.utm_source, v.channel) FROM visitors v WHERE v.lead_id = l.id
              ORDER BY v.first_seen_at LIMIT 1) AS source,
            (SELECT v.utm_campaign FROM visitors v WHERE v.lead_id = l.id AND v.utm_campaign IS NOT NULL
              ORDER BY v.first_seen_at LIMIT 1) AS campaign`;

/**
 * The sales list rows of these leads, in the given order: owner, company and first-touch source
 * and campaign (from the lead's earliest browser, and its earliest one that carried a UTM
 * campaign; two visitors_lead_idx lookups per lead, so only for the rows shown or exported).
 */
export async function salesLeadsByIds(db: Database, ids: readonly number[]): Promise<SalesLeadRow[]> {
  if (ids.length === 0) return [];
  const rows = await selectRows<SalesLeadRow>(
    db,
    `SELECT ${SALES_LEAD_COLUMNS}
       FROM json_each(?) j JOIN leads l ON l.id = j.value
       LEFT JOIN companies c ON c.id = l.company_id LEFT JOIN users u ON u.id = l.owner_id
      ORDER BY j.key`,
    [sqlJson(ids)],
  );
  return rows;
}

/**
 * Leads matching a sales list's filters as full rows, the most recently active first (at most
 * `limit`, 5,000): `listSalesCandidates` then `salesLeadsByIds`.
 */
export async function listSalesLeads(db: Database, q: SalesLeadQuery): Promise<SalesLeadRow[]> {
  const candidates = await listSalesCandidates(db, q);
  return salesLeadsByIds(
    db,
    candidates.map((c) => c.id),
  );
}

/** Points per rule of each lead (raw ledger sums), for "why is this lead hot". */
export async function ledgerTotalsByRule(
  db: Database,
  leadIds: readonly number[],
): Promise<{ leadId: number; ruleId: string; kind: string; points: number; entries: number; lastAt: number }[]> {
  if (leadIds.length === 0) return [];
  return selectRows(
    db,
    `SELECT lead_id AS leadId, rule_id AS ruleId, kind, sum(delta) AS points, count(*) AS entries, max(at) AS lastAt
       FROM score_ledger WHERE lead_id IN (SELECT value FROM json_each(?))
      GROUP BY lead_id, kind, rule_id`,
    [sqlJson(leadIds)],
  );
}

/** One event of a lead's timeline. */
export interface TimelineEvent {
  id: number;
  type: string;
  name: string | null;
  path: string | null;
  title: string | null;
  campaign: string | null;
  at: number;
}

/** The lead's newest events (pages, forms, custom events, campaign touches), newest first. */
export async function leadTimelineEvents(db: Database, leadId: number, limit = 200): Promise<TimelineEvent[]> {
  return selectRows<TimelineEvent>(
    db,
    `SELECT id, type, name, path, title, json_extract(campaign, '$.utm_campaign') AS campaign, received_at AS at
       FROM events WHERE lead_id = ? ORDER BY received_at DESC, id DESC LIMIT ?`,
    [leadId, limit],
  );
}

/** The ledger entries of a lead with the event behind each (for the breakdown), oldest first. */
export async function leadLedgerWithEvents(
  db: Database,
  leadId: number,
): Promise<
  {
    ruleId: string;
    kind: string;
    delta: number;
    at: number;
    /** The rule-set version the entry was scored under, and why it exists (event, decay correction, re-score, …). */
    ruleVersion: number;
    reason: string | null;
    eventId: number | null;
    eventType: string | null;
    path: string | null;
  }[]
> {
  return selectRows(
    db,
    `SELECT s.rule_id AS ruleId, s.kind, s.delta, s.at, s.rule_version AS ruleVersion, s.reason, s.event_id AS eventId,
            e.type AS eventType, e.path
       FROM score_ledger s LEFT JOIN events e ON e.id = s.event_id
      WHERE s.lead_id = ? ORDER BY s.at, s.id`,
    [leadId],
  );
}

/** Other people of the lead's company that the viewer may see (newest activity first). */
export async function companyColleagues(
  db: Database,
  companyId: number,
  leadId: number,
  viewer: LeadViewer,
  limit = 50,
): Promise<{ id: number; email: string; name: string | null; stage: string; ownerId: number | null }[]> {
  const visible = visibleLeadsCondition(viewer, "l");
  return selectRows(
    db,
    `SELECT l.id, l.email, l.name, l.stage, l.owner_id AS ownerId FROM leads l
      WHERE l.company_id = ? AND l.id <> ? AND ${visible.sql}
      ORDER BY coalesce(l.last_activity_at, l.created_at) DESC LIMIT ?`,
    [companyId, leadId, ...visible.args, limit],
  );
}

/** Users who can own leads (sales reps and admins), for reassign pickers. */
export async function listAssignableUsers(db: Database): Promise<{ id: number; email: string; name: string | null }[]> {
  return selectRows(db, "SELECT id, email, name FROM users WHERE role IN ('sales', 'admin') ORDER BY email", []);
}

/**
 * Records a note in the lead's stage history (same stage before and after, the note as reason),
 * so notes sit in the one audited history next to every stage change.
 */
export async function insertLeadNote(
  db: Database,
  note: { leadId: number; actor: string; text: string; at: number },
): Promise<boolean> {
  const result = await db.$client.execute({
    sql: `INSERT INTO stage_changes (site_id, lead_id, from_stage, to_stage, actor, reason, at, score)
          SELECT site_id, id, stage, stage, ?, ?, ?, NULL FROM leads WHERE id = ?`,
    args: [note.actor, note.text, note.at, note.leadId],
  });
  return result.rowsAffected > 0;
}

/**
 * Hands a lead to a user by hand (reassign, or "take" from the pool): ends the current
 * assignment, stores a manual one, sets the owner and notes it in the stage history. With
 * `onlyIfUnassigned` nothing happens when someone owns the lead already (two reps taking at once).
 */
export async function assignLeadManually(
  db: Database,
  input: { leadId: number; repId: number; actor: string; at: number; onlyIfUnassigned?: boolean; note: string },
): Promise<boolean> {
  const found = await db.$client.execute({
    sql: "SELECT site_id, owner_id FROM leads WHERE id = ?",
    args: [input.leadId],
  });
  const row = found.rows[0] as { site_id?: number; owner_id?: number | null } | undefined;
  if (!row) return false;
  if (input.onlyIfUnassigned && row.owner_id != null) return false;
  await closeCurrentAssignments(db, input.leadId, input.at);
  await insertAssignment(db, {
    siteId: Number(row.site_id),
    leadId: input.leadId,
    repId: input.repId,
    queueId: null,
    poolId: null,
    ruleId: null,
    trigger: "manual",
    candidates: [],
    decision: { summary: input.note, actor: input.actor },
    at: input.at,
    slaDueAt: null,
  });
  await setLeadOwner(db, input.leadId, input.repId);
  await insertLeadNote(db, { leadId: input.leadId, actor: input.actor, text: input.note, at: input.at });
  return true;
}
