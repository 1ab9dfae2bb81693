// `npm run bench:ingest`: the collector's committed events per second and latency on one core,
// next to a bare Hono POST handler measured in the same run, the collector's peak RSS, and the
// time from an event's arrival to its score being visible in the database.
//
// The server under test is pinned to core 0 (`taskset -c 0`), this process (the load generator,
// autocannon) to core 1. One event per request (the budget's unit), every request a fresh event.
//
// Workload (the same for both servers, so the bare handler parses the same bodies): a pool of
// VISITORS returning visitors, each with tracker-style random ids, walks a small B2B site — page
// views on 40 content pages (about 1 in 12 on the pricing page, 1 in 40 on the careers pages: rules
// that score), and every 8th event an interaction: a product-image click, a whitepaper download
// or engagement time (the first two score). A visitor's first request carries a referrer or UTM
// campaign for the first touch. Consecutive requests come from different visitors, as from many
// browsers at once, and each visitor sends ~10–20 events over a run.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { COLLECTOR_NODE_FLAGS } from "@leadtrail/collector";
import { createDb, createSite, migrate } from "@leadtrail/db";
import { freePort, repoRoot, tempDatabase } from "../support/processes.ts";
import { CONNECTIONS, DURATION_S, line, load, pinSelfToCore1, startPinned, stop, UA } from "./load.ts";

const VISITORS = Number(process.env.BENCH_VISITORS ?? 5000);

pinSelfToCore1();

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

const database = tempDatabase();
const db = await createDb({ url: database.url });
await migrate(db.$client);
// Berlin, like the demo site: the write path keys rollups by local days (the costlier path).
const site = await createSite(db, {
  publicKey: "bench",
  name: "Bench",
  domains: ["127.0.0.1"],
  timeZone: "Europe/Berlin",
});

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

// 2. The storage floor: the bare handler plus the group-committed insert of each event's row, nothing
// else (tests/bench/floor-server.ts). No collector can be faster than this on this stack; it shows
// how much of the gap to the bare handler any implementation has to pay.
const floorDatabase = tempDatabase();
const floorDb = await createDb({ url: floorDatabase.url });
await migrate(floorDb.$client);
const floorSite = await createSite(floorDb, { publicKey: "bench", name: "Bench", domains: ["127.0.0.1"] });
floorDb.$client.close();
const floorPort = await freePort();
const floor = await startPinned(
  ["--import", "tsx", resolve(repoRoot, "tests/bench/floor-server.ts")],
  { PORT: String(floorPort), DATABASE_URL: floorDatabase.url, SITE_ID: String(floorSite.id) },
  `http://127.0.0.1:${floorPort}`,
  "/e",
);
await load(floor.url, floor.url, 2); // warm-up
const floorResult = await load(floor.url, floor.url);
await stop(floor);
floorDatabase.remove();

// 3. The collector: validation, enrichment, group commit, scoring and rollups.
const port = await freePort();
const profileArgs = process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
const collector = await startPinned(
  [
    ...profileArgs,
    // BENCH_COLLECTOR_NODE_FLAGS replaces the production flags, to compare settings.
    ...(process.env.BENCH_COLLECTOR_NODE_FLAGS?.split(" ").filter(Boolean) ?? COLLECTOR_NODE_FLAGS),
    resolve(repoRoot, "apps/collector/dist/server.js"),
  ],
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
const commitsOf = async () => ((await (await fetch(`${collector.url}/metrics`)).json()) as { commits: number }).commits;
const before = Number((await db.$client.execute("SELECT count(*) AS n FROM events")).rows[0]?.n);
const commitsBefore = await commitsOf();
const collectorResult = await load(collector.url, collector.url);
const after = Number((await db.$client.execute("SELECT count(*) AS n FROM events")).rows[0]?.n);
const eventsPerCommit = (after - before) / Math.max(1, (await commitsOf()) - commitsBefore);
const committedPerSecond = (after - before) / DURATION_S;

// 4. Event → score visible: probes (each a new visitor viewing the pricing page, a rule worth
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
console.log(
  `workload: ${VISITORS} returning visitors, page views on 40 pages + 1 in 8 interactions; ~1 in 8 events scores`,
);
const bareRate = line("bare Hono handler", bareResult);
const floorRate = line("floor (insert only)", floorResult);
console.log(
  `ratio floor / bare         ${((floorRate / bareRate) * 100).toFixed(1)} %   (the most any collector can reach here)`,
);
const collectorRate = line(
  "collector",
  collectorResult,
  `   committed ${committedPerSecond.toFixed(0)} events/s (${eventsPerCommit.toFixed(0)} per group commit)`,
);
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
