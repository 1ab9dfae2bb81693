import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { COLLECTOR_NODE_FLAGS } from "@leadtrail/collector";

export const repoRoot = resolve(import.meta.dirname, "../..");

/** A free TCP port on localhost. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** A database URL in a fresh temporary folder, and a function that deletes it. */
export function tempDatabase(): { url: string; path: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), "leadtrail-e2e-"));
  const path = join(dir, "e2e.db");
  return { url: `file:${path}`, path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface RunningProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  /** SIGTERM (graceful) by default; resolves when the process has exited. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

async function startProcess(args: string[], env: Record<string, string>, url: string, ready: string) {
  const child = spawn(process.execPath, args, { cwd: repoRoot, env: { ...process.env, ...env }, stdio: "pipe" });
  let output = "";
  child.stdout?.on("data", (d) => {
    output += d;
  });
  child.stderr?.on("data", (d) => {
    output += d;
  });
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const until = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`process exited early (${child.exitCode}):\n${output}`);
    try {
      if ((await fetch(url + ready)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) {
      child.kill("SIGKILL");
      throw new Error(`process did not become ready at ${url}${ready}:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    child,
    output: () => output,
    async stop(signal: NodeJS.Signals = "SIGTERM") {
      if (child.exitCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** Starts the built collector (apps/collector/dist/server.js; turbo builds it before the tests) on a free port. */
export async function startCollector(databaseUrl: string, env: Record<string, string> = {}): Promise<RunningProcess> {
  const port = env.COLLECTOR_PORT ? Number(env.COLLECTOR_PORT) : await freePort();
  return startProcess(
    [...COLLECTOR_NODE_FLAGS, resolve(repoRoot, "apps/collector/dist/server.js")],
    { DATABASE_URL: databaseUrl, COLLECTOR_PORT: String(port), COLLECTOR_HOST: "127.0.0.1", ...env },
    `http://127.0.0.1:${port}`,
    "/healthz",
  );
}

/** Starts the built dashboard (adapter-node output) as its own process on a free port. */
export async function startDashboard(databaseUrl: string, env: Record<string, string> = {}): Promise<RunningProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  return startProcess(
    [resolve(repoRoot, "apps/dashboard/build/index.js")],
    { DATABASE_URL: databaseUrl, PORT: String(port), HOST: "127.0.0.1", ORIGIN: url, ...env },
    url,
    "/",
  );
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
