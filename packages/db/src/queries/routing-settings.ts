import type { Database } from "../client.ts";
import { sqlJson } from "../json-text.ts";
import { rowsOf } from "./rows.ts";

// Routing settings writes: pools, reps, rules and the site's routing settings (the dashboard's
// routing settings page, the demo and tests). The reads the router needs are in routing.ts.

/** Creates a pool with its members; returns its id. */
export async function createRoutingPool(
  db: Database,
  pool: { siteId: number; name: string; slaMinutes?: number | null; repIds?: readonly number[] },
  now = Date.now(),
): Promise<number> {
  const result = await db.$client.execute({
    sql: "INSERT INTO routing_pools (site_id, name, sla_minutes, created_at) VALUES (?, ?, ?, ?) RETURNING id",
    args: [pool.siteId, pool.name, pool.slaMinutes ?? null, now],
  });
  const id = Number((result.rows[0] as unknown as { id: number }).id);
  await setPoolMembers(db, id, pool.repIds ?? []);
  return id;
}

/** Replaces a pool's members. */
export async function setPoolMembers(db: Database, poolId: number, userIds: readonly number[]): Promise<void> {
  await db.$client.execute({ sql: "DELETE FROM routing_pool_members WHERE pool_id = ?", args: [poolId] });
  if (userIds.length === 0) return;
  await db.$client.execute({
    sql: "INSERT INTO routing_pool_members (pool_id, user_id) SELECT ?, value FROM json_each(?)",
    args: [poolId, sqlJson([...new Set(userIds)])],
  });
}

/** Creates or updates a rep (one per user and site). */
export async function upsertRoutingRep(
  db: Database,
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
  await db.$client.execute({
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
      rep.workingHours == null ? null : sqlJson(rep.workingHours),
      sqlJson(rep.outOfOffice ?? []),
      rep.active === false ? 0 : 1,
    ],
  });
}

/** Appends a rule at the end of the site's order (or at `position`); returns its id. */
export async function createRoutingRule(
  db: Database,
  rule: {
    siteId: number;
    poolId: number;
    name?: string | null;
    conditions?: Record<string, unknown>;
    enabled?: boolean;
    position?: number;
  },
): Promise<number> {
  const result = await db.$client.execute({
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
      sqlJson(rule.conditions ?? {}),
    ],
  });
  return Number((result.rows[0] as unknown as { id: number }).id);
}

/** Sets a site's fallback queue and extra regions. */
export async function setRoutingSettings(
  db: Database,
  settings: { siteId: number; fallbackQueueId?: string; regions?: Record<string, string[]> | null },
): Promise<void> {
  await db.$client.execute({
    sql: `INSERT INTO routing_settings (site_id, fallback_queue_id, regions) VALUES (?, ?, ?)
          ON CONFLICT (site_id) DO UPDATE SET fallback_queue_id = excluded.fallback_queue_id, regions = excluded.regions`,
    args: [
      settings.siteId,
      settings.fallbackQueueId ?? "unassigned",
      settings.regions ? sqlJson(settings.regions) : null,
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
  db: Database,
  siteId: number,
  ruleId: number,
  direction: "up" | "down",
): Promise<boolean> {
  const ids = rowsOf(
    await db.$client.execute({
      sql: "SELECT id FROM routing_rules WHERE site_id = ? ORDER BY position, id",
      args: [siteId],
    }),
  ).map((r) => Number(r.id));
  const from = ids.indexOf(ruleId);
  if (from < 0) return false;
  const to = direction === "up" ? from - 1 : from + 1;
  if (to >= 0 && to < ids.length) [ids[from], ids[to]] = [ids[to] as number, ruleId];
  await db.$client.execute({
    sql: `UPDATE routing_rules SET position = (SELECT key + 1 FROM json_each(?) WHERE value = routing_rules.id)
          WHERE site_id = ?`,
    args: [sqlJson(ids), siteId],
  });
  return true;
}

/** Turns a rule on or off (a disabled rule keeps its place but routes nothing); false when not the site's. */
export async function setRoutingRuleEnabled(
  db: Database,
  siteId: number,
  ruleId: number,
  enabled: boolean,
): Promise<boolean> {
  const result = await db.$client.execute({
    sql: "UPDATE routing_rules SET enabled = ? WHERE id = ? AND site_id = ?",
    args: [enabled ? 1 : 0, ruleId, siteId],
  });
  return result.rowsAffected > 0;
}

/** Deletes a rule; false when not the site's. Assignments keep the rule id it chose them by. */
export async function deleteRoutingRule(db: Database, siteId: number, ruleId: number): Promise<boolean> {
  const result = await db.$client.execute({
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
  db: Database,
  siteId: number,
  poolId: number,
): Promise<{ ok: true } | { ok: false; reason: "not_found" } | { ok: false; reason: "in_use"; rules: string[] }> {
  const pool = rowsOf(
    await db.$client.execute({
      sql: "SELECT id FROM routing_pools WHERE id = ? AND site_id = ?",
      args: [poolId, siteId],
    }),
  )[0];
  if (!pool) return { ok: false, reason: "not_found" };
  const rules = rowsOf(
    await db.$client.execute({
      sql: "SELECT id, name FROM routing_rules WHERE pool_id = ? ORDER BY position, id",
      args: [poolId],
    }),
  );
  if (rules.length > 0) {
    return { ok: false, reason: "in_use", rules: rules.map((r) => (r.name == null ? `#${r.id}` : String(r.name))) };
  }
  await db.$client.execute({ sql: "DELETE FROM routing_pool_members WHERE pool_id = ?", args: [poolId] });
  await db.$client.execute({ sql: "DELETE FROM routing_pool_state WHERE pool_id = ?", args: [poolId] });
  await db.$client.execute({ sql: "DELETE FROM routing_pools WHERE id = ?", args: [poolId] });
  return { ok: true };
}

/** Replaces a rep's out-of-office periods; false when the user is not a rep of the site. */
export async function setRepOutOfOffice(
  db: Database,
  siteId: number,
  userId: number,
  periods: readonly { from: number; until: number; note?: string }[],
): Promise<boolean> {
  const result = await db.$client.execute({
    sql: "UPDATE routing_reps SET out_of_office = ? WHERE site_id = ? AND user_id = ?",
    args: [sqlJson(periods), siteId, userId],
  });
  return result.rowsAffected > 0;
}
