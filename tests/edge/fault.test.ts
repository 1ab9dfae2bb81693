// The origin killed (SIGKILL) under load through the edge: concurrent clients keep sending batches
// to workerd; while the origin is down the edge answers 503 with Retry-After, the clients retry the
// same batches (same event ids) until they are acknowledged, and afterwards every acknowledged
// event is in the origin's database exactly once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VISITOR_USER_AGENT } from "../support/browser.ts";
import { type EdgeStack, startEdgeStack } from "../support/edge.ts";

const CLIENTS = 12;
const BATCHES = 400;
const PER_BATCH = 5;
const PAGE = "https://fault.test";

describe("origin killed under load through the edge", () => {
  let stack: EdgeStack;
  let siteId: number;

  beforeAll(async () => {
    stack = await startEdgeStack();
    siteId = (await stack.site("edge_fault", ["fault.test"])).id;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("answers 503 while the origin is down, and stores every acknowledged event exactly once", async () => {
    const sends = Array.from({ length: BATCHES }, (_, b) => {
      const ids = Array.from({ length: PER_BATCH }, (_, i) => `fault_${String(b * PER_BATCH + i).padStart(6, "0")}`);
      const events = ids.map((id, i) => ({ id, type: "pageview", time: Date.now(), url: `${PAGE}/p/${b}/${i}` }));
      return {
        ids,
        body: JSON.stringify({ site: "edge_fault", visitor: `visitor_${b % 50}_fault`, sentAt: Date.now(), events }),
      };
    });
    const acknowledged = new Set<string>();
    let accepted = 0;
    let duplicates = 0;
    let unavailable = 0;
    let withoutRetryAfter = 0;
    let next = 0;
    let done = 0;
    let killed = false;
    let restarted: Promise<void> | undefined;

    async function attempt(send: (typeof sends)[number]): Promise<void> {
      for (let tries = 0; ; tries++) {
        if (tries > 2000) throw new Error("a batch was never acknowledged");
        try {
          const res = await fetch(`${stack.edge.url}/e`, {
            method: "POST",
            body: send.body,
            headers: { "content-type": "text/plain", origin: PAGE, "user-agent": VISITOR_USER_AGENT },
          });
          if (res.status === 200) {
            const body = (await res.json()) as { accepted: number; duplicates: number };
            accepted += body.accepted;
            duplicates += body.duplicates;
            for (const id of send.ids) acknowledged.add(id);
            return;
          }
          await res.body?.cancel();
          expect(res.status).toBe(503); // never a 4xx or a 500 for a valid batch
          unavailable++;
          if (!res.headers.get("retry-after")) withoutRetryAfter++;
        } catch (error) {
          if ((error as { name?: string }).name === "AssertionError") throw error;
          // the edge itself never goes away in this test; a reset connection is retried like a 503
        }
        await new Promise((r) => setTimeout(r, 50 + Math.random() * 50));
      }
    }

    async function client(): Promise<void> {
      while (next < sends.length) {
        const send = sends[next++] as (typeof sends)[number];
        await attempt(send);
        done++;
        if (!killed && done >= BATCHES * 0.4) {
          killed = true;
          stack.origin.child.kill("SIGKILL");
          // The other clients go on sending (and get 503s) while the origin comes back.
          restarted = stack.restartOrigin();
        }
      }
    }

    await Promise.all(Array.from({ length: CLIENTS }, () => client()));
    await restarted;
    expect(killed).toBe(true);
    expect(unavailable).toBeGreaterThan(0); // the kill really interrupted the clients
    expect(withoutRetryAfter).toBe(0);

    const stored = (await stack.events(siteId)).map((e) => e.clientId);
    const storedSet = new Set(stored);
    expect(stored.length).toBe(storedSet.size); // nothing twice
    expect(acknowledged.size).toBe(BATCHES * PER_BATCH);
    for (const id of acknowledged) expect(storedSet.has(id), id).toBe(true);
    expect(storedSet.size).toBe(BATCHES * PER_BATCH);
    // Each event answered once as accepted or duplicate (a batch committed just before the kill and
    // retried is answered as duplicates, never stored again); none accepted twice.
    expect(accepted + duplicates).toBe(BATCHES * PER_BATCH);
    expect(accepted).toBeLessThanOrEqual(storedSet.size);
    // A loaded machine restarts the origin slowly; the test waits on conditions, not on speed.
  }, 180_000);
});
