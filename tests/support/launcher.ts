import { type ChildProcess, spawn } from "node:child_process";
import { freePort, repoRoot } from "./processes.ts";

/** `npm start` without the build step: apps/cli/src/start.ts as a child process. */
export interface RunningLauncher {
  child: ChildProcess;
  dashboardUrl: string;
  collectorUrl: string;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Waits until the output matches, and returns the match. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
}

/**
 * Starts the launcher on free ports and the given database (the collector and the dashboard must
 * be built). The caller stops it (SIGTERM) and waits for `exited`.
 */
export async function startLauncher(databaseUrl: string, env: Record<string, string> = {}): Promise<RunningLauncher> {
  const [collectorPort, dashboardPort] = [await freePort(), await freePort()];
  const child = spawn(process.execPath, ["--import", "tsx", "apps/cli/src/start.ts"], {
    cwd: repoRoot,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      COLLECTOR_PORT: String(collectorPort),
      DASHBOARD_PORT: String(dashboardPort),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (d) => {
    output += d;
  });
  child.stderr?.on("data", (d) => {
    output += d;
  });
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  return {
    child,
    dashboardUrl: `http://localhost:${dashboardPort}`,
    collectorUrl: `http://localhost:${collectorPort}`,
    output: () => output,
    exited,
    async waitForOutput(pattern, timeoutMs = 180_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const match = output.match(pattern);
        if (match) return match;
        if (child.exitCode !== null) throw new Error(`launcher exited (${child.exitCode}):\n${output}`);
        if (Date.now() > until) throw new Error(`no ${pattern} in the launcher's output:\n${output}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}

/** True while a process with this pid exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
