import { type ChildProcess, spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { nextRestart, supervise } from "./supervise.ts";

const BACKOFF = { initialMs: 500, maxMs: 30_000, stableMs: 60_000 };

describe("nextRestart", () => {
  it.each([
    { name: "first crash", streak: 0, ranMs: 100, delayMs: 500, next: 1 },
    { name: "second crash in a row doubles", streak: 1, ranMs: 100, delayMs: 1000, next: 2 },
    { name: "fifth in a row", streak: 4, ranMs: 100, delayMs: 8000, next: 5 },
    { name: "capped at maxMs", streak: 10, ranMs: 100, delayMs: 30_000, next: 11 },
    { name: "huge streak stays capped", streak: 5000, ranMs: 100, delayMs: 30_000, next: 5001 },
    { name: "a stable run starts over", streak: 7, ranMs: 60_000, delayMs: 500, next: 1 },
    { name: "just short of stable keeps the streak", streak: 3, ranMs: 59_999, delayMs: 4000, next: 4 },
  ])("$name", ({ streak, ranMs, delayMs, next }) => {
    expect(nextRestart(streak, ranMs, BACKOFF)).toEqual({ delayMs, streak: next });
  });
});

const node = (code: string) => () => spawn(process.execPath, ["-e", code], { stdio: "ignore" });

async function until(check: () => boolean, timeoutMs = 20_000) {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}

const running = (child: ChildProcess | undefined) => child !== undefined && child.exitCode === null;

describe("supervise", () => {
  it("restarts a crashing child with growing pauses while the other keeps running, and stops both", async () => {
    const lines: string[] = [];
    const sup = supervise(
      [
        { name: "crasher", start: node("process.exit(3)") },
        { name: "steady", start: node("setInterval(() => {}, 1000)") },
      ],
      { backoff: { initialMs: 20, maxMs: 80, stableMs: 60_000 }, log: (l) => lines.push(l) },
    );
    const steady = sup.current("steady");
    expect(steady?.pid).toBeGreaterThan(0);
    try {
      await until(() => sup.restarts("crasher") >= 4);
      const health = lines.filter((l) => l.includes("health: crasher"));
      expect(health[0]).toMatch(/crasher exited \(code 3\) after .* s; restart 1 in 0\.0 s/);
      expect(health[3]).toMatch(/restart 4 in 0\.1 s \(4 in a row\)/);
      expect(lines.filter((l) => l.includes("crasher restarted (pid"))).not.toHaveLength(0);
      // The other one was never touched.
      expect(sup.current("steady")).toBe(steady);
      expect(steady?.exitCode).toBeNull();
      expect(sup.restarts("steady")).toBe(0);
    } finally {
      await sup.stop();
    }
    expect(steady?.signalCode).toBe("SIGTERM");
    const restarts = sup.restarts("crasher");
    await new Promise((r) => setTimeout(r, 300)); // longer than any pause: nothing comes back
    expect(sup.restarts("crasher")).toBe(restarts);
    expect(running(sup.current("crasher"))).toBe(false);
  });

  it("logs a killed child with its signal and brings it back with a new pid", async () => {
    const lines: string[] = [];
    const sup = supervise([{ name: "dashboard", start: node("setInterval(() => {}, 1000)") }], {
      backoff: { initialMs: 20, maxMs: 80, stableMs: 60_000 },
      log: (l) => lines.push(l),
    });
    try {
      const first = sup.current("dashboard");
      first?.kill("SIGKILL");
      await until(() => running(sup.current("dashboard")) && sup.current("dashboard") !== first);
      expect(sup.current("dashboard")?.pid).not.toBe(first?.pid);
      expect(lines).toContainEqual(expect.stringMatching(/health: dashboard exited \(signal SIGKILL\).*restart 1/));
    } finally {
      await sup.stop();
    }
  });

  it("sends SIGKILL to a child that ignores SIGTERM once the grace period is over", async () => {
    let ready = false;
    const sup = supervise(
      [
        {
          name: "stubborn",
          start: () => {
            const child = spawn(
              process.execPath,
              ["-e", "process.on('SIGTERM', () => {}); console.log('ready'); setInterval(() => {}, 1000)"],
              { stdio: ["ignore", "pipe", "ignore"] },
            );
            child.stdout?.on("data", () => {
              ready = true;
            });
            return child;
          },
        },
      ],
      { log: () => {}, stopGraceMs: 300 },
    );
    const child = sup.current("stubborn");
    await until(() => ready); // its SIGTERM handler is in place
    await sup.stop();
    expect(child?.signalCode).toBe("SIGKILL");
  });
});
