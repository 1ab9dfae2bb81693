// `npm run bench:edge`: ingest through the edge — autocannon → workerd (the edge worker) → the
// site's ingest-buffer Durable Object → one signed POST /internal/ingest per coalesced batch → the
// origin collector pinned to core 0 — next to, in the same run: the storage floor and the direct
// collector on core 0 (as in bench:ingest), and a bare Hono handler in workerd.
//
// The origin gets core 0 to itself; workerd and the load generator share core 1 (two cores here).
// The bare workerd handler runs the same way, so it shows what core 1 can carry through workerd at
// all: where that is below the storage floor, the edge cannot reach the floor on this machine and
// is measured against the bare workerd handler instead.
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { COLLECTOR_NODE_FLAGS, workerdConfig } from "@leadtrail/collector";
import { createDb, createSite, migrate } from "@leadtrail/db";
import { build } from "esbuild";
import { EDGE_SECRET, workerdBinary } from "../support/edge.ts";
import { freePort, repoRoot, tempDatabase } from "../support/processes.ts";
import {
  CONNECTIONS,
  cpuPer,
  cpuSeconds,
  DURATION_S,
  line,
  load,
  pinSelfToCore1,
  type Server,
  startPinned,
  stop,
} from "./load.ts";

pinSelfToCore1();

const scratch = mkdtempSync(join(tmpdir(), "leadtrail-bench-edge-"));
process.once("exit", () => rmSync(scratch, { recursive: true, force: true }));

async function benchDatabase() {
  const database = tempDatabase();
  const db = await createDb({ url: database.url });
  await migrate(db.$client);
  const site = await createSite(db, { publicKey: "bench", name: "Bench", domains: ["127.0.0.1"] });
  return { database, db, site };
}

const eventCount = async (db: Awaited<ReturnType<typeof benchDatabase>>["db"]) =>
  Number((await db.$client.execute("SELECT count(*) AS n FROM events")).rows[0]?.n);

async function startOrigin(databaseUrl: string, env: Record<string, string> = {}): Promise<Server> {
  const port = await freePort();
  return startPinned(
    [...COLLECTOR_NODE_FLAGS, resolve(repoRoot, "apps/collector/dist/server.js")],
    {
      DATABASE_URL: databaseUrl,
      COLLECTOR_PORT: String(port),
      COLLECTOR_HOST: "127.0.0.1",
      RATE_LIMIT_IP: "off",
      RATE_LIMIT_VISITOR: "off",
      COLLECTOR_JOBS: "0",
      ...env,
    },
    `http://127.0.0.1:${port}`,
    "/healthz",
  );
}

/** workerd on core 1 serving `config` (written into the scratch folder beside the worker file). */
async function startWorkerd(name: string, config: (address: string) => string, ready: string): Promise<Server> {
  const port = await freePort();
  const file = join(scratch, `${name}.capnp`);
  writeFileSync(file, config(`127.0.0.1:${port}`));
  return startPinned(["serve", file], {}, `http://127.0.0.1:${port}`, ready, {
    core: 1,
    command: workerdBinary,
    cwd: scratch,
  });
}

// 1. The storage floor on core 0 (tests/bench/floor-server.ts).
const floorDb = await benchDatabase();
const floorPort = await freePort();
const floor = await startPinned(
  ["--import", "tsx", resolve(repoRoot, "tests/bench/floor-server.ts")],
  { PORT: String(floorPort), DATABASE_URL: floorDb.database.url, SITE_ID: String(floorDb.site.id) },
  `http://127.0.0.1:${floorPort}`,
  "/e",
);
await load(floor.url, floor.url, 2); // warm-up
const floorResult = await load(floor.url, floor.url);
await stop(floor);
floorDb.db.$client.close();
floorDb.database.remove();

// 2. The collector, direct, on core 0.
const directDb = await benchDatabase();
const direct = await startOrigin(directDb.database.url);
await load(direct.url, direct.url, 2);
const directBefore = await eventCount(directDb.db);
const directCpuBefore = cpuSeconds(direct.child.pid);
const directResult = await load(direct.url, direct.url);
const directCpu = cpuPer(directCpuBefore, cpuSeconds(direct.child.pid), directResult["2xx"]);
const directCommitted = ((await eventCount(directDb.db)) - directBefore) / DURATION_S;
await stop(direct);
directDb.db.$client.close();
directDb.database.remove();

