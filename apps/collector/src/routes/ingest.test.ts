import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { batch, createTestCollector, pageview, type TestCollector } from "../testing/test-collector.ts";

async function storedEvents(t: TestCollector) {
  const rows = await t.db.$client.execute("SELECT client_id, path FROM events ORDER BY id");
  return rows.rows;
}

describe("POST /e", () => {
  let t: TestCollector;
  beforeEach(async () => {
    t = await createTestCollector();
  });
  afterEach(() => t.cleanup());

  it("stores a batch and answers with what was accepted, after the commit", async () => {
    const res = await t.post(batch([pageview("/pricing"), pageview("/blog")]));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ accepted: 2, duplicates: 0 });
    expect((await storedEvents(t)).map((r) => r.path)).toEqual(["/pricing", "/blog"]);
  });

  it("accepts a retried event id as a duplicate and stores it once", async () => {
    const event = pageview("/pricing");
    await t.post(batch([event]));
    const res = await t.post(batch([event, pageview("/contact")]));
    expect(await res.json()).toEqual({ accepted: 1, duplicates: 1 });
    expect(await storedEvents(t)).toHaveLength(2);
  });

  it.each([
    ["not JSON", "{nope", /not valid JSON/],
    ["no events", batch([]), /events/],
    ["unknown event type", batch([pageview("/", { type: "explode" })]), /type/],
    ["id too short", batch([pageview("/", { id: "x" })]), /id/],
    ["title over its cap", batch([pageview("/", { title: "t".repeat(600) })]), /title/],
    ["too many events", batch(Array.from({ length: 101 }, () => pageview())), /events/],
  ])("rejects %s with 400 and a reason, storing nothing", async (_name, body, reason) => {
    const res = await t.post(body);
    expect(res.status).toBe(400);
    const json = (await res.json()) as { error: { code: string; message: string } };
    expect(json.error.code).toBe("bad_request");
    expect(json.error.message).toMatch(reason);
    expect(await storedEvents(t)).toHaveLength(0);
  });

  it("refuses an invalid event on its own and stores the rest of the batch", async () => {
    const good = pageview("/pricing");
    const badEmail = { ...pageview("/newsletter"), type: "identify", email: "not-an-address" };
    const res = await t.post(batch([good, badEmail, pageview("/blog")]));
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      accepted: number;
      rejected: number;
      errors: { index: number; reason: string }[];
    };
    expect(body).toMatchObject({ accepted: 2, duplicates: 0, rejected: 1 });
    expect(body.errors[0]?.index).toBe(1);
    expect(body.errors[0]?.reason).toMatch(/^events\.1\.email/);
    expect((await storedEvents(t)).map((r) => r.path)).toEqual(["/pricing", "/blog"]);
  });

  it("answers 413 for a body over 512 KB", async () => {
    const res = await t.post("x".repeat(513 * 1024));
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("payload_too_large");
  });

  it("rejects an unknown site key without writing", async () => {
    const res = await t.post(batch([pageview()], { site: "nope" }));
    expect(res.status).toBe(404);
    expect(await storedEvents(t)).toHaveLength(0);
  });

  it.each([
    ["a foreign Origin header", { origin: "https://evil.test" }, pageview()],
    ["a foreign page URL", {}, { ...pageview(), url: "https://evil.test/" }],
  ])("rejects %s with 403 and writes nothing", async (_name, headers, event) => {
    const res = await t.post(batch([event]), headers);
    expect(res.status).toBe(403);
    expect(await storedEvents(t)).toHaveLength(0);
  });

  it("answers bots with 2xx and does not store their events", async () => {
    const res = await t.post(batch([pageview()]), { "user-agent": "Googlebot/2.1 (+http://www.google.com/bot.html)" });
    expect(res.status).toBe(202);
    expect(await storedEvents(t)).toHaveLength(0);
  });

  it("never allows credentials in CORS answers", async () => {
    const res = await t.app.request("/e", {
      method: "OPTIONS",
      headers: { origin: "https://acme.test", "access-control-request-method": "POST" },
    });
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
  });

  it("gives a cookieless visitor a hashed id that does not contain the IP", async () => {
    await t.post(batch([pageview()], { visitor: undefined }), { "x-test-ip": "198.51.100.23" });
    const rows = await t.db.$client.execute("SELECT id FROM visitors");
    const id = String(rows.rows[0]?.id);
    expect(id).toMatch(/^a_[0-9a-f]{24}$/);
    expect(id).not.toContain("198.51.100.23");
  });
});
