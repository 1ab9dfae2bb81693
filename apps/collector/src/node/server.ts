// Node entry point: the only file in the collector that may use node: modules.
import { serve } from "@hono/node-server";
import { getConnInfo } from "@hono/node-server/conninfo";
import { createDb, migrate } from "@leadtrail/db";
import type { Context } from "hono";
import { createCollector } from "../collector.ts";
import { loadConfig } from "../config.ts";
import { loadJobsConfig, startJobs } from "../jobs/index.ts";
import { smtpTransport } from "./mailer.ts";

const config = loadConfig(process.env);
const trackerScript = await loadTrackerScript();
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

const countryHeader = config.COUNTRY_HEADER;
function country(c: Context): string | undefined {
  const value = countryHeader ? c.req.header(countryHeader)?.trim().toUpperCase() : undefined;
  // Edges send "XX"/"T1" for unknown or Tor; only real two-letter codes are kept.
  return value && /^[A-Z]{2}$/.test(value) && value !== "XX" && value !== "T1" ? value : undefined;
}

const { app, writer } = createCollector({
  db,
  trackerScript,
  demoSiteKey: config.DEMO_SITE_KEY,
  visitorHashSecret: config.VISITOR_HASH_SECRET,
  clientIp,
  country,
  edgeSecret: config.EDGE_SECRET,
  rateLimits: { visitor: config.RATE_LIMIT_VISITOR, ip: config.RATE_LIMIT_IP },
  groupCommit: {
    maxQueue: config.INGEST_QUEUE_MAX,
    maxQueueBytes: config.INGEST_QUEUE_MAX_BYTES,
    maxWaitMs: config.GROUP_COMMIT_WAIT_MS,
  },
});

// SLA re-routing, webhook and e-mail delivery run beside the HTTP server in this process.
const jobsConfig = loadJobsConfig(process.env);
const jobs = startJobs(db, jobsConfig, Date.now, jobsConfig.SMTP_URL ? smtpTransport(jobsConfig.SMTP_URL) : null);

const server = serve({ fetch: app.fetch, port: config.COLLECTOR_PORT, hostname: config.COLLECTOR_HOST }, (info) => {
  console.log(`collector listening on http://localhost:${info.port}`);
});

// Stop taking requests, then commit everything already accepted before exiting: every request
// that was queued gets its answer (after its commit) before the process goes.
let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  await writer.drain();
  await jobs.stop();
  // Give in-flight responses a moment to be written, then stop idle keep-alive connections.
  await Promise.race([closed, new Promise((r) => setTimeout(r, 2000))]);
  db.$client.close();
  console.log(`collector stopped (${signal})`);
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));

/**
 * The built tracker (packages/tracker builds it into dist/ and exports it as
 * `@leadtrail/tracker/script`). Loaded by a computed specifier so that a checkout whose tracker is
 * not built (or not exported) yet still runs the ingest API, with an empty /t.js and a warning.
 */
async function loadTrackerScript(): Promise<string> {
  const specifier = "@leadtrail/tracker/script";
  try {
    return ((await import(specifier)) as { trackerScript: string }).trackerScript;
  } catch (error) {
    console.warn(`tracker script not available (${(error as Error).message}); /t.js serves an empty script`);
    return "";
  }
}
