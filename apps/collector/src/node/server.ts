// Node entry point: the only file in the collector that may use node: modules.
import { serve } from "@hono/node-server";
import { getConnInfo } from "@hono/node-server/conninfo";
import { createDb, migrate } from "@leadtrail/db";
import { trackerScript } from "@leadtrail/tracker/script";
import type { Context } from "hono";
import { createCollector } from "../collector.ts";
import { loadConfig } from "../config.ts";

const config = loadConfig(process.env);
const db = await createDb({ url: config.DATABASE_URL, authToken: config.DATABASE_AUTH_TOKEN });
await migrate(db.$client);

const trustProxy = config.TRUST_PROXY === "1" || config.TRUST_PROXY === "true";
function clientIp(c: Context): string {
  if (trustProxy) {
    const forwarded = c.req.header("x-forwarded-for")?.split(",")[0]?.trim();
    if (forwarded) return forwarded;
  }
  return getConnInfo(c).remote.address ?? "unknown";
}

const { app, writer } = createCollector({
  db,
  trackerScript,
  demoSiteKey: config.DEMO_SITE_KEY,
  visitorHashSecret: config.VISITOR_HASH_SECRET,
  clientIp,
});

const server = serve({ fetch: app.fetch, port: config.COLLECTOR_PORT, hostname: config.COLLECTOR_HOST }, (info) => {
  console.log(`collector listening on http://localhost:${info.port}`);
});

// Stop taking requests, then commit everything already accepted before exiting.
let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  server.close();
  await writer.drain();
  db.$client.close();
  console.log(`collector stopped (${signal})`);
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
