import type { Database } from "../client.ts";
import { parseJson, sqlJson } from "../json-text.ts";
import { numOrNull, rowsOf } from "./rows.ts";

// Routing settings, round-robin state, assignments and SLA misses. Every function takes a
// Database: the collector calls them inside its ingest write transaction, the dashboard and jobs
// inside their own (`withWriteTransaction`) so a read here is what the following write builds on.

/** A pool with its members (user ids). */
export interface PoolRow {
  id: number;
  siteId: number;
  name: string;
  slaMinutes: number | null;
  repIds: number[];
}

/** A rep with the number of leads currently assigned to them (for capacity). */
export interface RepRow {
  userId: number;
  siteId: number;
  name: string | null;
  weight: number;
  capacity: number;
  timeZone: string;
  workingHours: unknown;
  outOfOffice: unknown[];
  active: boolean;
  openLeads: number;
}

export interface RuleRow {
  id: number;
  siteId: number;
  position: number;
  name: string | null;
  poolId: number;
  enabled: boolean;
  conditions: Record<string, unknown>;
}

/** Everything routing needs for one site, read in one go. */
export interface RoutingSetupRows {
  siteId: number;
  pools: PoolRow[];
  reps: RepRow[];
  rules: RuleRow[];
  fallbackQueueId: string;
  regions: Record<string, string[]> | null;
  /** Round-robin credits by pool id. */
  credits: Map<number, Record<string, number>>;
}

/** Reads a site's pools, reps (with open-lead counts), rules in order, settings and round-robin credits. */
export async function loadRoutingSetup(db: Database, siteId: number): Promise<RoutingSetupRows> {
  const [pools, members, reps, rules, settings, credits] = [
    await db.$client.execute({
      sql: "SELECT id, name, sla_minutes FROM routing_pools WHERE site_id = ? ORDER BY id",
      args: [siteId],
    }),
    await db.$client.execute({
      sql: `SELECT m.pool_id, m.user_id FROM routing_pool_members m JOIN routing_pools p ON p.id = m.pool_id
            WHERE p.site_id = ? ORDER BY m.pool_id, m.user_id`,
      args: [siteId],
    }),
    await db.$client.execute({
      sql: `SELECT r.user_id, u.name, r.weight, r.capacity, r.time_zone, r.working_hours, r.out_of_office, r.active,
              (SELECT count(*) FROM lead_assignments a WHERE a.rep_id = r.user_id AND a.site_id = r.site_id
                 AND a.closed_at IS NULL) AS open_leads
            FROM routing_reps r LEFT JOIN users u ON u.id = r.user_id WHERE r.site_id = ? ORDER BY r.user_id`,
      args: [siteId],
    }),
    await db.$client.execute({
      sql: "SELECT id, position, name, pool_id, enabled, conditions FROM routing_rules WHERE site_id = ? ORDER BY position, id",
      args: [siteId],
    }),
    await db.$client.execute({
      sql: "SELECT fallback_queue_id, regions FROM routing_settings WHERE site_id = ?",
      args: [siteId],
    }),
    await db.$client.execute({
      sql: `SELECT s.pool_id, s.credits FROM routing_pool_state s JOIN routing_pools p ON p.id = s.pool_id
            WHERE p.site_id = ?`,
      args: [siteId],
    }),
  ];
  const membersOf = new Map<number, number[]>();
  for (const m of rowsOf(members)) {
    const list = membersOf.get(Number(m.pool_id)) ?? [];
    list.push(Number(m.user_id));
    membersOf.set(Number(m.pool_id), list);
  }
  const setting = rowsOf(settings)[0];
  return {
    siteId,
    pools: rowsOf(pools).map((p) => ({
      id: Number(p.id),
      siteId,
      name: String(p.name),
      slaMinutes: numOrNull(p.sla_minutes),
      repIds: membersOf.get(Number(p.id)) ?? [],
    })),
    reps: rowsOf(reps).map((r) => ({
      userId: Number(r.user_id),
      siteId,
      name: (r.name as string | null) ?? null,
      weight: Number(r.weight),
      capacity: Number(r.capacity),
      timeZone: String(r.time_zone),
      workingHours: parseJson(r.working_hours),
      outOfOffice: (parseJson(r.out_of_office) as unknown[] | null) ?? [],
      active: Boolean(r.active),
      openLeads: Number(r.open_leads),
    })),
    rules: rowsOf(rules).map((r) => ({
      id: Number(r.id),
      siteId,
      position: Number(r.position),
      name: (r.name as string | null) ?? null,
      poolId: Number(r.pool_id),
      enabled: Boolean(r.enabled),
      conditions: (parseJson(r.conditions) as Record<string, unknown> | null) ?? {},
    })),
    fallbackQueueId: setting ? String(setting.fallback_queue_id) : "unassigned",
    regions: setting ? (parseJson(setting.regions) as Record<string, string[]> | null) : null,
    credits: new Map(
      rowsOf(credits).map((c) => [Number(c.pool_id), (parseJson(c.credits) as Record<string, number>) ?? {}]),
    ),
  };
}

