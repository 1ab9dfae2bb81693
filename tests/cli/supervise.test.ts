// `npm start` supervises: a crashed dashboard comes back on its own while the collector keeps
// taking events, and SIGTERM still stops everything cleanly.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAlive, type RunningLauncher, startLauncher } from "../support/launcher.ts";
import { eventually, tempDatabase } from "../support/processes.ts";

describe("the launcher supervises its processes", () => {
  const database = tempDatabase();
  let launcher: RunningLauncher;

  beforeAll(async () => {
    launcher = await startLauncher(database.url, { LEADTRAIL_DEMO: "0" });
    await launcher.waitForOutput(/leadtrail is running/);
  });

  afterAll(async () => {
    // SIGTERM, so that the launcher takes its children down with it even when the test failed.
    if (launcher?.child.exitCode === null) {
      launcher.child.kill("SIGTERM");
      await launcher.exited;
    }
    database.remove();
  });

  it("restarts a killed dashboard, keeps the collector answering, and stops both on SIGTERM", async () => {
    const pidOf = (name: string) =>
      Number(launcher.output().match(new RegExp(`${name} started \\(pid (\\d+)\\)`))?.[1]);
    const collectorPid = pidOf("collector");
    const dashboardPid = pidOf("dashboard");
    expect(isAlive(collectorPid)).toBe(true);
    expect(isAlive(dashboardPid)).toBe(true);

    // Poll the collector the whole time the dashboard is down and coming back.
    let polling = true;
    const answers: number[] = [];
    const poller = (async () => {
      while (polling) {
        answers.push(
          await fetch(`${launcher.collectorUrl}/healthz`).then(
            (r) => r.status,
            () => 0,
          ),
        );
        await new Promise((r) => setTimeout(r, 50));
      }
    })();

    process.kill(dashboardPid, "SIGKILL");
    const [, newPid] = await launcher.waitForOutput(/dashboard restarted \(pid (\d+)\)/, 60_000);
    expect(launcher.output()).toMatch(
      /health: dashboard exited \(signal SIGKILL\) after [\d.]+ s; restart 1 in 0\.5 s/,
    );
    expect(Number(newPid)).not.toBe(dashboardPid);
    await eventually(async () => {
      const page = await fetch(`${launcher.dashboardUrl}/login`).catch(() => undefined);
      return page?.ok ? true : undefined;
    }, 60_000);
    polling = false;
    await poller;
    expect(answers.length).toBeGreaterThan(0);
    expect(answers.filter((s) => s !== 200)).toEqual([]);
    expect(isAlive(collectorPid)).toBe(true);
    expect(launcher.output()).not.toMatch(/collector (restarted|exited)/);

    launcher.child.kill("SIGTERM");
    expect(await launcher.exited).toBe(0);
    expect(isAlive(collectorPid)).toBe(false);
    expect(isAlive(Number(newPid))).toBe(false);
    expect(launcher.output()).toContain("collector stopped (SIGTERM)");
    expect(launcher.output()).not.toMatch(/restart 2/);
  });
});
