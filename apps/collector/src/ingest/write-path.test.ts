// Scoring and rollups inside the ingest transaction, through the real app and database.
import { createDb } from "@leadtrail/db";
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from "vitest";
import { type Collector, createCollector } from "../collector.ts";
import {
  BROWSER_UA,
  batch,
  createTestCollector,
  pageview,
  TEST_ORIGIN,
  type TestCollector,
} from "../testing/test-collector.ts";

const T0 = Date.UTC(2026, 2, 10, 9);
const MIN = 60_000;

async function rows(t: TestCollector, sql: string) {
  return (await t.db.$client.execute(sql)).rows;
}

describe("scoring in the ingest transaction", () => {
  let t: TestCollector;
  beforeEach(async () => {
    t = await createTestCollector();
  });
  afterEach(() => t.cleanup());

  const at = (ms: number) => ({ "x-test-now": String(ms) });

  it("scores an anonymous visitor, then hands points, ledger and events to the lead on identify", async () => {
    await t.post(batch([pageview("/pricing")], { visitor: "visitor_anon" }), at(T0));
    expect(await rows(t, "SELECT engagement_score FROM visitors")).toEqual([{ engagement_score: 10 }]);
    expect(await rows(t, "SELECT lead_id, visitor_id, delta FROM score_ledger")).toEqual([
      { lead_id: null, visitor_id: "visitor_anon", delta: 10 },
    ]);

    const signup = pageview("/newsletter", { type: "form", name: "newsletter", email: "max@gmail.com" });
    await t.post(batch([signup], { visitor: "visitor_anon" }), at(T0 + MIN));
    const [lead] = await rows(t, "SELECT id, engagement_score, fit_score, stage, unverified FROM leads");
    // pricing 10 (decayed a minute) + newsletter 7; free-mail fit -5
    expect(Number(lead?.engagement_score)).toBeCloseTo(17, 3);
    expect(lead).toMatchObject({ fit_score: -5, stage: "lead", unverified: 1 });
    expect(await rows(t, "SELECT DISTINCT lead_id FROM score_ledger")).toEqual([{ lead_id: lead?.id }]);
    expect(await rows(t, "SELECT DISTINCT lead_id FROM events")).toEqual([{ lead_id: lead?.id }]);
    expect(await rows(t, "SELECT engagement_score FROM visitors")).toEqual([{ engagement_score: 0 }]);
  });

  it("scores a duplicate event once", async () => {
    const event = pageview("/pricing");
    await t.post(batch([event]), at(T0));
    const retry = await t.post(batch([event]), at(T0 + 1000));
    expect(await retry.json()).toEqual({ accepted: 0, duplicates: 1 });
    expect(await rows(t, "SELECT count(*) AS n FROM score_ledger")).toEqual([{ n: 1 }]);
  });

  it("makes a lead an MQL at the threshold and records the stage change and rollup", async () => {
    const events = [
      pageview("/id", { type: "identify", email: "cto@bigcorp.test", traits: { seniority: "c-level" } }),
      pageview("/contact", { type: "form", name: "contact" }),
    ];
    await t.post(batch(events, { visitor: "visitor_mql" }), at(T0));
    // fit: c-level 15 + business e-mail 5; engagement: contact form 20 → 40 ≥ 35
    expect(await rows(t, "SELECT stage FROM leads")).toEqual([{ stage: "mql" }]);
    expect(await rows(t, "SELECT from_stage, to_stage, actor FROM stage_changes")).toEqual([
      { from_stage: "lead", to_stage: "mql", actor: "rule:contact-form" },
    ]);
    expect(await rows(t, "SELECT leads, mqls FROM daily_stats WHERE dimension = ''")).toEqual([{ leads: 1, mqls: 1 }]);
  });

  it("takes points away for the careers pages", async () => {
    await t.post(batch([pageview("/careers/engineer")]), at(T0));
    expect(await rows(t, "SELECT rule_id, delta FROM score_ledger")).toEqual([{ rule_id: "careers-page", delta: -10 }]);
  });
});

