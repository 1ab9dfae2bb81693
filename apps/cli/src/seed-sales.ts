import {
  createRoutingPool,
  createRoutingRule,
  createUser,
  type Database,
  findLeadByEmail,
  NO_PASSWORD_HASH,
  upsertRoutingRep,
} from "@leadtrail/db";
import type { DemoItem } from "@leadtrail/demo";
import { applySalesAction } from "@leadtrail/workflows";

// The demo's sales side (the article's last phase): a small team with routing, so that the demo's
// MQLs are routed to reps while the traffic is replayed, and the generator's sales outcomes (accept,
// reject with a reason, qualify, won/lost with a value) replayed through the same sales actions the
// dashboard uses. Without them the funnel, calibration and content pipeline would end at MQL.

export type DemoSalesItem = Extract<DemoItem, { kind: "sales" }>;

/**
 * The demo reps start without a password (`npm start` prints an invitation link for each on the
 * first run; Settings → Users makes new ones); they exist so that leads have owners and the stage
 * history names people.
 */
const REPS = [
  { email: "dora.weber@leadtrail.local", name: "Dora Weber", pool: "DACH", weight: 2 },
  { email: "jonas.keller@leadtrail.local", name: "Jonas Keller", pool: "DACH", weight: 1 },
  { email: "sam.lee@leadtrail.local", name: "Sam Lee", pool: "International", weight: 1 },
] as const;

/**
 * Creates the demo sales team: reps, a DACH pool and an international pool, and two rules (DACH
 * countries first, everyone else second). No SLA: history is replayed at once, and every old
 * assignment would breach it on the first start. Returns the reps' user ids.
 */
export async function seedSalesTeam(db: Database, siteId: number, now: number): Promise<number[]> {
  const ids: number[] = [];
  const pools = new Map<string, number[]>();
  for (const rep of REPS) {
    const user = await createUser(
      db,
      { email: rep.email, name: rep.name, passwordHash: NO_PASSWORD_HASH, role: "sales" },
      now,
    );
    if (!user) continue; // already there (a second demo site on the same database)
    ids.push(user.id);
    await upsertRoutingRep(db, { siteId, userId: user.id, weight: rep.weight, capacity: 500 });
    pools.set(rep.pool, [...(pools.get(rep.pool) ?? []), user.id]);
  }
  const dach = await createRoutingPool(db, { siteId, name: "DACH", repIds: pools.get("DACH") ?? [] }, now);
  const world = await createRoutingPool(
    db,
    { siteId, name: "International", repIds: pools.get("International") ?? [] },
    now,
  );
  await createRoutingRule(db, { siteId, poolId: dach, name: "DACH", conditions: { regions: ["DACH"] } });
  await createRoutingRule(db, { siteId, poolId: world, name: "Everyone else" });
  return ids;
}

async function ownerOf(db: Database, leadId: number): Promise<number | undefined> {
  const row = (await db.$client.execute({ sql: "SELECT owner_id FROM leads WHERE id = ?", args: [leadId] })).rows[0];
  return row?.owner_id == null ? undefined : Number(row.owner_id);
}

/**
 * Replays the generator's sales outcomes in time order through `applySalesAction`, acted by the
 * lead's owner (or the first rep). An action the lead's stage does not allow (its score took
 * another course than the generator assumed) is skipped and counted.
 */
export async function replaySalesActions(
  db: Database,
  siteId: number,
  items: readonly DemoSalesItem[],
  fallbackRepId: number | undefined,
): Promise<{ applied: number; skipped: number }> {
  let applied = 0;
  let skipped = 0;
  for (const item of [...items].sort((a, b) => a.at - b.at)) {
    const lead = await findLeadByEmail(db, siteId, item.email.toLowerCase());
    const repId = (lead && (await ownerOf(db, lead.id))) ?? fallbackRepId;
    const result = lead
      ? await applySalesAction(db, {
          leadId: lead.id,
          siteId,
          action: item.action,
          actor: repId === undefined ? "system" : `user:${repId}`,
          reason: item.reason ?? null,
          value: item.value ?? null,
          now: item.at,
        })
      : undefined;
    if (result?.ok) applied++;
    else skipped++;
  }
  return { applied, skipped };
}