/** Stores a pool's round-robin credits. */
export async function saveRoutingCredits(
  db: Database,
  poolId: number,
  credits: Record<string, number>,
  at: number,
): Promise<void> {
  await db.$client.execute({
    sql: `INSERT INTO routing_pool_state (pool_id, credits, updated_at) VALUES (?, ?, ?)
          ON CONFLICT (pool_id) DO UPDATE SET credits = excluded.credits, updated_at = excluded.updated_at`,
    args: [poolId, sqlJson(credits), at],
  });
}

/** What routing needs to know about a lead: profile traits, company, and what it did. */
export interface RoutableLeadRow {
  id: number;
  siteId: number;
  stage: string;
  ownerId: number | null;
  traits: Record<string, unknown>;
  company: { country: string | null; industry: string | null; size: string | null } | null;
  /** Visitors' first-touch country, newest visitor first. */
  visitorCountry: string | null;
  /** Paths the lead viewed and UTM campaigns it came through (its last 500 events and its visitors). */
  paths: string[];
  campaigns: string[];
}

/** Reads leads for routing. Only called for leads being routed (MQL, on demand, SLA), never per event. */
export async function loadRoutableLeads(
  db: Database,
  leadIds: readonly number[],
): Promise<Map<number, RoutableLeadRow>> {
  const found = new Map<number, RoutableLeadRow>();
  for (const id of leadIds) {
    const lead = rowsOf(
      await db.$client.execute({
        sql: `SELECT l.id, l.site_id, l.stage, l.owner_id, l.traits, c.id AS company_id, c.country, c.industry, c.size
              FROM leads l LEFT JOIN companies c ON c.id = l.company_id WHERE l.id = ?`,
        args: [id],
      }),
    )[0];
    if (!lead) continue;
    const events = rowsOf(
      await db.$client.execute({
        sql: `SELECT DISTINCT path, campaign->>'utm_campaign' AS campaign FROM
                (SELECT path, campaign FROM events WHERE lead_id = ? ORDER BY received_at DESC LIMIT 500)`,
        args: [id],
      }),
    );
    const visitors = rowsOf(
      await db.$client.execute({
        sql: "SELECT country, utm_campaign FROM visitors WHERE lead_id = ? ORDER BY last_seen_at DESC",
        args: [id],
      }),
    );
    const campaigns = new Set<string>();
    const paths = new Set<string>();
    for (const e of events) {
      if (e.path) paths.add(String(e.path));
      if (e.campaign) campaigns.add(String(e.campaign));
    }
    for (const v of visitors) if (v.utm_campaign) campaigns.add(String(v.utm_campaign));
    found.set(id, {
      id,
      siteId: Number(lead.site_id),
      stage: String(lead.stage),
      ownerId: numOrNull(lead.owner_id),
      traits: (parseJson(lead.traits) as Record<string, unknown> | null) ?? {},
      company:
        lead.company_id == null
          ? null
          : {
              country: (lead.country as string | null) ?? null,
              industry: (lead.industry as string | null) ?? null,
              size: (lead.size as string | null) ?? null,
            },
      visitorCountry: (visitors.find((v) => v.country)?.country as string | undefined) ?? null,
      paths: [...paths].sort(),
      campaigns: [...campaigns].sort(),
    });
  }
  return found;
}

/** An assignment to store: to a rep, or to a queue when `repId` is null. */
export interface NewAssignment {
  siteId: number;
  leadId: number;
  repId: number | null;
  queueId: string | null;
  poolId: number | null;
  ruleId: number | null;
  trigger: string;
  candidates: unknown[];
  decision: unknown;
  at: number;
  slaDueAt: number | null;
}

