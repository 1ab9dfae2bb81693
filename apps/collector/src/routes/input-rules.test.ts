// Every input rule of the collector's front door, through the real app (no server): sizes, clocks,
// bots, rate limits, privacy and back pressure. The happy paths are in ingest.test.ts.
import { afterEach, describe, expect, it } from "vitest";
import { FLAG_ANCIENT, FLAG_FUTURE } from "../ingest/clock.ts";
import {
  BROWSER_UA,
  batch,
  createTestCollector,
  pageview,
  TEST_ORIGIN,
  type TestCollector,
} from "../testing/test-collector.ts";

const HEADLESS_UA =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36";

async function count(t: TestCollector, table = "events"): Promise<number> {
  return Number((await t.db.$client.execute(`SELECT count(*) AS n FROM ${table}`)).rows[0]?.n);
}

function post(t: TestCollector, init: RequestInit & { headers?: Record<string, string> }) {
  return t.app.request("/e", {
    method: "POST",
    ...init,
    headers: { "content-type": "text/plain", origin: TEST_ORIGIN, "user-agent": BROWSER_UA, ...init.headers },
  });
}

let t: TestCollector;
afterEach(() => t?.cleanup());

describe("sizes", () => {
  it("answers 413 to a chunked body over 512 KB that has no Content-Length, and stores nothing", async () => {
    t = await createTestCollector();
    const chunk = new TextEncoder().encode("x".repeat(64 * 1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 20) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const res = await post(t, { body, duplex: "half" } as RequestInit & { headers?: Record<string, string> });
    expect(res.status).toBe(413);
    expect(sent).toBeLessThan(20); // reading stopped at the cap, not at the end of the stream
    expect(await count(t)).toBe(0);
  });

  it("answers 413 when the body is larger than its Content-Length claims", async () => {
    t = await createTestCollector();
    const huge = JSON.stringify(batch([pageview("/", { title: "x".repeat(500) })])).padEnd(600 * 1024, " ");
    const res = await post(t, { body: huge, headers: { "content-length": "100" } });
    expect(res.status).toBe(413);
  });

  it("answers 413 before reading when the declared length is over the cap", async () => {
    t = await createTestCollector();
    const res = await post(t, { body: "{}", headers: { "content-length": String(600 * 1024) } });
    expect(res.status).toBe(413);
  });

  it("answers 413 naming the event when one event is over 32 KB, and stores none of the batch", async () => {
    t = await createTestCollector();
    const props = Object.fromEntries(Array.from({ length: 32 }, (_, i) => [`p${i}`, "y".repeat(1000)]));
    const referrer = `https://ref.test/${"r".repeat(2000)}`;
    const res = await t.post(batch([pageview("/ok"), pageview("/big", { props, referrer })]));
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/events\.1/);
    expect(await count(t)).toBe(0);
  });

  it("accepts a batch just under the caps", async () => {
    t = await createTestCollector();
    const props = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`p${i}`, "y".repeat(1000)]));
    const res = await t.post(batch([pageview("/big", { props })]));
    expect(res.status).toBe(200);
  });
});

describe("clocks", () => {
  const NOW = Date.UTC(2026, 5, 1, 12);
  it.each([
    ["a correct clock", 0, -5000, -5000, 0],
    ["a clock two hours fast, corrected by sent-at", 7_200_000, -5000, -5000, 0],
    ["an event from the future of its own batch", 0, 3_600_000, 0, FLAG_FUTURE],
    ["an event older than a week", 0, -30 * 86_400_000, -7 * 86_400_000, FLAG_ANCIENT],
  ])("keeps the client time of %s corrected, clamped and flagged", async (_name, skew, offset, expected, flags) => {
    t = await createTestCollector();
    const event = pageview("/", { time: NOW + skew + offset });
    const res = await t.post(batch([event], { sentAt: NOW + skew }), { "x-test-now": String(NOW) });
    expect(res.status).toBe(200);
    const row = (await t.db.$client.execute("SELECT client_time, received_at, flags FROM events")).rows[0];
    expect(row).toMatchObject({ client_time: NOW + expected, received_at: NOW, flags });
    const metrics = (await (await t.app.request("/metrics")).json()) as { clockFlagged: number };
    expect(metrics.clockFlagged).toBe(flags ? 1 : 0);
  });
});