describe("rollups", () => {
  let t: TestCollector;
  beforeEach(async () => {
    t = await createTestCollector();
  });
  afterEach(() => t.cleanup());

  async function stats(dimension: string) {
    const result = await rows(
      t,
      `SELECT value, pageviews, visitors, visits, bounces, events FROM daily_stats WHERE dimension = '${dimension}' ORDER BY value`,
    );
    return Object.fromEntries(result.map((r) => [r.value, [r.pageviews, r.visitors, r.visits, r.bounces, r.events]]));
  }

  it("keeps visits, bounces, landings and exits exact as visits go on", async () => {
    const send = (visitor: string, path: string, ms: number) =>
      t.post(batch([pageview(path)], { visitor }), { "x-test-now": String(ms) });
    await send("visitor_a1", "/", T0); // a: visit 1 lands on /
    await send("visitor_a1", "/pricing", T0 + MIN); // … goes on: no bounce, exit moves to /pricing
    await send("visitor_b1", "/blog", T0 + 2 * MIN); // b: a bounce on /blog
    await send("visitor_a1", "/blog", T0 + 60 * MIN); // a: visit 2 after 30 min, a bounce
    expect(await stats("")).toEqual({ "": [4, 2, 3, 2, 4] });
    expect(await stats("landing")).toEqual({ "/": [0, 0, 1, 0, 0], "/blog": [0, 0, 2, 2, 0] });
    expect(await stats("exit")).toEqual({
      "/": [0, 0, 0, 0, 0],
      "/blog": [0, 0, 2, 0, 0],
      "/pricing": [0, 0, 1, 0, 0],
    });
    expect(await stats("path")).toEqual({
      "/": [1, 0, 0, 0, 1],
      "/blog": [2, 0, 0, 0, 2],
      "/pricing": [1, 0, 0, 0, 1],
    });
    expect(await rows(t, "SELECT count(*) AS n FROM content_touches")).toEqual([{ n: 4 }]);
  });

  it("breaks totals down by source and device, and counts points and events by name", async () => {
    const campaign = {
      utm_source: "newsletter",
      utm_medium: "email",
      utm_campaign: "march",
      referrer: "https://mail.test/",
    };
    await t.post(
      batch([pageview("/pricing", { campaign }), pageview("/x", { type: "click", name: "product_image" })]),
      {
        "x-test-now": String(T0),
        "x-test-country": "DE",
      },
    );
    const dims = await rows(
      t,
      "SELECT dimension, value, visitors, points FROM daily_stats WHERE dimension NOT IN ('', 'path', 'landing', 'exit') ORDER BY dimension, value",
    );
    expect(dims.map((r) => [r.dimension, r.value, r.visitors, r.points])).toEqual([
      ["browser", "Chrome", 1, 13],
      ["channel", "email", 1, 13],
      ["country", "DE", 1, 13],
      ["device", "desktop", 1, 13],
      ["event", "click:product_image", 0, 3],
      ["os", "Windows", 1, 13],
      ["referrer", "mail.test", 1, 13],
      ["utm_campaign", "march", 1, 13],
      ["utm_medium", "email", 1, 13],
      ["utm_source", "newsletter", 1, 13],
    ]);
  });
});

describe("visitors cached between commits, with other writers on the same database", () => {
  let a: TestCollector;
  let b: Collector;
  beforeEach(async () => {
    a = await createTestCollector();
    // A second collector process on the same file: its own client, caches and group commit.
    const db = await createDb({ url: a.url });
    b = createCollector({
      db,
      trackerScript: "",
      demoSiteKey: "site_test",
      visitorHashSecret: "test-secret",
      clientIp: () => "203.0.113.8",
      now: (c) => Number(c.req.header("x-test-now") ?? Date.now()),
    });
    onTestFinished(() => db.$client.close());
  });
  afterEach(() => a.cleanup());

  const postTo = (app: Collector["app"], path: string, ms: number) =>
    app.request("/e", {
      method: "POST",
      body: JSON.stringify(batch([pageview(path)], { visitor: "visitor_shared" })),
      headers: {
        "content-type": "text/plain",
        origin: TEST_ORIGIN,
        "user-agent": BROWSER_UA,
        "x-test-now": String(ms),
      },
    });

  it("never builds on a cached visitor row that another collector has changed since", async () => {
    expect((await postTo(a.app, "/", T0)).status).toBe(200); // A caches the visitor
    expect((await postTo(b.app, "/pricing", T0 + MIN)).status).toBe(200); // B scores the pricing page
    // A's cached row predates B's write: with it, A would count the visitor's second event and
    // score the pricing page (capped at once a day) a second time.
    expect((await postTo(a.app, "/pricing", T0 + 2 * MIN)).status).toBe(200);
    expect(await rows(a, "SELECT event_count, visit_pageviews, last_path, engagement_score FROM visitors")).toEqual([
      { event_count: 3, visit_pageviews: 3, last_path: "/pricing", engagement_score: 10 },
    ]);
    expect(await rows(a, "SELECT rule_id FROM score_ledger")).toEqual([{ rule_id: "pricing-page" }]);
    // The page views of the one visit: one visit, no bounce, the exit on the last page.
    expect(await rows(a, "SELECT visits, bounces FROM daily_stats WHERE dimension = ''")).toEqual([
      { visits: 1, bounces: 0 },
    ]);
  });

  it("keeps using its cache when nobody else wrote, and stays exact across many commits", async () => {
    for (let i = 0; i < 5; i++) expect((await postTo(a.app, `/p${i}`, T0 + i * MIN)).status).toBe(200);
    expect(await rows(a, "SELECT event_count, visit_pageviews, version FROM visitors")).toEqual([
      { event_count: 5, visit_pageviews: 5, version: 5 },
    ]);
  });

  it("continues from the stage sales set in the dashboard, not from the stage it saw before", async () => {
    const identifyEvent = pageview("/id", {
      type: "identify",
      email: "cto@bigcorp.test",
      traits: { seniority: "c-level" },
    });
    await a.post(batch([identifyEvent], { visitor: "visitor_shared" }), { "x-test-now": String(T0) });
    // Sales accepts the lead in the dashboard (another process writing the same row).
    await a.db.$client.execute("UPDATE leads SET stage = 'sal'");
    await a.post(batch([pageview("/id", { type: "form", name: "contact" })], { visitor: "visitor_shared" }), {
      "x-test-now": String(T0 + MIN),
    });
    // 20 fit + 20 contact form crosses the MQL threshold, but an accepted lead is past MQL.
    expect(await rows(a, "SELECT stage FROM leads")).toEqual([{ stage: "sal" }]);
    expect(await rows(a, "SELECT count(*) AS n FROM stage_changes")).toEqual([{ n: 0 }]);
  });
});
