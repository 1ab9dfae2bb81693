// Test fixtures for anything that routes: reps (users), pools and rules in a test database.
import {
  createRoutingPool,
  createRoutingRule,
  createUser,
  type Database,
  setRoutingSettings,
  upsertRoutingRep,
} from "@leadtrail/db";

/** A routing setup described by keys; `seedRouting` returns the ids it created under the same keys. */
export interface RoutingSpec {
  reps: {
    key: string;
    weight?: number;
    capacity?: number;
    timeZone?: string;
    workingHours?: unknown;
    active?: boolean;
  }[];
  pools: { key: string; slaMinutes?: number | null; reps: string[] }[];
  rules: { key: string; pool: string; conditions?: Record<string, unknown>; enabled?: boolean }[];
  fallbackQueueId?: string;
}

export interface SeededRouting {
  users: Record<string, number>;
  pools: Record<string, number>;
  rules: Record<string, number>;
}

/** Creates sales users, their rep settings, pools and rules (in the listed order) for a site. */
export async function seedRouting(db: Database, siteId: number, spec: RoutingSpec): Promise<SeededRouting> {
  const out: SeededRouting = { users: {}, pools: {}, rules: {} };
  for (const rep of spec.reps) {
    const user = await createUser(db, {
      email: `${rep.key}.${siteId}@reps.test`,
      name: rep.key,
      passwordHash: "x",
      role: "sales",
    });
    if (!user) throw new Error(`user ${rep.key} exists`);
    out.users[rep.key] = user.id;
    await upsertRoutingRep(db, { siteId, userId: user.id, ...rep });
  }
  for (const pool of spec.pools) {
    out.pools[pool.key] = await createRoutingPool(db, {
      siteId,
      name: pool.key,
      slaMinutes: pool.slaMinutes ?? null,
      repIds: pool.reps.map((k) => out.users[k] as number),
    });
  }
  for (const rule of spec.rules) {
    out.rules[rule.key] = await createRoutingRule(db, {
      siteId,
      poolId: out.pools[rule.pool] as number,
      name: rule.key,
      conditions: rule.conditions,
      enabled: rule.enabled,
    });
  }
  if (spec.fallbackQueueId) await setRoutingSettings(db, { siteId, fallbackQueueId: spec.fallbackQueueId });
  return out;
}