/** Stores an assignment and returns its id. */
export async function insertAssignment(db: Database, a: NewAssignment): Promise<number> {
  const result = await db.$client.execute({
    sql: `INSERT INTO lead_assignments (site_id, lead_id, rep_id, queue_id, pool_id, rule_id, trigger, candidates,
            decision, at, sla_due_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    args: [
      a.siteId,
      a.leadId,
      a.repId,
      a.queueId,
      a.poolId,
      a.ruleId,
      a.trigger,
      sqlJson(a.candidates),
      sqlJson(a.decision),
      a.at,
      a.slaDueAt,
    ],
  });
  return Number((result.rows[0] as unknown as { id: number }).id);
}

/** Ends the lead's current assignment(s) at `at` (re-routed, reassigned, rejected or closed). */
export async function closeCurrentAssignments(db: Database, leadId: number, at: number): Promise<void> {
  await db.$client.execute({
    sql: "UPDATE lead_assignments SET closed_at = ? WHERE lead_id = ? AND closed_at IS NULL",
    args: [at, leadId],
  });
}

/** Marks the lead's current assignment accepted (SAL): its SLA is met. */
export async function acceptCurrentAssignment(db: Database, leadId: number, at: number): Promise<void> {
  await db.$client.execute({
    sql: "UPDATE lead_assignments SET accepted_at = coalesce(accepted_at, ?) WHERE lead_id = ? AND closed_at IS NULL",
    args: [at, leadId],
  });
}

/** Sets the lead's owner (a user id, or null when queued). */
export async function setLeadOwner(db: Database, leadId: number, ownerId: number | null): Promise<void> {
  await db.$client.execute({ sql: "UPDATE leads SET owner_id = ? WHERE id = ?", args: [ownerId, leadId] });
}

/** An assignment as stored. */
export interface AssignmentRow {
  id: number;
  siteId: number;
  leadId: number;
  repId: number | null;
  queueId: string | null;
  poolId: number | null;
  ruleId: number | null;
  trigger: string;
  candidates: unknown[];
  decision: unknown;
  at: number;
  acceptedAt: number | null;
  closedAt: number | null;
  slaDueAt: number | null;
}

function toAssignment(r: Record<string, unknown>): AssignmentRow {
  return {
    id: Number(r.id),
    siteId: Number(r.site_id),
    leadId: Number(r.lead_id),
    repId: numOrNull(r.rep_id),
    queueId: (r.queue_id as string | null) ?? null,
    poolId: numOrNull(r.pool_id),
    ruleId: numOrNull(r.rule_id),
    trigger: String(r.trigger),
    candidates: (parseJson(r.candidates) as unknown[] | null) ?? [],
    decision: parseJson(r.decision),
    at: Number(r.at),
    acceptedAt: numOrNull(r.accepted_at),
    closedAt: numOrNull(r.closed_at),
    slaDueAt: numOrNull(r.sla_due_at),
  };
}

/** A lead's assignments, oldest first. */
export async function listLeadAssignments(db: Database, leadId: number): Promise<AssignmentRow[]> {
  const result = await db.$client.execute({
    sql: "SELECT * FROM lead_assignments WHERE lead_id = ? ORDER BY at, id",
    args: [leadId],
  });
  return rowsOf(result).map(toAssignment);
}

/** Current (not closed), unaccepted assignments whose SLA ran out at or before `now`, oldest due first. */
export async function dueSlaAssignments(db: Database, now: number, limit = 100): Promise<AssignmentRow[]> {
  const result = await db.$client.execute({
    sql: `SELECT * FROM lead_assignments
          WHERE closed_at IS NULL AND accepted_at IS NULL AND sla_due_at IS NOT NULL AND sla_due_at <= ?
          ORDER BY sla_due_at, lead_id LIMIT ?`,
    args: [now, limit],
  });
  return rowsOf(result).map(toAssignment);
}

/** Reps who already missed the SLA on this lead (so a re-route does not hand it back to them). */
export async function slaMissRepIds(db: Database, leadId: number): Promise<number[]> {
  const result = await db.$client.execute({
    sql: "SELECT DISTINCT rep_id FROM sla_misses WHERE lead_id = ?",
    args: [leadId],
  });
  return rowsOf(result).map((r) => Number(r.rep_id));
}

/** Records a missed SLA. */
export async function insertSlaMiss(
  db: Database,
  miss: {
    siteId: number;
    leadId: number;
    assignmentId: number;
    repId: number;
    poolId: number | null;
    ruleId: number | null;
    assignedAt: number;
    slaDueAt: number;
    detectedAt: number;
    overdueMs: number;
  },
): Promise<void> {
  await db.$client.execute({
    sql: `INSERT INTO sla_misses (site_id, lead_id, assignment_id, rep_id, pool_id, rule_id, assigned_at, sla_due_at,
            detected_at, overdue_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    args: [
      miss.siteId,
      miss.leadId,
      miss.assignmentId,
      miss.repId,
      miss.poolId,
      miss.ruleId,
      miss.assignedAt,
      miss.slaDueAt,
      miss.detectedAt,
      miss.overdueMs,
    ],
  });
}

/** A lead's SLA misses, oldest first. */
export async function listSlaMisses(db: Database, leadId: number): Promise<Record<string, unknown>[]> {
  return rowsOf(
    await db.$client.execute({ sql: "SELECT * FROM sla_misses WHERE lead_id = ? ORDER BY id", args: [leadId] }),
  );
}