// 3. A bare Hono handler in workerd on core 1.
await build({
  entryPoints: [resolve(repoRoot, "tests/bench/bare-worker.ts")],
  outfile: join(scratch, "bare-worker.js"),
  bundle: true,
  platform: "neutral",
  conditions: ["workerd", "worker", "browser"],
  mainFields: ["browser", "module", "main"],
  format: "esm",
  minify: true,
  logLevel: "warning",
});
const bare = await startWorkerd(
  "bare",
  (address) => `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "bare", worker = (modules = [ (name = "worker.js", esModule = embed "bare-worker.js") ], compatibilityDate = "2025-09-01")) ],
  sockets = [ (name = "http", address = "${address}", http = (), service = "bare") ],
);`,
  "/e",
);
await load(bare.url, bare.url, 2);
const bareCpuBefore = cpuSeconds(bare.child.pid);
const bareResult = await load(bare.url, bare.url);
const bareCpu = cpuPer(bareCpuBefore, cpuSeconds(bare.child.pid), bareResult["2xx"]);
await stop(bare);

// 4. Through the edge: workerd (core 1) → ingest buffer → origin (core 0).
const edgeDb = await benchDatabase();
const origin = await startOrigin(edgeDb.database.url, { EDGE_SECRET });
copyFileSync(resolve(repoRoot, "apps/collector/dist/edge/worker.js"), join(scratch, "worker.js"));
const edge = await startWorkerd(
  "edge",
  (address) =>
    workerdConfig({
      workerFile: "worker.js",
      address,
      vars: { ORIGIN_URL: origin.url, EDGE_SECRET, RATE_LIMIT_IP: "off" },
    }),
  "/healthz",
);
const edgeMetrics = async () =>
  (await (await fetch(`${origin.url}/metrics`)).json()) as {
    edgeBatches: number;
    edgeRequests: number;
    commits: number;
  };
// The tracker's pages are on 127.0.0.1 (the site's domain), whatever port the edge has.
await load(edge.url, origin.url, 2);
const edgeBefore = await eventCount(edgeDb.db);
const metricsBefore = await edgeMetrics();
const [workerdCpuBefore, originCpuBefore] = [cpuSeconds(edge.child.pid), cpuSeconds(origin.child.pid)];
const edgeResult = await load(edge.url, origin.url);
const [workerdCpuAfter, originCpuAfter] = [cpuSeconds(edge.child.pid), cpuSeconds(origin.child.pid)];
const edgeCommitted = ((await eventCount(edgeDb.db)) - edgeBefore) / DURATION_S;
const workerdCpu = cpuPer(workerdCpuBefore, workerdCpuAfter, edgeResult["2xx"]);
const originCpu = cpuPer(originCpuBefore, originCpuAfter, edgeCommitted * DURATION_S);
const metricsAfter = await edgeMetrics();
await stop(edge);
await stop(origin);
edgeDb.db.$client.close();
edgeDb.database.remove();

const batches = metricsAfter.edgeBatches - metricsBefore.edgeBatches;
const perBatch = (metricsAfter.edgeRequests - metricsBefore.edgeRequests) / Math.max(1, batches);
const perCommit =
  (metricsAfter.edgeRequests - metricsBefore.edgeRequests) / Math.max(1, metricsAfter.commits - metricsBefore.commits);

console.log(`\nedge ingest benchmark — ${DURATION_S} s per run, ${CONNECTIONS} connections, 1 event per request`);
console.log("origin / floor / direct collector on core 0; workerd and the load generator on core 1");
const floorRate = line("floor (insert only)", floorResult);
line("collector, direct", directResult, `   committed ${directCommitted.toFixed(0)} events/s`);
const bareRate = line("bare Hono in workerd", bareResult);
line(
  "through the edge",
  edgeResult,
  `   origin committed ${edgeCommitted.toFixed(0)} events/s; ${perBatch.toFixed(1)} browser requests per forwarded batch (${batches} batches, ${perCommit.toFixed(1)} per commit)`,
);
const reference = Math.min(floorRate, bareRate);
const referenceName = bareRate < floorRate ? "bare workerd handler (below the floor here)" : "storage floor";
const ratio = edgeCommitted / reference;
console.log(
  `edge / ${referenceName}   ${(ratio * 100).toFixed(1)} %   (target ≥ 80 %) ${ratio >= 0.8 ? "OK" : "BELOW TARGET"}`,
);
// Where the time goes: CPU per request in workerd (the edge against a bare handler: route, RPC hop
// to the ingest buffer, forwards) and per committed event at the origin (against the direct collector).
console.log(
  `CPU per request in workerd: edge ${workerdCpu} µs, bare handler ${bareCpu} µs; per committed event at the origin: through the edge ${originCpu} µs, direct ${directCpu} µs`,
);
if (reference !== floorRate) console.log(`edge / storage floor   ${((edgeCommitted / floorRate) * 100).toFixed(1)} %`);
console.log(`edge / direct collector   ${((edgeCommitted / directCommitted) * 100).toFixed(1)} % (committed events/s)`);
console.log(
  `client p99 through the edge ${edgeResult.latency.p99} ms   (target ≤ 100 ms) ${edgeResult.latency.p99 <= 100 ? "OK" : "OVER TARGET"}`,
);
