// `npm run bench:ingest`: the collector's committed events per second and latency on one core,
// next to a bare Hono POST handler measured in the same run, the collector's peak RSS, and the
// time from an event's arrival to its score being visible in the database.
//
// The server under test is pinned to core 0 (`taskset -c 0`), this process (the load generator,
// autocannon) to core 1. One event per request, every request with a fresh event id.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { createDb, createSite, migrate } from "@leadtrail/db";
import autocannon from "autocannon";
import { freePort, repoRoot, tempDatabase } from "../support/processes.ts";

const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 128);
const UA =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const VISITORS = 5000;

if (!process.env.BENCH_PINNED && process.platform === "linux") {
  // Re-run this script on core 1 so the load generator never competes with the server on core 0.
  const self = spawnSync("taskset", ["-c", "1", process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: "inherit",
    env: { ...process.env, BENCH_PINNED: "1" },
  });
  process.exit(self.status ?? 1);
}

interface Server {
  child: ChildProcess;
  url: string;
}

async function startPinned(args: string[], env: Record<string, string>, url: string, ready: string): Promise<Server> {
  const child = spawn("taskset", ["-c", "0", process.execPath, ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (d) => {
    output += d;
  });
  child.stderr?.on("data", (d) => {
    output += d;
  });
  const until = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`);
    try {
      const res = await fetch(url + ready, ready === "/e" ? { method: "POST", body: '{"events":[]}' } : {});
      if (res.status < 500) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`server not ready:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, url };
}

function stop(server: Server): Promise<void> {
  return new Promise((r) => {
    if (server.child.exitCode !== null) return r();
    server.child.once("exit", () => r());
    server.child.kill("SIGTERM");
  });
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

let run = 0;
function load(url: string, origin: string, duration = DURATION_S): Promise<autocannon.Result> {
  run++;
  let n = 0;
  return autocannon({
    url: `${url}/e`,
    connections: CONNECTIONS,
    duration,
    requests: [
      {
        method: "POST",
        headers: { "content-type": "text/plain", origin, "user-agent": UA },
        setupRequest(req) {
          n++;
          const id = `bench_${run}_${n}`;
          const visitor = `visitor_${String(n % VISITORS).padStart(6, "0")}`;
          const body = JSON.stringify({
            site: "bench",
            visitor,
            sentAt: Date.now(),
            events: [{ id, type: "pageview", time: Date.now(), url: `${origin}/p/${n % 50}`, title: "Page" }],
          });
          return { ...req, body };
        },
      },
    ],
  });
}

function line(name: string, r: autocannon.Result, extra = "") {
  const rate = r["2xx"] / DURATION_S;
  console.log(
    `${name.padEnd(22)} ${rate.toFixed(0).padStart(7)} req/s (2xx)   p50 ${String(r.latency.p50).padStart(3)} ms   p99 ${String(r.latency.p99).padStart(4)} ms   non-2xx ${r.non2xx}  errors ${r.errors}${extra}`,
  );
  return rate;
}

const database = tempDatabase();
const db = await createDb({ url: database.url });
await migrate(db.$client);
const site = await createSite(db, { publicKey: "bench", name: "Bench", domains: ["127.0.0.1"] });

// 1. The bare handler.
const barePort = await freePort();
const bare = await startPinned(
  ["--import", "tsx", resolve(repoRoot, "tests/bench/bare-server.ts")],
  { PORT: String(barePort) },
  `http://127.0.0.1:${barePort}`,
  "/e",
);
await load(bare.url, bare.url, 2); // warm-up
const bareResult = await load(bare.url, bare.url);
await stop(bare);

// 2. The collector: validation, enrichment, group commit, scoring and rollups.
const port = await freePort();
const collector = await startPinned(
  ["--import", "tsx", resolve(repoRoot, "apps/collector/src/node/server.ts")],
  {
    DATABASE_URL: database.url,
    COLLECTOR_PORT: String(port),
    COLLECTOR_HOST: "127.0.0.1",
    RATE_LIMIT_IP: "off",
    RATE_LIMIT_VISITOR: "off",
  },
  `http://127.0.0.1:${port}`,
  "/healthz",
);
await load(collector.url, collector.url, 2); // warm-up
const before = Number((await db.$client.execute("SELECT count(*) AS n FROM events")).rows[0]?.n);
const collectorResult = await load(collector.url, collector.url);
const after = Number((await db.$client.execute("SELECT count(*) AS n FROM events")).rows[0]?.n);
const committedPerSecond = (after - before) / DURATION_S;

// 3. Event → score visible: probes (each a new visitor viewing the pricing page, a rule worth
// points) sent while the collector is under full load; a second connection polls the ledger.
const probes: number[] = [];
const acks: number[] = [];
const background = load(collector.url, collector.url, 6);
await new Promise((r) => setTimeout(r, 1000));
const origin = collector.url;
for (let i = 0; i < 200; i++) {
  const visitor = `probe_${i}_${Date.now()}`;
  const start = performance.now();
  const response = fetch(`${origin}/e`, {
    method: "POST",
    headers: { "content-type": "text/plain", origin, "user-agent": UA },
    body: JSON.stringify({
      site: "bench",
      visitor,
      sentAt: Date.now(),
      events: [{ id: `probe_evt_${i}_${Date.now()}`, type: "pageview", time: Date.now(), url: `${origin}/pricing` }],
    }),
  }).then(() => acks.push(performance.now() - start));
  for (;;) {
    const seen = await db.$client.execute({
      sql: "SELECT 1 FROM score_ledger WHERE site_id = ? AND visitor_id = ? LIMIT 1",
      args: [site.id, visitor],
    });
    if (seen.rows.length > 0) break;
    if (performance.now() - start > 5000) throw new Error("probe never scored");
    await new Promise((r) => setTimeout(r, 1));
  }
  probes.push(performance.now() - start);
  await response;
  await new Promise((r) => setTimeout(r, 10));
}
await background;
const rss = peakRssMb(collector.child.pid as number);
await stop(collector);
db.$client.close();
database.remove();

const pct = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};

console.log(
  `\ningest benchmark — ${DURATION_S} s per run, ${CONNECTIONS} connections, 1 event per request, server on core 0`,
);
const bareRate = line("bare Hono handler", bareResult);
const collectorRate = line("collector", collectorResult, `   committed ${committedPerSecond.toFixed(0)} events/s`);
const ratio = collectorRate / bareRate;
console.log(
  `ratio collector / bare     ${(ratio * 100).toFixed(1)} %   (budget ≥ 75 %)  ${ratio >= 0.75 ? "OK" : "OVER BUDGET"}`,
);
console.log(
  `collector peak RSS         ${rss.toFixed(0)} MB     (budget ≤ 200 MB) ${rss <= 200 ? "OK" : "OVER BUDGET"}`,
);
console.log(
  `event → score visible      p50 ${pct(probes, 50).toFixed(1)} ms   p99 ${pct(probes, 99).toFixed(1)} ms (under full load; budget p99 ≤ 100 ms) ${pct(probes, 99) <= 100 ? "OK" : "OVER BUDGET"}`,
);
console.log(
  `  (acknowledgement of the same probes: p50 ${pct(acks, 50).toFixed(1)} ms, p99 ${pct(acks, 99).toFixed(1)} ms)`,
);
