import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestCollector, type TestCollector } from "../testing/test-collector.ts";

describe("GET /t.js", () => {
  let t: TestCollector;
  beforeEach(async () => {
    t = await createTestCollector("window.leadtrail=1");
  });
  afterEach(() => t.cleanup());

  it("serves the tracker as cacheable JavaScript and answers 304 to a matching ETag", async () => {
    const res = await t.app.request("/t.js");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/javascript/);
    expect(res.headers.get("cache-control")).toContain("max-age=");
    expect(await res.text()).toBe("window.leadtrail=1");
    const etag = res.headers.get("etag");
    expect(etag).toBeTruthy();
    const again = await t.app.request("/t.js", { headers: { "if-none-match": etag ?? "" } });
    expect(again.status).toBe(304);
  });
});

describe("GET /healthz", () => {
  let t: TestCollector;
  beforeEach(async () => {
    t = await createTestCollector();
  });
  afterEach(() => t.cleanup());

  it("reports the database as reachable, and 503 once it is gone", async () => {
    const ok = await t.app.request("/healthz");
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ status: "ok", database: "ok" });
    t.db.$client.close();
    const down = await t.app.request("/healthz");
    expect(down.status).toBe(503);
  });
});
