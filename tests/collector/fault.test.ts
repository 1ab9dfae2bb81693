// Fault injection: 20 concurrent clients send 10,000 events (5 % malformed, 3 % repeating an
// earlier id) while the collector is killed with SIGKILL mid-run and restarted. Clients retry what
// was not acknowledged. Afterwards every acknowledged event is stored exactly once, nothing
// malformed is stored, scoring ran once per event, and sent = stored + rejected + duplicates.
import { createDb, createSite, type Database, migrate } from "@leadtrail/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, type RunningProcess, startCollector, tempDatabase } from "../support/processes.ts";

const UA =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const CLIENTS = 20;
const TOTAL = 10_000;
const MALFORMED = TOTAL * 0.05;
const REPEATS = TOTAL * 0.03;
const PER_BATCH = 5;

interface Send {
  body: string;
  ids: string[];
  malformed: boolean;
}

/** The workload, deterministic: valid batches of 5, each malformed event alone in its request. */
function workload(origin: string): Send[] {
  const sends: Send[] = [];
  const valid: { id: string; path: string }[] = [];
  const unique = TOTAL - MALFORMED - REPEATS;
  for (let i = 0; i < unique; i++)
    valid.push({ id: `evt_${String(i).padStart(6, "0")}`, path: i % 7 === 0 ? "/pricing" : `/p/${i}` });
  // Repeats re-send ids of earlier events (a client retrying from its own queue, or a bug).
  for (let i = 0; i < REPEATS; i++) valid.push({ id: `evt_${String(i * 29).padStart(6, "0")}`, path: "/repeat" });
  for (let i = 0; i < valid.length; i += PER_BATCH) {
    const chunk = valid.slice(i, i + PER_BATCH);
    const visitor = `visitor_${String(i % 400).padStart(4, "0")}`;
    const events = chunk.map((e) => ({ id: e.id, type: "pageview", time: Date.now(), url: `${origin}${e.path}` }));
    sends.push({
      body: JSON.stringify({ site: "fault", visitor, sentAt: Date.now(), events }),
      ids: chunk.map((e) => e.id),
      malformed: false,
    });
  }
  const broken = [
    (id: string) => ({ id, type: "explode", time: 1, url: `${origin}/` }),
    (id: string) => ({ id, type: "pageview", time: "yesterday", url: `${origin}/` }),
    (id: string) => ({ id, type: "pageview", time: 1, url: `${origin}/`, title: "t".repeat(600) }),
    (id: string) => ({ id, type: "pageview", time: 1, url: `${origin}/`, props: { nested: { no: 1 } } }),
  ];
  for (let i = 0; i < MALFORMED; i++) {
    const id = `bad_${String(i).padStart(6, "0")}`;
    const event = (broken[i % broken.length] as (id: string) => unknown)(id);
    sends.push({
      body: JSON.stringify({ site: "fault", visitor: "visitor_bad0", sentAt: Date.now(), events: [event] }),
      ids: [id],
      malformed: true,
    });
  }
  // Interleave deterministically so malformed requests are spread over the run.
  return sends
    .map((s, i) => ({ s, k: (i * 7919) % sends.length }))
    .sort((a, b) => a.k - b.k)
    .map((x) => x.s);
}

