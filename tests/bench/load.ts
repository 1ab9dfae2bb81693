// Shared by the ingest benchmarks (ingest.ts, edge.ts): servers pinned to a core, the workload of
// tracker-style requests, and autocannon runs printed as one line each.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import autocannon from "autocannon";
import { repoRoot } from "../support/processes.ts";

export const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
export const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 128);
export const UA =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const VISITORS = Number(process.env.BENCH_VISITORS ?? 5000);

/** Re-runs the calling script on core 1 (Linux), so the load generator never competes with core 0. */
export function pinSelfToCore1(): void {
  if (process.env.BENCH_PINNED || process.platform !== "linux") return;
  const self = spawnSync("taskset", ["-c", "1", process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: "inherit",
    env: { ...process.env, BENCH_PINNED: "1" },
  });
  process.exit(self.status ?? 1);
}

export interface Server {
  child: ChildProcess;
  url: string;
  output(): string;
}

/** Starts `command args` on `core` (taskset) and waits until `url + ready` answers below 500. */
export async function startPinned(
  args: string[],
  env: Record<string, string>,
  url: string,
  ready: string,
  { core = 0, command = process.execPath, cwd = repoRoot }: { core?: number; command?: string; cwd?: string } = {},
): Promise<Server> {
  const child = spawn("taskset", ["-c", String(core), command, ...args], {
    cwd,
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
  // A failed run must not leave servers behind on the pinned core.
  process.once("exit", () => child.kill("SIGKILL"));
  // A server that dies under load says why (its output is otherwise only shown when it never starts).
  child.once("exit", (code, signal) => {
    if (code !== 0 && signal !== "SIGTERM") console.error(`server exited (${code ?? signal}):\n${output}`);
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
  return { child, url, output: () => output };
}

/**
 * CPU seconds (user + system) a process has used so far, from /proc (Linux); undefined elsewhere.
 * Figures per request from it hold up better than req/s on a shared machine, where a run's
 * throughput depends on what else gets the cores.
 */
export function cpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined || process.platform !== "linux") return undefined;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 1/100 s
  } catch {
    return undefined;
  }
}

/** Microseconds of CPU per unit between two `cpuSeconds` readings, as text ("?" when unknown). */
export function cpuPer(before: number | undefined, after: number | undefined, units: number): string {
  if (before === undefined || after === undefined || units <= 0) return "?";
  return (((after - before) / units) * 1e6).toFixed(0);
}

export function stop(server: Server): Promise<void> {
  return new Promise((r) => {
    if (server.child.exitCode !== null) return r();
    server.child.once("exit", () => r());
    server.child.kill("SIGTERM");
  });
}

/** A tracker-style id: 128 random bits as decimal digits (packages/tracker's randomId). */
const randomId = () => crypto.getRandomValues(new Uint32Array(4)).join("");

const visitorIds = Array.from({ length: VISITORS }, randomId);
const visitorEvents = new Uint32Array(VISITORS);
const PAGES = Array.from({ length: 40 }, (_, i) => (i === 0 ? "/" : `/content/${i}`));
const REFERRERS = ["https://www.google.com/", "https://www.linkedin.com/", "https://news.example/", undefined];

/** The next request body of the workload (see the top of ingest.ts). */
export function nextBody(origin: string, n: number): string {
  const v = (n * 7919) % VISITORS; // a stride through the pool: neighbours are different visitors
  const seq = visitorEvents[v] ?? 0;
  visitorEvents[v] = seq + 1;
  const now = Date.now();
  const base = { id: randomId(), time: now, title: "Leadtrail bench page" };
  let event: Record<string, unknown>;
  if (seq % 8 === 7) {
    const kind = (n >> 3) % 3;
    event =
      kind === 0
        ? { ...base, type: "click", name: "product_image", url: `${origin}/product` }
        : kind === 1
          ? { ...base, type: "download", name: "whitepaper", url: `${origin}/assets/whitepaper.pdf` }
          : { ...base, type: "engagement", url: `${origin}/content/${seq % 40}`, engagedMs: 12_000, scroll: 0.6 };
  } else {
    const path = n % 12 === 0 ? "/pricing" : n % 40 === 1 ? "/careers/engineer" : (PAGES[(n + seq) % 40] as string);
    event = { ...base, type: "pageview", url: `${origin}${path}` };
    if (seq === 0) {
      const referrer = REFERRERS[v % REFERRERS.length];
      if (referrer) event.referrer = referrer;
      if (v % 5 === 0) event.campaign = { utm_source: "newsletter", utm_medium: "email", utm_campaign: "spring" };
    }
  }
  return JSON.stringify({ site: "bench", visitor: visitorIds[v], sentAt: now, events: [event] });
}

let requestCount = 0;
/** `CONNECTIONS` clients posting the workload to `url/e` for `duration` seconds, as pages of `origin`. */
export function load(url: string, origin: string, duration = DURATION_S): Promise<autocannon.Result> {
  return autocannon({
    url: `${url}/e`,
    connections: CONNECTIONS,
    duration,
    requests: [
      {
        method: "POST",
        headers: { "content-type": "text/plain", origin, "user-agent": UA },
        setupRequest(req) {
          return { ...req, body: nextBody(origin, requestCount++) };
        },
      },
    ],
  });
}

/** Prints one run as a line and returns its 2xx answers per second. */
export function line(name: string, r: autocannon.Result, extra = ""): number {
  const rate = r["2xx"] / DURATION_S;
  console.log(
    `${name.padEnd(22)} ${rate.toFixed(0).padStart(7)} req/s (2xx)   p50 ${String(r.latency.p50).padStart(3)} ms   p99 ${String(r.latency.p99).padStart(4)} ms   non-2xx ${r.non2xx}  errors ${r.errors}${extra}`,
  );
  return rate;
}