describe("bots", () => {
  it.each([
    ["a crawler", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"],
    ["headless Chrome", HEADLESS_UA],
    ["an empty user agent", ""],
  ])("answers %s with 202, stores nothing and counts it", async (_name, ua) => {
    t = await createTestCollector();
    const res = await t.post(batch([pageview(), pageview()]), { "user-agent": ua });
    expect(res.status).toBe(202);
    expect(await count(t)).toBe(0);
    expect(await count(t, "visitors")).toBe(0);
    const metrics = (await (await t.app.request("/metrics")).json()) as { botRequests: number; botEvents: number };
    expect(metrics).toMatchObject({ botRequests: 1, botEvents: 2 });
    const text = await (await t.app.request("/metrics?format=prometheus")).text();
    expect(text).toContain("leadtrail_bot_requests_total 1");
  });
});

describe("rate limits", () => {
  it("answers 429 with Retry-After once a visitor has used its events, and stores nothing more", async () => {
    t = await createTestCollector(undefined, { rateLimits: { visitor: { burst: 5, perSecond: 1 }, ip: false } });
    const now = { "x-test-now": String(Date.UTC(2026, 0, 1)) };
    expect((await t.post(batch([pageview(), pageview(), pageview()]), now)).status).toBe(200);
    const limited = await t.post(batch([pageview(), pageview(), pageview()]), now);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("1");
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe("rate_limited");
    expect(await count(t)).toBe(3);
    // Another visitor is not affected, and the first one may send again after refilling.
    expect((await t.post(batch([pageview()], { visitor: "visitor_0002" }), now)).status).toBe(200);
    const later = { "x-test-now": String(Date.UTC(2026, 0, 1) + 3000) };
    expect((await t.post(batch([pageview(), pageview()]), later)).status).toBe(200);
  });

  it("limits requests per IP across visitors", async () => {
    t = await createTestCollector(undefined, { rateLimits: { visitor: false, ip: { burst: 2, perSecond: 1 } } });
    const from = (ip: string, visitor: string) =>
      t.post(batch([pageview()], { visitor }), { "x-test-ip": ip, "x-test-now": "1000" });
    expect((await from("198.51.100.1", "visitor_a1")).status).toBe(200);
    expect((await from("198.51.100.1", "visitor_a2")).status).toBe(200);
    expect((await from("198.51.100.1", "visitor_a3")).status).toBe(429);
    expect((await from("198.51.100.2", "visitor_a4")).status).toBe(200);
  });
});

describe("privacy", () => {
  it("stores no raw IP address anywhere in the database", async () => {
    t = await createTestCollector();
    const ip = "198.51.100.77";
    const headers = { "x-test-ip": ip, "x-forwarded-for": ip };
    await t.post(
      batch([pageview("/a"), pageview("/b", { type: "form", name: "newsletter", email: "ip@acme.test" })], {
        visitor: undefined,
      }),
      headers,
    );
    await t.post(batch([pageview("/c")]), headers);
    await t.app.request(`/p.gif?site=site_test&u=${encodeURIComponent(`${TEST_ORIGIN}/mail`)}`, {
      headers: { "user-agent": BROWSER_UA, ...headers },
    });
    const tables = await t.db.$client.execute("SELECT name FROM sqlite_master WHERE type = 'table'");
    let rowsSeen = 0;
    for (const { name } of tables.rows as unknown as { name: string }[]) {
      const rows = await t.db.$client.execute(`SELECT * FROM "${name}"`);
      for (const row of rows.rows) {
        rowsSeen++;
        expect(JSON.stringify(row), `table ${name}`).not.toContain(ip);
      }
    }
    expect(rowsSeen).toBeGreaterThan(5);
  });
});

describe("back pressure", () => {
  it("answers 503 with Retry-After when the write queue is full, and acknowledges what it queued", async () => {
    t = await createTestCollector(undefined, { groupCommit: { maxQueue: 2, maxWaitMs: 50 } });
    const responses = await Promise.all(
      Array.from({ length: 5 }, (_, i) => t.post(batch([pageview()], { visitor: `visitor_q${i}` }))),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 503, 503, 503]);
    const overloaded = responses.find((r) => r.status === 503);
    expect(overloaded?.headers.get("retry-after")).toBe("1");
    expect(await count(t)).toBe(2);
  });
});
