// `npm run start:edge`: everything `npm start` runs (the origin collector and the dashboard on the
// embedded libSQL file), plus the edge worker in workerd on http://localhost:8788 in front of the
// origin. The demo site is served through the edge too, so its tracker records via the edge.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { workerdConfig } from "@leadtrail/collector";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const env = process.env;
const collectorPort = Number(env.COLLECTOR_PORT ?? 8787);
const dashboardPort = Number(env.DASHBOARD_PORT ?? 5173);
const edgePort = Number(env.EDGE_PORT ?? 8788);
// One secret for both sides; a fresh one per run unless the operator sets it.
const edgeSecret = env.EDGE_SECRET ?? randomBytes(32).toString("base64url");
const originUrl = `http://127.0.0.1:${collectorPort}`;
const workerd = (createRequire(import.meta.url)("workerd") as { default: string }).default;

// The worker and its config live beside the database (data/ is not committed).
const edgeDir = resolve(root, "data/edge");
mkdirSync(edgeDir, { recursive: true });
copyFileSync(resolve(root, "apps/collector/dist/edge/worker.js"), resolve(edgeDir, "worker.js"));
writeFileSync(
  resolve(edgeDir, "config.capnp"),
  workerdConfig({
    workerFile: "worker.js",
    address: `*:${edgePort}`,
    vars: { ORIGIN_URL: originUrl, EDGE_SECRET: edgeSecret },
  }),
);

const children: ChildProcess[] = [
  spawn(process.execPath, ["--import", "tsx", resolve(root, "apps/cli/src/start.ts")], {
    env: { ...env, EDGE_SECRET: edgeSecret, COLLECTOR_PORT: String(collectorPort) },
    stdio: ["ignore", "inherit", "inherit"],
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
function watch(child: ChildProcess, name: string) {
  child.once("exit", (code) => {
    if (!stopping) {
      console.error(`${name} exited (code ${code}); stopping`);
      stopAll(code || 1);
    }
  });
}
watch(children[0] as ChildProcess, "the origin (npm start)");
process.on("SIGINT", () => stopAll(0));
process.on("SIGTERM", () => stopAll(0));

await waitFor(`${originUrl}/healthz`, 120_000);
const edge = spawn(workerd, ["serve", resolve(edgeDir, "config.capnp")], {
  cwd: edgeDir,
  stdio: ["ignore", "inherit", "inherit"],
});
children.push(edge);
watch(edge, "workerd");
await waitFor(`http://127.0.0.1:${edgePort}/healthz`, 30_000);
// After npm start's own banner (printed once the dashboard answers), so this one comes last.
await waitFor(`http://127.0.0.1:${dashboardPort}/`, 120_000);
await new Promise((r) => setTimeout(r, 200));
console.log(`
the edge is running (workerd, ${edgeDir}/config.capnp)
  edge        http://localhost:${edgePort}   (t.js, POST /e, p.gif; /r/… and /demo/… proxied)
  origin      http://localhost:${collectorPort}   (signed /internal/* from the edge)
  demo site   http://localhost:${edgePort}/demo/   (its tracker records through the edge)
  embed       <script defer src="http://localhost:${edgePort}/t.js" data-site="SITE_KEY"></script>`);

async function waitFor(url: string, timeoutMs: number) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until && !stopping) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  if (!stopping) {
    console.error(`${url} did not come up within ${timeoutMs} ms`);
    stopAll(1);
  }
}
