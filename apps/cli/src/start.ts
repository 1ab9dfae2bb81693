// `npm start`: one command brings up the collector and the dashboard on an embedded libSQL file,
// with the demo site and demo data loaded on the first run. Ctrl-C stops both.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { COLLECTOR_NODE_FLAGS } from "@leadtrail/collector";
import { countUsers, createDb, listSites, migrate } from "@leadtrail/db";
import { seedDemo } from "./seed-demo.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const env = process.env;
const collectorPort = Number(env.COLLECTOR_PORT ?? 8787);
const dashboardPort = Number(env.DASHBOARD_PORT ?? 5173);
const databaseUrl = env.DATABASE_URL ?? `file:${resolve(root, "data/leadtrail.db")}`;

if (databaseUrl.startsWith("file:")) mkdirSync(dirname(databaseUrl.slice("file:".length)), { recursive: true });
const db = await createDb({ url: databaseUrl, authToken: env.DATABASE_AUTH_TOKEN });
await migrate(db.$client);
if ((await listSites(db)).length === 0 && env.LEADTRAIL_DEMO !== "0") {
  process.stdout.write("first run: loading demo data … ");
  const loaded = await seedDemo(db, { now: Date.now() });
  console.log(`${loaded.events} events from ${loaded.visitors} visitors over ${loaded.days} days`);
}
// A first run gets a demo admin so a newcomer can log in at once: the dashboard creates it from
// ADMIN_EMAIL/ADMIN_PASSWORD when no user exists (an automated install sets those itself).
let demoAdmin: { email: string; password: string } | undefined;
if ((await countUsers(db)) === 0 && !env.ADMIN_EMAIL) {
  demoAdmin = { email: "admin@leadtrail.local", password: randomBytes(9).toString("base64url") };
}
db.$client.close();

const childEnv = {
  ...env,
  DATABASE_URL: databaseUrl,
  COLLECTOR_URL: env.COLLECTOR_URL ?? `http://localhost:${collectorPort}`,
  // The collector's e-mails and Slack messages link to leads here.
  DASHBOARD_URL: env.DASHBOARD_URL ?? env.ORIGIN ?? `http://localhost:${dashboardPort}`,
  ...(demoAdmin ? { ADMIN_EMAIL: demoAdmin.email, ADMIN_PASSWORD: demoAdmin.password } : {}),
};
const children: ChildProcess[] = [
  spawn(process.execPath, [...COLLECTOR_NODE_FLAGS, resolve(root, "apps/collector/dist/server.js")], {
    env: { ...childEnv, COLLECTOR_PORT: String(collectorPort) },
    stdio: ["ignore", "inherit", "inherit"],
  }),
  spawn(process.execPath, [resolve(root, "apps/dashboard/build/index.js")], {
    env: {
      ...childEnv,
      PORT: String(dashboardPort),
      ORIGIN: env.ORIGIN ?? `http://localhost:${dashboardPort}`,
      // adapter-node refuses bodies over 512 KB by default; a CSV import may be up to 20 MB.
      BODY_SIZE_LIMIT: env.BODY_SIZE_LIMIT ?? "21M",
    },
    stdio: ["ignore", "ignore", "inherit"],
  }),
];

let stopping = false;
function stopAll(code: number) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once("exit", r)) : null))).then(() =>
    process.exit(code),
  );
}
for (const child of children) {
  child.once("exit", (code) => {
    if (!stopping) {
      console.error(`a leadtrail process exited (code ${code}); stopping`);
      stopAll(code || 1);
    }
  });
}
process.on("SIGINT", () => stopAll(0));
process.on("SIGTERM", () => stopAll(0));

await Promise.all([
  waitFor(`http://localhost:${collectorPort}/healthz`),
  waitFor(`http://localhost:${dashboardPort}/`),
]);
console.log(`
leadtrail is running
  dashboard   http://localhost:${dashboardPort}
  collector   http://localhost:${collectorPort}
  demo site   http://localhost:${collectorPort}/demo/
${
  demoAdmin
    ? `  log in as   ${demoAdmin.email} / ${demoAdmin.password}   (shown once: note it, or add users in Settings)`
    : "  log in with the admin account created on the first run"
}
Press Ctrl-C to stop.`);

async function waitFor(url: string, timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until && !stopping) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  if (!stopping) throw new Error(`${url} did not come up within ${timeoutMs} ms`);
}
