// `npm start`: one command brings up the collector and the dashboard on an embedded libSQL file,
// with the demo site and demo data loaded on the first run, and keeps both running (supervise.ts).
// The banner shows, once, how to log in: the first admin's e-mail and password, and invitation
// links for the demo reps. Ctrl-C stops both.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { COLLECTOR_NODE_FLAGS } from "@leadtrail/collector";
import { countAdmins, createDb, findUserForLogin, listSites, listUsersWithoutPassword, migrate } from "@leadtrail/db";
import { issueInvitation, MIN_PASSWORD_LENGTH, passwordProblem } from "@leadtrail/workflows";
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
const invitations: { email: string; url: string }[] = [];
if ((await listSites(db)).length === 0 && env.LEADTRAIL_DEMO !== "0") {
  process.stdout.write("first run: loading demo data … ");
  const now = Date.now();
  const loaded = await seedDemo(db, { now });
  console.log(`${loaded.events} events from ${loaded.visitors} visitors over ${loaded.days} days`);
  // The demo reps choose their own passwords through one-time links, shown once in the banner.
  for (const user of await listUsersWithoutPassword(db)) {
    const link = await issueInvitation(db, { userId: user.id, purpose: "invite", createdBy: null, now });
    invitations.push({ email: user.email, url: new URL(link.path, dashboardOrigin).href });
  }
}
// Until an admin exists (a fresh install, or one with only the demo's reps), the dashboard creates
// one at its start from ADMIN_EMAIL / ADMIN_PASSWORD: given ones are checked here first (a bad
// one would only crash the dashboard again and again), missing ones are made up and shown once.
const firstAdmin = (await countAdmins(db)) === 0 ? chooseFirstAdmin() : undefined;
if (firstAdmin && (await findUserForLogin(db, firstAdmin.email))) {
  console.error(
    `ADMIN_EMAIL ${firstAdmin.email} already belongs to a user who is not an admin: choose another address`,
  );
  process.exit(1);
}
const childEnv = {
  ...env,
  DATABASE_URL: databaseUrl,
  COLLECTOR_URL: env.COLLECTOR_URL ?? `http://localhost:${collectorPort}`,
  // The collector's e-mails and Slack messages link to leads here.
  DASHBOARD_URL: env.DASHBOARD_URL ?? dashboardOrigin,
  ...(firstAdmin ? { ADMIN_EMAIL: firstAdmin.email, ADMIN_PASSWORD: firstAdmin.password } : {}),
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
        env: {
          ...childEnv,
          PORT: String(dashboardPort),
          ORIGIN: dashboardOrigin,
          // adapter-node refuses bodies over 512 KB by default; a CSV import may be up to 20 MB.
          BODY_SIZE_LIMIT: env.BODY_SIZE_LIMIT ?? "21M",
        },
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
const adminReady = (await countAdmins(db)) > 0;
db.$client.close();
// Stopped while still coming up (Ctrl-C during the first start): no banner with secrets in it.
if (!stopping) console.log(banner());

function chooseFirstAdmin(): { email: string; password: string; generated: boolean } {
  const email = env.ADMIN_EMAIL?.trim() || "admin@leadtrail.local";
  const given = env.ADMIN_PASSWORD;
  const problem = given === undefined ? null : passwordProblem(given);
  if (!/^[^\s@]{1,64}@[^\s@]{1,190}$/.test(email) || problem) {
    console.error(
      problem
        ? `ADMIN_PASSWORD is not acceptable (${problem.replace("_", " ")}): use at least ${MIN_PASSWORD_LENGTH} characters, not only spaces`
        : `ADMIN_EMAIL is not an e-mail address: ${JSON.stringify(email)}`,
    );
    process.exit(1);
  }
  return given === undefined
    ? { email, password: randomBytes(15).toString("base64url"), generated: true }
    : { email, password: given, generated: false };
}

function banner(): string {
  const lines = [
    "",
    "leadtrail is running",
    `  dashboard   ${dashboardOrigin}`,
    `  collector   http://localhost:${collectorPort}`,
    `  demo site   http://localhost:${collectorPort}/demo/`,
  ];
  if (firstAdmin && adminReady) {
    const password = firstAdmin.generated ? firstAdmin.password : "(the ADMIN_PASSWORD you set)";
    lines.push(`  log in as   ${firstAdmin.email} / ${password}`);
    if (firstAdmin.generated) lines.push("              (shown only now: note it down; add users in Settings → Users)");
  } else if (firstAdmin) {
    lines.push("  no admin could be created: see the dashboard's messages above");
  } else {
    lines.push("  log in with your account (admins add users in Settings → Users)");
  }
  if (invitations.length > 0) {
    lines.push("  demo reps   one-time links to choose a password (valid 7 days, shown only now):");
    for (const { email, url } of invitations) lines.push(`              ${email.padEnd(30)} ${url}`);
  }
  lines.push("Press Ctrl-C to stop.");
  return lines.join("\n");
}

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
