import { insertContentItem, insertNurtureTrack, insertPersona } from "@leadtrail/db";
import { runNurture } from "@leadtrail/workflows";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  BROWSER_UA,
  batch,
  createTestCollector,
  pageview,
  TEST_ORIGIN,
  type TestCollector,
} from "../testing/test-collector.ts";

const NOW = Date.UTC(2026, 4, 4, 9);

async function seedNurture(t: TestCollector) {
  const c = t.db;
  const item = (key: string, path: string, topics: string[], kind: string) =>
    insertContentItem(c, t.site.id, { key, title: `<b>${key}</b>`, kind, topics, match: [path], href: null }, NOW);
  await item("whitepaper", "/whitepaper", ["security"], "whitepaper");
  await item("pricing", "/pricing", ["buying"], "pricing");
  await item("security-post", "/blog/security-*", ["security"], "blog");
  const persona = (name: string, criteria: Record<string, unknown>, defaultContentKey: string) =>
    insertPersona(
      c,
      t.site.id,
      { name, description: null, criteria, weights: {}, minMatch: 1, defaultContentKey, enabled: true },
      NOW,
    );
  const it = await persona("IT decision maker", { roles: ["cto"] }, "pricing");
  await persona("Security reader", { topics: [{ topic: "security" }] }, "whitepaper");
  const trackId = await insertNurtureTrack(
    c,
    t.site.id,
    {
      name: "IT nurture",
      purpose: "nurture",
      personaId: it,
      stages: ["lead"],
      priority: 0,
      steps: [{ id: "s1", contentId: "whitepaper" }],
      enabled: true,
    },
    NOW,
  );
  return trackId;
}

const get = (t: TestCollector, query: string, headers: Record<string, string> = {}) =>
  t.app.request(`/v1/next-content${query}`, {
    headers: { "user-agent": BROWSER_UA, origin: TEST_ORIGIN, "x-test-now": String(NOW), ...headers },
  });

describe("GET /v1/next-content", () => {
  let t: TestCollector;
  let trackId: number;
  beforeEach(async () => {
    t = await createTestCollector();
    trackId = await seedNurture(t);
  });
  afterEach(() => t.cleanup());

  it("gives an identified visitor its lead's next step, readable by the site's origin only", async () => {
    const identify = { ...pageview("/contact"), type: "identify", email: "ada@example.com", traits: { role: "CTO" } };
    expect((await t.post(batch([identify], { visitor: "visitor_known1" }))).status).toBe(200);
    const res = await get(t, "?site=site_test&visitor=visitor_known1");
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe(TEST_ORIGIN);
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
    expect(res.headers.get("cache-control")).toContain("no-store");
    // Titles are data: returned as stored, JSON-encoded, for the site to escape when it shows them.
    expect(await res.json()).toEqual({
      content: { key: "whitepaper", title: "<b>whitepaper</b>", href: "/whitepaper", kind: "whitepaper" },
      reason: "next_step",
    });
    const [row] = (await t.db.$client.execute("SELECT progress FROM lead_nurture")).rows;
    expect(JSON.parse(String(row?.progress)).tracks[String(trackId)].s1).toMatchObject({
      channel: "website",
      offeredAt: NOW,
    });
  });

  it("closes the loop through the collector: the job offers the step, reading the page converts it", async () => {
    const identify = { ...pageview("/contact"), type: "identify", email: "cto@example.com", traits: { role: "CTO" } };
    await t.post(batch([identify], { visitor: "visitor_loop01" }), { "x-test-now": String(NOW) });
    expect(await runNurture(t.db, { now: NOW + 1000 })).toMatchObject({ personaChanged: 1, offered: 1 });
    const outbox = (await t.db.$client.execute("SELECT event_type, payload FROM outbox")).rows;
    expect(outbox.map((r) => r.event_type)).toContain("lead.nurture_step_due");
    // The lead reads the offered whitepaper on the site; the next run marks the step converted.
    await t.post(batch([pageview("/whitepaper")], { visitor: "visitor_loop01" }), { "x-test-now": String(NOW + 5000) });
    expect(await runNurture(t.db, { now: NOW + 6000 })).toMatchObject({ converted: 1 });
    const [row] = (await t.db.$client.execute("SELECT progress FROM lead_nurture")).rows;
    expect(JSON.parse(String(row?.progress)).tracks[String(trackId)].s1).toMatchObject({
      channel: "webhook",
      offeredAt: NOW + 1000,
      convertedAt: NOW + 5000,
    });
  });

  it("matches an anonymous visitor by the topics it read", async () => {
    await t.post(batch([pageview("/blog/security-basics")], { visitor: "visitor_anon01" }));
    expect(await (await get(t, "?site=site_test&visitor=visitor_anon01")).json()).toEqual({
      content: { key: "whitepaper", title: "<b>whitepaper</b>", href: "/whitepaper", kind: "whitepaper" },
      reason: "persona_default",
    });
  });

  it("uses the cookieless hash when the request names no visitor", async () => {
    // Sent without a visitor id, the events are stored under the hash of IP and user agent.
    await t.post(batch([pageview("/blog/security-basics")], { visitor: undefined }), { "x-test-now": String(NOW) });
    expect(await (await get(t, "?site=site_test")).json()).toMatchObject({
      content: { key: "whitepaper" },
      reason: "persona_default",
    });
    // Another browser (other IP) read nothing: the site's first persona's default.
    expect(await (await get(t, "?site=site_test", { "x-test-ip": "198.51.100.9" })).json()).toMatchObject({
      content: { key: "pricing" },
      reason: "site_default",
    });
  });

  it.each([
    ["no site", "", 400, "bad_request", /site/],
    ["an over-long site key", `?site=${"k".repeat(65)}`, 400, "bad_request", /site/],
    ["a malformed visitor id", "?site=site_test&visitor=<script>", 400, "bad_request", /visitor/],
    ["an unknown site", "?site=nope", 404, "unknown_site", /unknown site/],
  ])("rejects %s with a clear error and writes nothing", async (_name, query, status, code, message) => {
    const res = await get(t, query);
    expect(res.status).toBe(status);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe(code);
    expect(body.error.message).toMatch(message);
    expect((await t.db.$client.execute("SELECT count(*) AS n FROM lead_nurture")).rows[0]?.n).toBe(0);
  });

  it("refuses a foreign origin", async () => {
    const res = await get(t, "?site=site_test&visitor=visitor_anon01", { origin: "https://evil.test" });
    expect(res.status).toBe(403);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("is rate-limited per IP like the other public endpoints", async () => {
    const limited = await createTestCollector("/*tracker*/", { rateLimits: { ip: { burst: 2, perSecond: 0.001 } } });
    try {
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await get(limited, "?site=site_test")).status);
      expect(statuses).toEqual([200, 200, 429]);
    } finally {
      limited.cleanup();
    }
  });
});
