// The edge worker in the real workerd binary (npm package `workerd`) in front of a built origin
// collector: a temporary folder with the bundled worker and a generated capnp config.
import { type ChildProcess, spawn } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { workerdConfig } from "@leadtrail/collector";
import { createDb, createSite, type Database, migrate, type Site } from "@leadtrail/db";
import { freePort, type RunningProcess, repoRoot, startCollector, tempDatabase } from "./processes.ts";

/** The workerd binary the npm package ships (its `default` export is the binary's path). */
export const workerdBinary = (createRequire(import.meta.url)("workerd") as { default: string }).default;

/** The secret the tests' origin and edge share (32+ characters, as both sides require). */
export const EDGE_SECRET = "test-edge-secret-0123456789abcdef0123";

export interface RunningEdge {
  url: string;
  child: ChildProcess;
  output(): string;
  /** Stops workerd and deletes its folder. */
  stop(): Promise<void>;
}

/**
 * Starts workerd on a free port with the built worker (apps/collector/dist/edge/worker.js), its
 * requests going to `originUrl`. `vars` add or replace text bindings (src/edge/env.ts).
 */
export async function startEdge(originUrl: string, vars: Record<string, string> = {}): Promise<RunningEdge> {
  const dir = mkdtempSync(join(tmpdir(), "leadtrail-edge-"));
  copyFileSync(resolve(repoRoot, "apps/collector/dist/edge/worker.js"), join(dir, "worker.js"));
  const port = await freePort();
  const config = workerdConfig({
    workerFile: "worker.js",
    address: `127.0.0.1:${port}`,
    // The tests' clients all come from 127.0.0.1: the IP limit would only measure the test.
    vars: { ORIGIN_URL: originUrl, EDGE_SECRET, CLIENT_IP_HEADER: "x-test-ip", RATE_LIMIT_IP: "off", ...vars },
  });
  writeFileSync(join(dir, "config.capnp"), config);
  const child = spawn(workerdBinary, ["serve", join(dir, "config.capnp")], { cwd: dir, stdio: "pipe" });
  let output = "";
  child.stdout?.on("data", (d) => {
    output += d;
  });
  child.stderr?.on("data", (d) => {
    output += d;
  });
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`workerd exited early (${child.exitCode}):\n${output}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) {
      child.kill("SIGKILL");
      throw new Error(`workerd did not become ready at ${url}:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    child,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The origin's counters that show what came through the edge (GET /metrics). */
export interface OriginCounters {
  edgeBatches: number;
  edgeRequests: number;
  eventsAccepted: number;
  eventsDuplicate: number;
}

/** A built origin collector (with the edge secret) and workerd in front of it, on one temp database. */
export interface EdgeStack {
  db: Database;
  origin: RunningProcess;
  edge: RunningEdge;
  originEnv: Record<string, string>;
  /** Starts the origin again on the same port and database (after a test killed it). */
  restartOrigin(): Promise<void>;
  /** Creates a site allowed on `domains` (default: 127.0.0.1, where the tests' pages live). */
  site(publicKey: string, domains?: string[]): Promise<Site>;
  counters(): Promise<OriginCounters>;
  /** Stored events of a site, oldest first. */
  events(siteId: number): Promise<StoredEvent[]>;
  stop(): Promise<void>;
}

export interface StoredEvent {
  clientId: string;
  visitorId: string;
  type: string;
  name: string | null;
  url: string | null;
  title: string | null;
  props: Record<string, unknown> | null;
  engagedMs: number | null;
}

/** Starts the origin (its own port, rate limits off) and the edge in front of it. */
export async function startEdgeStack(
  originEnv: Record<string, string> = {},
  edgeVars: Record<string, string> = {},
): Promise<EdgeStack> {
  const database = tempDatabase();
  const db = await createDb({ url: database.url });
  await migrate(db.$client);
  const env = {
    EDGE_SECRET,
    RATE_LIMIT_IP: "off",
    RATE_LIMIT_VISITOR: "off",
    COLLECTOR_JOBS: "0",
    COLLECTOR_PORT: String(await freePort()),
    ...originEnv,
  };
  const origin = await startCollector(database.url, env);
  const edge = await startEdge(origin.url, edgeVars);
  const stack: EdgeStack = {
    db,
    origin,
    edge,
    originEnv: env,
    async restartOrigin() {
      await stack.origin.stop();
      stack.origin = await startCollector(database.url, env);
    },
    site: (publicKey, domains = ["127.0.0.1"]) => createSite(db, { publicKey, name: publicKey, domains }),
    async counters() {
      return (await (await fetch(`${stack.origin.url}/metrics`)).json()) as OriginCounters;
    },
    async events(siteId) {
      const rows = await db.$client.execute({
        sql: `SELECT client_id, visitor_id, type, name, url, title, props, engaged_ms
              FROM events WHERE site_id = ? ORDER BY id`,
        args: [siteId],
      });
      return rows.rows.map((r) => ({
        clientId: String(r.client_id),
        visitorId: String(r.visitor_id),
        type: String(r.type),
        name: r.name === null ? null : String(r.name),
        url: r.url === null ? null : String(r.url),
        title: r.title === null ? null : String(r.title),
        props: r.props === null ? null : (JSON.parse(String(r.props)) as Record<string, unknown>),
        engagedMs: r.engaged_ms === null ? null : Number(r.engaged_ms),
      }));
    },
    async stop() {
      await edge.stop();
      await stack.origin.stop();
      db.$client.close();
      database.remove();
    },
  };
  return stack;
}