describe("collector under SIGKILL with retrying clients", () => {
  const database = tempDatabase();
  let db: Database;
  let collector: RunningProcess;
  let port: number;

  beforeAll(async () => {
    db = await createDb({ url: database.url });
    await migrate(db.$client);
    await createSite(db, { publicKey: "fault", name: "Fault", domains: ["127.0.0.1"] });
    port = await freePort();
    collector = await startCollector(database.url, {
      COLLECTOR_PORT: String(port),
      RATE_LIMIT_IP: "off",
      RATE_LIMIT_VISITOR: "off",
    });
  });

  afterAll(async () => {
    await collector?.stop();
    db?.$client.close();
    database.remove();
  });

  it("stores every acknowledged event exactly once and nothing malformed", async () => {
    const origin = `http://127.0.0.1:${port}`;
    const sends = workload(origin);
    const acknowledged = new Set<string>();
    const rejected = new Set<string>();
    let answeredAccepted = 0;
    let answeredDuplicates = 0;
    let failedAttempts = 0;
    let next = 0;
    let done = 0;
    let killed = false;
    let restarting: Promise<void> | undefined;

    async function attempt(send: Send): Promise<void> {
      for (let tries = 0; ; tries++) {
        if (tries > 200) throw new Error("a request never went through");
        try {
          const res = await fetch(`${origin}/e`, {
            method: "POST",
            body: send.body,
            headers: { "content-type": "text/plain", origin, "user-agent": UA },
          });
          if (res.status === 200) {
            const body = (await res.json()) as { accepted: number; duplicates: number };
            answeredAccepted += body.accepted;
            answeredDuplicates += body.duplicates;
            for (const id of send.ids) acknowledged.add(id);
            return;
          }
          if (res.status === 400) {
            for (const id of send.ids) rejected.add(id);
            return;
          }
          failedAttempts++; // 5xx while overloaded or dying: retry
        } catch {
          failedAttempts++; // connection refused or reset: the collector is down
        }
        await (restarting ?? new Promise((r) => setTimeout(r, 20 + Math.random() * 30)));
      }
    }

    async function client(): Promise<void> {
      while (next < sends.length) {
        const send = sends[next++] as Send;
        await attempt(send);
        done++;
        if (!killed && done >= sends.length * 0.4) {
          killed = true;
          collector.child.kill("SIGKILL");
          restarting = (async () => {
            await collector.stop();
            collector = await startCollector(database.url, {
              COLLECTOR_PORT: String(port),
              RATE_LIMIT_IP: "off",
              RATE_LIMIT_VISITOR: "off",
            });
          })();
          await restarting;
          restarting = undefined;
        }
      }
    }

    await Promise.all(Array.from({ length: CLIENTS }, () => client()));
    expect(killed).toBe(true);
    expect(failedAttempts).toBeGreaterThan(0); // the kill really interrupted requests

    const stored = (await db.$client.execute("SELECT client_id FROM events")).rows.map((r) => String(r.client_id));
    const storedSet = new Set(stored);
    expect(stored.length).toBe(storedSet.size); // nothing twice
    for (const id of acknowledged) expect(storedSet.has(id), id).toBe(true);
    expect(stored.filter((id) => id.startsWith("bad_"))).toEqual([]);
    expect(rejected.size).toBe(MALFORMED);

    // sent = stored + rejected + duplicates (the repeated ids)
    const sentEvents = sends.reduce((n, s) => n + s.ids.length, 0);
    expect(sentEvents).toBe(TOTAL);
    expect(storedSet.size + rejected.size + REPEATS).toBe(sentEvents);
    // Every acknowledged answer accounted for its events (a retry of a batch committed just before
    // the kill is answered as duplicates, never stored again).
    expect(answeredAccepted + answeredDuplicates).toBe(TOTAL - MALFORMED);
    expect(answeredAccepted).toBeLessThanOrEqual(storedSet.size);

    // Scoring ran once per stored event: no event has two ledger rows for one rule.
    const doubled = await db.$client.execute(
      "SELECT event_id, rule_id, count(*) AS n FROM score_ledger GROUP BY event_id, rule_id HAVING n > 1",
    );
    expect(doubled.rows).toEqual([]);
    const pricing = await db.$client.execute("SELECT count(*) AS n FROM score_ledger WHERE rule_id = 'pricing-page'");
    expect(Number(pricing.rows[0]?.n)).toBeGreaterThan(0);
    // The rollups agree with the raw events.
    const totals = await db.$client.execute("SELECT sum(pageviews) AS pv FROM daily_stats WHERE dimension = ''");
    expect(Number(totals.rows[0]?.pv)).toBe(storedSet.size);
  });
});
