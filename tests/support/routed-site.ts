// The seeding the routing end-to-end tests share (e2e/routing.test.ts, e2e/mail-notifications.test.ts):
// one site with two territories, and a client that posts tracker batches to a running collector.
import { createRoutingPool, createRoutingRule, createSite, type Database, upsertRoutingRep } from "@leadtrail/db";
import { seedRouting } from "@leadtrail/workflows/testing";

/** An ordinary desktop Chrome: the collector drops traffic that looks like a bot. */
const UA =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

export interface RoutedSite {
  siteId: number;
  users: { dora: number; uma: number };
  rules: { dach: number; us: number };
}

/**
 * A site (`publicKey`, accepting posts from this machine) whose DACH leads go to the seeded sales
 * rep "dora" and whose US leads go to "uma": a seeded rep too, or the existing user `umaUserId`
 * (a real dashboard log-in) when given. Both pools have a 60-minute SLA.
 */
export async function seedRoutedSite(db: Database, publicKey: string, umaUserId?: number): Promise<RoutedSite> {
  const site = await createSite(db, { publicKey, name: "E2E", domains: ["127.0.0.1", "localhost"] });
  const dach = { key: "dach", pool: "dach", conditions: { regions: ["DACH"] } };
  const us = { key: "us", pool: "us", conditions: { countries: ["US"] } };
  if (umaUserId === undefined) {
    const ids = await seedRouting(db, site.id, {
      reps: [{ key: "dora" }, { key: "uma" }],
      pools: [
        { key: "dach", slaMinutes: 60, reps: ["dora"] },
        { key: "us", slaMinutes: 60, reps: ["uma"] },
      ],
      rules: [dach, us],
    });
    return {
      siteId: site.id,
      users: { dora: ids.users.dora as number, uma: ids.users.uma as number },
      rules: { dach: ids.rules.dach as number, us: ids.rules.us as number },
    };
  }
  const ids = await seedRouting(db, site.id, {
    reps: [{ key: "dora" }],
    pools: [{ key: "dach", slaMinutes: 60, reps: ["dora"] }],
    rules: [dach],
  });
  await upsertRoutingRep(db, { siteId: site.id, userId: umaUserId });
  const usPool = await createRoutingPool(db, {
    siteId: site.id,
    name: "us",
    slaMinutes: 60,
    repIds: [umaUserId],
  });
  const usRule = await createRoutingRule(db, {
    siteId: site.id,
    poolId: usPool,
    name: "us",
    conditions: us.conditions,
  });
  return {
    siteId: site.id,
    users: { dora: ids.users.dora as number, uma: umaUserId },
    rules: { dach: ids.rules.dach as number, us: usRule },
  };
}

/** Posts tracker batches for `site` to the collector at `collectorUrl`, as a browser on this machine would. */
export function trackerClient(collectorUrl: string, site: string) {
  return {
    post: (visitor: string, events: unknown[]) =>
      fetch(`${collectorUrl}/e`, {
        method: "POST",
        headers: { "content-type": "text/plain", origin: collectorUrl, "user-agent": UA },
        body: JSON.stringify({ site, visitor, sentAt: Date.now(), events }),
      }),
    /** One event of `type` on the demo page of that name, now. */
    event: (id: string, type: string, extra: Record<string, unknown> = {}) => ({
      id,
      type,
      time: Date.now(),
      url: `${collectorUrl}/demo/${type}`,
      ...extra,
    }),
  };
}
