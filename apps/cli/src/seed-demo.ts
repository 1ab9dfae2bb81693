import { createCollector, DEMO_LINKS } from "@leadtrail/collector";
import { createLink, createSite, type Database } from "@leadtrail/db";
import { generateDemo } from "@leadtrail/demo";
import { seedCampaigns } from "./seed-campaigns.ts";
import { seedNurture } from "./seed-nurture.ts";
import { type DemoSalesItem, replaySalesActions, seedSalesTeam } from "./seed-sales.ts";

const DAY = 86_400_000;

export interface SeedOptions {
  /** End of the generated history (the demo's "today"). */
  now: number;
  days?: number;
  visitorsPerDay?: number;
  siteKey?: string;
  /** Where the demo pages live; events carry this origin, and the site allows its host. */
  origin?: string;
  seed?: number;
  /** Requests sent to the app at once; group commit writes them together. */
  concurrency?: number;
}

export interface SeedResult {
  siteId: number;
  days: number;
  visitors: number;
  events: number;
  requests: number;
}

/**
 * Creates the demo site with its tracked links and replays generated traffic through the real
 * collector app (validation, enrichment, group commit, scoring, rollups), each request with its
 * historical receive time. Used by `npm start` on first run and by the benchmarks.
 */
export async function seedDemo(db: Database, options: SeedOptions): Promise<SeedResult> {
  const {
    now,
    days = 60,
    visitorsPerDay = 40,
    siteKey = "demo",
    origin = "http://localhost:8787",
    seed = 1,
    concurrency = 256,
  } = options;
  const site = await createSite(db, {
    publicKey: siteKey,
    name: "Acme Analytics (demo)",
    // The demo company is German: its days (rollups, goals, caps) are Berlin days.
    timeZone: "Europe/Berlin",
    domains: ["localhost", "127.0.0.1", new URL(origin).hostname],
  });
  for (const link of DEMO_LINKS) {
    await createLink(db, { siteId: site.id, code: link.code, kind: link.kind, target: link.targetPath, utm: link.utm });
  }
  await seedCampaigns(db, site.id, now, days);
  const reps = await seedSalesTeam(db, site.id, now);

  const receivedAt = new WeakMap<Request, number>();
  const { app, writer } = createCollector({
    db,
    trackerScript: "",
    demoSiteKey: siteKey,
    visitorHashSecret: "demo",
    clientIp: (c) => c.req.header("x-forwarded-for") ?? "0.0.0.0",
    country: (c) => c.req.header("x-demo-country"),
    now: (c) => receivedAt.get(c.req.raw) ?? Date.now(),
    // History is replayed as fast as the database takes it: no person is pumping anything here.
    rateLimits: { visitor: false, ip: false },
  });

  const visitors = new Set<string>();
  const sales: DemoSalesItem[] = [];
  let events = 0;
  let requests = 0;
  let inFlight: Promise<void>[] = [];
  const start = now - days * DAY;
  for (const item of generateDemo({ seed, siteKey, origin, start, days, visitorsPerDay })) {
    if (item.at > now) break;
    if (item.kind === "sales") {
      sales.push(item); // replayed once the traffic is stored (the leads must exist)
      continue;
    }
    const headers: Record<string, string> = { "user-agent": item.userAgent, "x-forwarded-for": item.ip };
    let request: Request;
    if (item.kind === "request") {
      if (item.country) headers["x-demo-country"] = item.country;
      request = new Request(`${origin}/e`, {
        method: "POST",
        body: JSON.stringify(item.batch),
        headers: { ...headers, "content-type": "text/plain", origin },
      });
      events += item.batch.events.length;
      if (item.batch.visitor) visitors.add(item.batch.visitor);
    } else {
      // QR scans and tracked links go through the real redirect, which records them for the visitor.
      request = new Request(`${origin}/r/${encodeURIComponent(item.code)}?v=${encodeURIComponent(item.visitor)}`, {
        headers,
      });
      events++;
    }
    receivedAt.set(request, item.at);
    inFlight.push(
      Promise.resolve(app.request(request)).then(async (response) => {
        if (!response.ok && response.status !== 302) {
          throw new Error(`demo request rejected: ${response.status} ${await response.text()}`);
        }
      }),
    );
    requests++;
    if (inFlight.length >= concurrency) {
      await Promise.all(inFlight);
      inFlight = [];
    }
  }
  await Promise.all(inFlight);
  await writer.drain();
  await replaySalesActions(db, site.id, sales, reps[0]);
  await seedNurture(db, site.id, now);
  return { siteId: site.id, days, visitors: visitors.size, events, requests };
}
