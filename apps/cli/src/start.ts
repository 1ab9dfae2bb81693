// `npm start`: one command brings up the collector and the dashboard on an embedded libSQL file,
// with the demo site and demo data loaded on the first run. Ctrl-C stops both.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { COLLECTOR_NODE_FLAGS } from "@leadtrail/collector";
import { countUsers, createDb, listSites, migrate } from "@leadtrail/db";
import { seedDemo } from "./seed-demo.ts";
import { supervise } from "./supervise.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const env = process.env;
const collectorPort = Number(env.COLLECTOR_PORT ?? 8787);
const dashboardPort = Number(env.DASHBOARD_PORT ?? 5173);
const dashboardOrigin = env.ORIGIN ?? `http://localhost:${dashboardPort}`;
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
  ...(demoAdmin ? { ADMIN_EMAIL: demoAdmin.email, ADMIN_PASSWORD: demoAdmin.password } : {}),
};
// Each child runs in its own process group (detached): Ctrl-C reaches only the launcher, which
// stops restarting and then stops both children in order, instead of racing their exits.
const supervisor = supervise([
  {
    name: "collector",
    start: () =>
      spawn(process.execPath, [...COLLECTOR_NODE_FLAGS, resolve(root, "apps/collector/dist/server.js")], {
        env: { ...childEnv, COLLECTOR_PORT: String(collectorPort) },
        stdio: ["ignore", "inherit", "inherit"],
        detached: true,
      }),
  },
  {
    name: "dashboard",
    start: () =>
      spawn(process.execPath, [resolve(root, "apps/dashboard/build/index.js")], {
        env: { ...childEnv, PORT: String(dashboardPort), ORIGIN: dashboardOrigin },
        stdio: ["ignore", "ignore", "inherit"],
        detached: true,
      }),
  },
]);

let stopping = false;
async function stopAll(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`leadtrail: ${signal}: stopping the collector and the dashboard …`);
  await supervisor.stop();
  process.exit(0);
}
process.on("SIGINT", () => void stopAll("SIGINT"));
process.on("SIGTERM", () => void stopAll("SIGTERM"));
process.on("SIGHUP", () => void stopAll("SIGHUP"));
// Should the launcher itself fail, its detached children must not outlive it.
process.on("exit", () => {
  for (const name of ["collector", "dashboard"]) supervisor.current(name)?.kill("SIGTERM");
});

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

async function waitFor(url: string, timeoutMs = 120_000) {
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
