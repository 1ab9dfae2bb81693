import { createLink } from "@leadtrail/db";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  BROWSER_UA,
  batch,
  createTestCollector,
  pageview,
  TEST_ORIGIN,
  type TestCollector,
} from "../testing/test-collector.ts";

const SECRET = "sk_test_secret";

async function rows(t: TestCollector, sql: string) {
  return (await t.db.$client.execute(sql)).rows;
}

describe("GET /p.gif", () => {
  let t: TestCollector;
  beforeEach(async () => {
    t = await createTestCollector();
  });
  afterEach(() => t.cleanup());

  it("answers a 1×1 GIF after storing a page view, once per event id", async () => {
    const url = `/p.gif?site=site_test&id=px_00000001&v=visitor_px1&u=${encodeURIComponent(`${TEST_ORIGIN}/no-js`)}`;
    const res = await t.app.request(url, { headers: { "user-agent": BROWSER_UA } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/gif");
    expect(res.headers.get("cache-control")).toContain("no-store");
    expect(new Uint8Array(await res.arrayBuffer()).subarray(0, 6)).toEqual(new TextEncoder().encode("GIF89a"));
    await t.app.request(url, { headers: { "user-agent": BROWSER_UA } });
    expect(await rows(t, "SELECT type, path, visitor_id FROM events")).toEqual([
      { type: "pageview", path: "/no-js", visitor_id: "visitor_px1" },
    ]);
  });

  it("records an e-mail open (no page) as a custom event with its campaign", async () => {
    await t.app.request("/p.gif?site=site_test&n=email_open&utm_medium=email&utm_campaign=nl-03", {
      headers: { "user-agent": BROWSER_UA },
    });
    const [event] = await rows(t, "SELECT type, name, campaign FROM events");
    expect(event).toMatchObject({ type: "custom", name: "email_open" });
    expect(JSON.parse(String(event?.campaign))).toEqual({ utm_medium: "email", utm_campaign: "nl-03" });
  });

  it.each([
    ["an unknown site", "/p.gif?site=nope", 404],
    ["a foreign page", `/p.gif?site=site_test&u=${encodeURIComponent("https://evil.test/")}`, 403],
    ["an over-long name", `/p.gif?site=site_test&n=${"n".repeat(300)}`, 400],
  ])("rejects %s without storing", async (_name, url, status) => {
    const res = await t.app.request(url, { headers: { "user-agent": BROWSER_UA } });
    expect(res.status).toBe(status);
    expect(await rows(t, "SELECT id FROM events")).toEqual([]);
  });
});

describe("GET /r/:code", () => {
  let t: TestCollector;
  beforeEach(async () => {
    t = await createTestCollector();
    await createLink(t.db, {
      siteId: t.site.id,
      code: "spring-poster",
      kind: "qr",
      target: "https://acme.test/products?ref=poster",
      utm: { utm_source: "poster", utm_medium: "qr", utm_campaign: "spring" },
    });
  });
  afterEach(() => t.cleanup());

  it("records the scan for the visitor, scores it, and redirects with the UTM parameters added", async () => {
    const res = await t.app.request("/r/spring-poster?v=visitor_qr1", { headers: { "user-agent": BROWSER_UA } });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get("location") ?? "");
    expect(location.origin + location.pathname).toBe("https://acme.test/products");
    expect(Object.fromEntries(location.searchParams)).toEqual({
      ref: "poster",
      utm_source: "poster",
      utm_medium: "qr",
      utm_campaign: "spring",
    });
    expect(await rows(t, "SELECT type, name, visitor_id, path FROM events")).toEqual([
      { type: "qr_scan", name: "spring-poster", visitor_id: "visitor_qr1", path: "/products" },
    ]);
    expect(await rows(t, "SELECT rule_id, delta, visitor_id FROM score_ledger")).toEqual([
      { rule_id: "qr-poster-scan", delta: 5, visitor_id: "visitor_qr1" },
    ]);
    expect(await rows(t, "SELECT channel, utm_campaign FROM visitors")).toEqual([
      { channel: "qr", utm_campaign: "spring" },
    ]);
  });

  it("redirects bots without recording, and answers 404 for an unknown code", async () => {
    const bot = await t.app.request("/r/spring-poster", { headers: { "user-agent": "Googlebot/2.1" } });
    expect(bot.status).toBe(302);
    expect(await rows(t, "SELECT id FROM events")).toEqual([]);
    expect((await t.app.request("/r/nope", { headers: { "user-agent": BROWSER_UA } })).status).toBe(404);
  });
});

describe("POST /v1/identify", () => {
  let t: TestCollector;
  beforeEach(async () => {
    t = await createTestCollector();
  });
  afterEach(() => t.cleanup());

  const identify = (body: unknown, key: string | null = SECRET) =>
    t.app.request("/v1/identify", {
      method: "POST",
      body: JSON.stringify(body),
      headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
    });

  it("creates a verified lead with its company, attaches the visitor and takes over its anonymous points", async () => {
    await t.post(batch([pageview("/pricing")], { visitor: "visitor_crm1" }));
    const res = await identify({
      site: "site_test",
      email: "Ada@Example-Corp.com",
      visitor: "visitor_crm1",
      traits: { name: "Ada", role: "Head of Marketing", seniority: "director", company_size: "250" },
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { leadId: number; created: boolean; score: number };
    expect(body.created).toBe(true);
    // pricing page 10 + fit: director 15, company size 10, business e-mail 5
    expect(body.score).toBeCloseTo(40, 3);
    const [lead] = await rows(t, "SELECT email, unverified, stage, company_id FROM leads");
    expect(lead).toMatchObject({ email: "ada@example-corp.com", unverified: 0, stage: "mql" });
    expect(await rows(t, "SELECT domain FROM companies")).toEqual([{ domain: "example-corp.com" }]);
    expect(await rows(t, "SELECT lead_id FROM visitors")).toEqual([{ lead_id: body.leadId }]);
    const ledger = await rows(t, "SELECT rule_id, lead_id FROM score_ledger WHERE rule_id = 'pricing-page'");
    expect(ledger).toEqual([{ rule_id: "pricing-page", lead_id: body.leadId }]);
    expect(await rows(t, "SELECT to_stage FROM stage_changes")).toEqual([{ to_stage: "mql" }]);
    // A second call updates the same lead.
    const again = await identify({ site: "site_test", email: "ada@example-corp.com" });
    expect(again.status).toBe(200);
    expect(await rows(t, "SELECT count(*) AS n FROM leads")).toEqual([{ n: 1 }]);
  });

  it.each([
    ["no key", null, 401],
    ["a wrong key", "sk_wrong", 401],
  ])("refuses %s and writes nothing", async (_name, key, status) => {
    const res = await identify({ site: "site_test", email: "x@acme.test" }, key);
    expect(res.status).toBe(status);
    expect(await rows(t, "SELECT id FROM leads")).toEqual([]);
  });

  it("answers 400 for a malformed e-mail", async () => {
    const res = await identify({ site: "site_test", email: "not-an-email" });
    expect(res.status).toBe(400);
  });
});
