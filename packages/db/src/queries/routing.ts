import type { Executor } from "./ingest.ts";
import { parseJson } from "./ingest.ts";

// Routing settings, round-robin state, assignments and SLA misses. Every function takes an
// Executor: the collector calls them inside its ingest write transaction, the dashboard and jobs
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

const rowsOf = (result: { rows: unknown[] }) => result.rows as Record<string, unknown>[];
const numOrNull = (v: unknown) => (v == null ? null : Number(v));

/** Reads a site's pools, reps (with open-lead counts), rules in order, settings and round-robin credits. */
export async function loadRoutingSetup(tx: Executor, siteId: number): Promise<RoutingSetupRows> {
  const [pools, members, reps, rules, settings, credits] = [
    await tx.execute({
      sql: "SELECT id, name, sla_minutes FROM routing_pools WHERE site_id = ? ORDER BY id",
      args: [siteId],
    }),
    await tx.execute({
      sql: `SELECT m.pool_id, m.user_id FROM routing_pool_members m JOIN routing_pools p ON p.id = m.pool_id
            WHERE p.site_id = ? ORDER BY m.pool_id, m.user_id`,
      args: [siteId],
    }),
    await tx.execute({
      sql: `SELECT r.user_id, u.name, r.weight, r.capacity, r.time_zone, r.working_hours, r.out_of_office, r.active,
              (SELECT count(*) FROM lead_assignments a WHERE a.rep_id = r.user_id AND a.site_id = r.site_id
                 AND a.closed_at IS NULL) AS open_leads
            FROM routing_reps r LEFT JOIN users u ON u.id = r.user_id WHERE r.site_id = ? ORDER BY r.user_id`,
      args: [siteId],
    }),
    await tx.execute({
      sql: "SELECT id, position, name, pool_id, enabled, conditions FROM routing_rules WHERE site_id = ? ORDER BY position, id",
      args: [siteId],
    }),
    await tx.execute({
      sql: "SELECT fallback_queue_id, regions FROM routing_settings WHERE site_id = ?",
      args: [siteId],
    }),
    await tx.execute({
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
  tx: Executor,
  poolId: number,
  credits: Record<string, number>,
  at: number,
): Promise<void> {
  await tx.execute({
    sql: `INSERT INTO routing_pool_state (pool_id, credits, updated_at) VALUES (?, ?, ?)
          ON CONFLICT (pool_id) DO UPDATE SET credits = excluded.credits, updated_at = excluded.updated_at`,
    args: [poolId, JSON.stringify(credits), at],
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
  tx: Executor,
  leadIds: readonly number[],
): Promise<Map<number, RoutableLeadRow>> {
  const found = new Map<number, RoutableLeadRow>();
  for (const id of leadIds) {
    const lead = rowsOf(
      await tx.execute({
        sql: `SELECT l.id, l.site_id, l.stage, l.owner_id, l.traits, c.id AS company_id, c.country, c.industry, c.size
              FROM leads l LEFT JOIN companies c ON c.id = l.company_id WHERE l.id = ?`,
        args: [id],
      }),
    )[0];
    if (!lead) continue;
    const events = rowsOf(
      await tx.execute({
        sql: `SELECT DISTINCT path, campaign->>'utm_campaign' AS campaign FROM
                (SELECT path, campaign FROM events WHERE lead_id = ? ORDER BY received_at DESC LIMIT 500)`,
        args: [id],
      }),
    );
    const visitors = rowsOf(
      await tx.execute({
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
export async function insertAssignment(tx: Executor, a: NewAssignment): Promise<number> {
  const result = await tx.execute({
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
      JSON.stringify(a.candidates),
      JSON.stringify(a.decision),
      a.at,
      a.slaDueAt,
    ],
  });
  return Number((result.rows[0] as { id: number }).id);
}

/** Ends the lead's current assignment(s) at `at` (re-routed, reassigned, rejected or closed). */
export async function closeCurrentAssignments(tx: Executor, leadId: number, at: number): Promise<void> {
  await tx.execute({
    sql: "UPDATE lead_assignments SET closed_at = ? WHERE lead_id = ? AND closed_at IS NULL",
    args: [at, leadId],
  });
}

/** Marks the lead's current assignment accepted (SAL): its SLA is met. */
export async function acceptCurrentAssignment(tx: Executor, leadId: number, at: number): Promise<void> {
  await tx.execute({
    sql: "UPDATE lead_assignments SET accepted_at = coalesce(accepted_at, ?) WHERE lead_id = ? AND closed_at IS NULL",
    args: [at, leadId],
  });
}

/** Sets the lead's owner (a user id, or null when queued). */
export async function setLeadOwner(tx: Executor, leadId: number, ownerId: number | null): Promise<void> {
  await tx.execute({ sql: "UPDATE leads SET owner_id = ? WHERE id = ?", args: [ownerId, leadId] });
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
export async function listLeadAssignments(tx: Executor, leadId: number): Promise<AssignmentRow[]> {
  const result = await tx.execute({
    sql: "SELECT * FROM lead_assignments WHERE lead_id = ? ORDER BY at, id",
    args: [leadId],
  });
  return rowsOf(result).map(toAssignment);
}

/** Current (not closed), unaccepted assignments whose SLA ran out at or before `now`, oldest due first. */
export async function dueSlaAssignments(tx: Executor, now: number, limit = 100): Promise<AssignmentRow[]> {
  const result = await tx.execute({
    sql: `SELECT * FROM lead_assignments
          WHERE closed_at IS NULL AND accepted_at IS NULL AND sla_due_at IS NOT NULL AND sla_due_at <= ?
          ORDER BY sla_due_at, lead_id LIMIT ?`,
    args: [now, limit],
  });
  return rowsOf(result).map(toAssignment);
}

/** Reps who already missed the SLA on this lead (so a re-route does not hand it back to them). */
export async function slaMissRepIds(tx: Executor, leadId: number): Promise<number[]> {
  const result = await tx.execute({ sql: "SELECT DISTINCT rep_id FROM sla_misses WHERE lead_id = ?", args: [leadId] });
  return rowsOf(result).map((r) => Number(r.rep_id));
}

/** Records a missed SLA. */
export async function insertSlaMiss(
  tx: Executor,
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
  await tx.execute({
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
export async function listSlaMisses(tx: Executor, leadId: number): Promise<Record<string, unknown>[]> {
  return rowsOf(await tx.execute({ sql: "SELECT * FROM sla_misses WHERE lead_id = ? ORDER BY id", args: [leadId] }));
}

// Settings writes (the dashboard's routing settings page and tests).

/** Creates a pool with its members; returns its id. */
export async function createRoutingPool(
  tx: Executor,
  pool: { siteId: number; name: string; slaMinutes?: number | null; repIds?: readonly number[] },
  now = Date.now(),
): Promise<number> {
  const result = await tx.execute({
    sql: "INSERT INTO routing_pools (site_id, name, sla_minutes, created_at) VALUES (?, ?, ?, ?) RETURNING id",
    args: [pool.siteId, pool.name, pool.slaMinutes ?? null, now],
  });
  const id = Number((result.rows[0] as { id: number }).id);
  await setPoolMembers(tx, id, pool.repIds ?? []);
  return id;
}

/** Replaces a pool's members. */
export async function setPoolMembers(tx: Executor, poolId: number, userIds: readonly number[]): Promise<void> {
  await tx.execute({ sql: "DELETE FROM routing_pool_members WHERE pool_id = ?", args: [poolId] });
  if (userIds.length === 0) return;
  await tx.execute({
    sql: "INSERT INTO routing_pool_members (pool_id, user_id) SELECT ?, value FROM json_each(?)",
    args: [poolId, JSON.stringify([...new Set(userIds)])],
  });
}

/** Creates or updates a rep (one per user and site). */
export async function upsertRoutingRep(
  tx: Executor,
  rep: {
    siteId: number;
    userId: number;
    weight?: number;
    capacity?: number;
    timeZone?: string;
    workingHours?: unknown;
    outOfOffice?: unknown[];
    active?: boolean;
  },
): Promise<void> {
  await tx.execute({
    sql: `INSERT INTO routing_reps (site_id, user_id, weight, capacity, time_zone, working_hours, out_of_office, active)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?)
          ON CONFLICT (site_id, user_id) DO UPDATE SET weight = excluded.weight, capacity = excluded.capacity,
            time_zone = excluded.time_zone, working_hours = excluded.working_hours,
            out_of_office = excluded.out_of_office, active = excluded.active`,
    args: [
      rep.siteId,
      rep.userId,
      rep.weight ?? 1,
      rep.capacity ?? 50,
      rep.timeZone ?? "UTC",
      rep.workingHours == null ? null : JSON.stringify(rep.workingHours),
      JSON.stringify(rep.outOfOffice ?? []),
      rep.active === false ? 0 : 1,
    ],
  });
}

/** Appends a rule at the end of the site's order (or at `position`); returns its id. */
export async function createRoutingRule(
  tx: Executor,
  rule: {
    siteId: number;
    poolId: number;
    name?: string | null;
    conditions?: Record<string, unknown>;
    enabled?: boolean;
    position?: number;
  },
): Promise<number> {
  const result = await tx.execute({
    sql: `INSERT INTO routing_rules (site_id, position, name, pool_id, enabled, conditions)
          VALUES (?, coalesce(?, (SELECT coalesce(max(position), 0) + 1 FROM routing_rules WHERE site_id = ?)), ?, ?, ?, ?)
          RETURNING id`,
    args: [
      rule.siteId,
      rule.position ?? null,
      rule.siteId,
      rule.name ?? null,
      rule.poolId,
      rule.enabled === false ? 0 : 1,
      JSON.stringify(rule.conditions ?? {}),
    ],
  });
  return Number((result.rows[0] as { id: number }).id);
}

/** Sets a site's fallback queue and extra regions. */
export async function setRoutingSettings(
  tx: Executor,
  settings: { siteId: number; fallbackQueueId?: string; regions?: Record<string, string[]> | null },
): Promise<void> {
  await tx.execute({
    sql: `INSERT INTO routing_settings (site_id, fallback_queue_id, regions) VALUES (?, ?, ?)
          ON CONFLICT (site_id) DO UPDATE SET fallback_queue_id = excluded.fallback_queue_id, regions = excluded.regions`,
    args: [
      settings.siteId,
      settings.fallbackQueueId ?? "unassigned",
      settings.regions ? JSON.stringify(settings.regions) : null,
    ],
  });
}

/**
 * Moves a rule one place earlier (`up`) or later (`down`) in its site's order by swapping positions
 * with its neighbour. First renumbers the site's rules 1…n in their current order, so rules that
 * share a position (or have gaps) still move by exactly one place. False when the rule is not the
 * site's; true otherwise (also when it is already first or last and stays put).
 */
export async function moveRoutingRule(
  tx: Executor,
  siteId: number,
  ruleId: number,
  direction: "up" | "down",
): Promise<boolean> {
  const ids = rowsOf(
    await tx.execute({ sql: "SELECT id FROM routing_rules WHERE site_id = ? ORDER BY position, id", args: [siteId] }),
  ).map((r) => Number(r.id));
  const from = ids.indexOf(ruleId);
  if (from < 0) return false;
  const to = direction === "up" ? from - 1 : from + 1;
  if (to >= 0 && to < ids.length) [ids[from], ids[to]] = [ids[to] as number, ruleId];
  await tx.execute({
    sql: `UPDATE routing_rules SET position = (SELECT key + 1 FROM json_each(?) WHERE value = routing_rules.id)
          WHERE site_id = ?`,
    args: [JSON.stringify(ids), siteId],
  });
  return true;
}

/** Turns a rule on or off (a disabled rule keeps its place but routes nothing); false when not the site's. */
export async function setRoutingRuleEnabled(
  tx: Executor,
  siteId: number,
  ruleId: number,
  enabled: boolean,
): Promise<boolean> {
  const result = await tx.execute({
    sql: "UPDATE routing_rules SET enabled = ? WHERE id = ? AND site_id = ?",
    args: [enabled ? 1 : 0, ruleId, siteId],
  });
  return result.rowsAffected > 0;
}

/** Deletes a rule; false when not the site's. Assignments keep the rule id it chose them by. */
export async function deleteRoutingRule(tx: Executor, siteId: number, ruleId: number): Promise<boolean> {
  const result = await tx.execute({
    sql: "DELETE FROM routing_rules WHERE id = ? AND site_id = ?",
    args: [ruleId, siteId],
  });
  return result.rowsAffected > 0;
}

/**
 * Deletes a pool (its members and round-robin state go with it). Refused while rules send leads to
 * it — deleting them silently would change where leads go — so the admin deletes or re-points
 * those first. Assignments keep the pool id they were made in.
 */
export async function deleteRoutingPool(
  tx: Executor,
  siteId: number,
  poolId: number,
): Promise<{ ok: true } | { ok: false; reason: "not_found" } | { ok: false; reason: "in_use"; rules: string[] }> {
  const pool = rowsOf(
    await tx.execute({ sql: "SELECT id FROM routing_pools WHERE id = ? AND site_id = ?", args: [poolId, siteId] }),
  )[0];
  if (!pool) return { ok: false, reason: "not_found" };
  const rules = rowsOf(
    await tx.execute({
      sql: "SELECT id, name FROM routing_rules WHERE pool_id = ? ORDER BY position, id",
      args: [poolId],
    }),
  );
  if (rules.length > 0) {
    return { ok: false, reason: "in_use", rules: rules.map((r) => (r.name == null ? `#${r.id}` : String(r.name))) };
  }
  await tx.execute({ sql: "DELETE FROM routing_pool_members WHERE pool_id = ?", args: [poolId] });
  await tx.execute({ sql: "DELETE FROM routing_pool_state WHERE pool_id = ?", args: [poolId] });
  await tx.execute({ sql: "DELETE FROM routing_pools WHERE id = ?", args: [poolId] });
  return { ok: true };
}

/** Replaces a rep's out-of-office periods; false when the user is not a rep of the site. */
export async function setRepOutOfOffice(
  tx: Executor,
  siteId: number,
  userId: number,
  periods: readonly { from: number; until: number; note?: string }[],
): Promise<boolean> {
  const result = await tx.execute({
    sql: "UPDATE routing_reps SET out_of_office = ? WHERE site_id = ? AND user_id = ?",
    args: [JSON.stringify(periods), siteId, userId],
  });
  return result.rowsAffected > 0;
}

// Sales lists and lead detail (REST API, sales workspace).

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
  tx: Executor,
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
  const where = ["l.site_id = ?", "l.id > ?"];
  const args: (string | number)[] = [q.siteId, q.afterId];
  if (q.stage !== undefined) {
    where.push("l.stage = ?");
    args.push(q.stage);
  }
  if (q.ownerId !== undefined) {
    where.push("l.owner_id = ?");
    args.push(q.ownerId);
  }
  if (q.minScoreBound !== undefined) {
    where.push("l.fit_score + max(l.engagement_score, 0) >= ?");
    args.push(q.minScoreBound);
  }
  if (q.activeSince !== undefined) {
    where.push("coalesce(l.last_activity_at, l.created_at) >= ?");
    args.push(q.activeSince);
  }
  args.push(q.limit);
  const result = await tx.execute({
    sql: `SELECT ${LIST_COLUMNS} FROM leads l LEFT JOIN companies c ON c.id = l.company_id
          WHERE ${where.join(" AND ")} ORDER BY l.id LIMIT ?`,
    args,
  });
  return rowsOf(result).map(toApiLeadRow);
}

/** One lead with its company, or undefined. */
export async function findApiLeadRow(tx: Executor, leadId: number): Promise<ApiLeadRow | undefined> {
  const result = await tx.execute({
    sql: `SELECT ${LIST_COLUMNS} FROM leads l LEFT JOIN companies c ON c.id = l.company_id WHERE l.id = ?`,
    args: [leadId],
  });
  const row = rowsOf(result)[0];
  return row ? toApiLeadRow(row) : undefined;
}

/** A lead's score ledger, oldest first. */
export async function listLeadLedger(tx: Executor, leadId: number): Promise<Record<string, unknown>[]> {
  return rowsOf(
    await tx.execute({
      sql: `SELECT event_id, rule_id, rule_version, kind, delta, at, reason FROM score_ledger WHERE lead_id = ?
            ORDER BY at, id`,
      args: [leadId],
    }),
  );
}

/** A lead's stage history, oldest first. */
export async function listStageChanges(tx: Executor, leadId: number): Promise<Record<string, unknown>[]> {
  return rowsOf(
    await tx.execute({
      sql: "SELECT from_stage, to_stage, actor, reason, at, score FROM stage_changes WHERE lead_id = ? ORDER BY at, id",
      args: [leadId],
    }),
  );
}

/** The lead's stored score state and stage, for a sales action (read inside its write transaction). */
export async function loadLeadState(
  tx: Executor,
  leadId: number,
): Promise<{ siteId: number; stage: string; scoreState: unknown; ownerId: number | null } | undefined> {
  const row = rowsOf(
    await tx.execute({ sql: "SELECT site_id, stage, score_state, owner_id FROM leads WHERE id = ?", args: [leadId] }),
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
export async function saveLeadStage(tx: Executor, leadId: number, stage: string, scoreState: unknown): Promise<void> {
  await tx.execute({
    sql: "UPDATE leads SET stage = ?, score_state = ? WHERE id = ?",
    args: [stage, JSON.stringify(scoreState), leadId],
  });
}
