// The launcher's supervisor: keeps each child process running on its own. A crash of one (the
// dashboard reading a bad row, an out-of-memory kill) restarts that one after a pause and never
// touches the other, so a broken page cannot stop tracking. Pauses double from `initialMs` up to
// `maxMs` while a process keeps crashing, and start again from `initialMs` once it has run for
// `stableMs`: a process that crashes at start does not spin a core, one that crashes once a day
// comes back at once.
import type { ChildProcess } from "node:child_process";

export interface BackoffOptions {
  /** Pause before the first restart. */
  initialMs: number;
  /** The longest pause. */
  maxMs: number;
  /** A process that ran this long before it exited counts as healthy: its pauses start over. */
  stableMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 30_000, stableMs: 60_000 };

/**
 * The pause before the next restart, given how many restarts in a row came before it without a
 * stable run, and how long the process ran this time. Returns the pause and the new streak.
 */
export function nextRestart(
  streak: number,
  ranMs: number,
  { initialMs, maxMs, stableMs }: BackoffOptions = DEFAULT_BACKOFF,
): { delayMs: number; streak: number } {
  const current = ranMs >= stableMs ? 0 : streak;
  return { delayMs: Math.min(maxMs, initialMs * 2 ** Math.min(current, 30)), streak: current + 1 };
}

export interface ChildSpec {
  /** How the logs name it ("collector", "dashboard"). */
  name: string;
  /** Spawns a fresh process. */
  start(): ChildProcess;
}

export interface SuperviseOptions {
  backoff?: BackoffOptions;
  /** Lines for the log (health lines on crash and restart). */
  log?: (line: string) => void;
  /** How long `stop()` waits after SIGTERM before it sends SIGKILL. */
  stopGraceMs?: number;
}

export interface Supervisor {
  /** The running process of each child by name (undefined while one waits for its restart). */
  current(name: string): ChildProcess | undefined;
  /** Restarts so far, by name. */
  restarts(name: string): number;
  /** Stops restarting, sends SIGTERM to every running child and resolves once all have exited. */
  stop(): Promise<void>;
}

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `signal ${signal}` : `code ${code}`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Starts every child and restarts each one that exits until `stop()` is called. */
export function supervise(specs: readonly ChildSpec[], options: SuperviseOptions = {}): Supervisor {
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const log = options.log ?? ((line: string) => console.error(line));
  const grace = options.stopGraceMs ?? 15_000;
  let stopping = false;
  const state = new Map(
    specs.map((spec) => [
      spec.name,
      {
        spec,
        child: undefined as ChildProcess | undefined,
        streak: 0,
        restarts: 0,
        timer: undefined as NodeJS.Timeout | undefined,
      },
    ]),
  );

  function launch(name: string) {
    const entry = state.get(name);
    if (!entry || stopping) return;
    entry.timer = undefined;
    const startedAt = Date.now();
    const child = entry.spec.start();
    entry.child = child;
    log(`leadtrail: ${name} ${entry.restarts === 0 ? "started" : "restarted"} (pid ${child.pid})`);
    child.once("exit", (code, signal) => {
      if (entry.child === child) entry.child = undefined;
      if (stopping) return;
      const ran = Date.now() - startedAt;
      const next = nextRestart(entry.streak, ran, backoff);
      entry.streak = next.streak;
      entry.restarts++;
      log(
        `leadtrail: health: ${name} exited (${describeExit(code, signal)}) after ${seconds(ran)}; ` +
          `restart ${entry.restarts} in ${seconds(next.delayMs)}${next.streak > 1 ? ` (${next.streak} in a row)` : ""}`,
      );
      entry.timer = setTimeout(() => launch(name), next.delayMs);
    });
    // A spawn failure (missing file, no permission) arrives as "error", and "exit" may never follow.
    child.once("error", (error) => {
      log(`leadtrail: ${name} could not run: ${error.message}`);
      if (child.exitCode === null && child.signalCode === null && child.pid === undefined) child.emit("exit", 1, null);
    });
  }

  for (const spec of specs) launch(spec.name);

  return {
    current: (name) => state.get(name)?.child,
    restarts: (name) => state.get(name)?.restarts ?? 0,
    async stop() {
      stopping = true;
      const running: Promise<void>[] = [];
      for (const entry of state.values()) {
        if (entry.timer) clearTimeout(entry.timer);
        const child = entry.child;
        if (!child || child.exitCode !== null || child.signalCode !== null) continue;
        running.push(
          new Promise<void>((resolve) => {
            const kill = setTimeout(() => child.kill("SIGKILL"), grace);
            child.once("exit", () => {
              clearTimeout(kill);
              resolve();
            });
            child.kill("SIGTERM");
          }),
        );
      }
      await Promise.all(running);
    },
  };
}
