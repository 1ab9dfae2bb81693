// SIGTERM: the collector stops taking requests, commits everything it accepted, answers those
// requests, and exits cleanly.
import { createDb, createSite, type Database, migrate } from "@leadtrail/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, type RunningProcess, startCollector, tempDatabase } from "../support/processes.ts";

const UA = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";

describe("collector shutdown", () => {
  const database = tempDatabase();
  let db: Database;
  let collector: RunningProcess;

  beforeAll(async () => {
    db = await createDb({ url: database.url });
    await migrate(db.$client);
    await createSite(db, { publicKey: "drain", name: "Drain", domains: ["127.0.0.1"] });
    // A group-commit wait far longer than the test: only the drain on SIGTERM can commit them.
    collector = await startCollector(database.url, { GROUP_COMMIT_WAIT_MS: "60000" });
  });

  afterAll(async () => {
    await collector?.stop("SIGKILL");
    db?.$client.close();
    database.remove();
  });

  it("drains and commits the queued requests on SIGTERM before exiting", async () => {
    const origin = collector.url;
    const requests = Array.from({ length: 25 }, (_, i) =>
      fetch(`${origin}/e`, {
        method: "POST",
        headers: { "content-type": "text/plain", origin, "user-agent": UA },
        body: JSON.stringify({
          site: "drain",
          visitor: `visitor_${String(i).padStart(4, "0")}`,
          sentAt: Date.now(),
          events: [
            { id: `drain_${String(i).padStart(4, "0")}`, type: "pageview", time: Date.now(), url: `${origin}/x` },
          ],
        }),
      }),
    );
    // SIGTERM only once every request has reached the collector and waits in its queue: a request
    // still on its way when the server closes would be refused, which is not what this test is about.
    await eventually(async () => {
      const metrics = (await (await fetch(`${origin}/metrics`)).json()) as { queueDepth: number };
      return metrics.queueDepth === 25 ? true : undefined;
    }, 30_000);
    const exited = new Promise<number | null>((r) => collector.child.once("exit", (code) => r(code)));
    collector.child.kill("SIGTERM");
    const responses = await Promise.all(requests);
    expect(responses.map((r) => r.status)).toEqual(Array(25).fill(200));
    expect(await exited).toBe(0);
    expect(collector.output()).toContain("collector stopped (SIGTERM)");
    const stored = await db.$client.execute("SELECT count(*) AS n FROM events");
    expect(stored.rows[0]?.n).toBe(25);
  });
});
