import { recordSiteRefusal, siteInstallStatus } from "@leadtrail/db";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BROWSER_UA, batch, createTestCollector, pageview, type TestCollector } from "../testing/test-collector.ts";
import { createRefusalLog } from "./refusals.ts";

async function until<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error("condition not met");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("refused requests for the install check", () => {
  let t: TestCollector;
  beforeEach(async () => {
    t = await createTestCollector();
  });
  afterEach(() => t.cleanup());

  const status = () => siteInstallStatus(t.db, "site_test");

  it.each([
    [
      "a foreign origin",
      () => t.post(batch([pageview("/")]), { origin: "https://shop.example.com" }),
      403,
      { host: "shop.example.com", reason: "forbidden_origin" },
    ],
    [
      "a foreign page without an Origin",
      () => t.post(batch([{ ...pageview("/"), url: "https://other.example.org/x" }]), { origin: "" }).then((r) => r),
      403,
      { reason: "forbidden_origin" },
    ],
    [
      "a headless browser",
      () => t.post(batch([pageview("/")]), { "user-agent": "Mozilla/5.0 HeadlessChrome/131.0" }),
      202,
      { host: "acme.test", reason: "bot" },
    ],
    [
      "a malformed batch of a known site",
      () => t.post({ site: "site_test", visitor: "v", sentAt: "yesterday", events: [] }),
      400,
      { host: "acme.test", reason: "bad_request" },
    ],
  ])("notes %s with its host and reason, and nothing else", async (_name, send, code, expected) => {
    const res = await send();
    expect(res.status).toBe(code);
    const noted = await until(async () => (await status())?.refusal ?? undefined);
    expect(noted).toMatchObject({ ...expected, count: 1 });
    expect((await status())?.firstEventAt).toBeNull();
  });

  it("writes a flood of refusals at most once per window, with the count of all of them", async () => {
    let writes = 0;
    const log = createRefusalLog(async (siteId, refusal) => {
      writes++;
      await recordSiteRefusal(t.db, siteId, refusal);
    }, 300);
    const start = Date.now();
    for (let i = 0; i < 500; i++) log.note(t.site.id, "shop.example.com", "forbidden_origin", start);
    expect(writes).toBe(1); // the first at once: the admin sees it on the next poll
    const total = await until(async () => {
      const r = (await status())?.refusal;
      return r && r.count === 500 ? r : undefined;
    });
    expect(total).toMatchObject({ host: "shop.example.com", reason: "forbidden_origin", count: 500 });
    expect(writes).toBe(2);
  });

  it("keeps to the window when request times run backwards, as in the demo loader's replay", async () => {
    let writes = 0;
    const log = createRefusalLog(async () => {
      writes++;
    }, 60_000);
    const start = Date.now();
    log.note(t.site.id, "localhost", "bot", start);
    // Two months earlier: an overflowing or negative delay would write again at once.
    for (let i = 0; i < 50; i++) log.note(t.site.id, "localhost", "bot", start - 60 * 86_400_000 + i);
    await new Promise((r) => setTimeout(r, 200));
    expect(writes).toBe(1);
  });

  it("keeps nothing personal: a host, a reason, a time and a count", async () => {
    await t.post(batch([pageview("/")], { visitor: "visitor_private1" }), {
      origin: "https://shop.example.com",
      "x-test-ip": "198.51.100.23",
      "user-agent": BROWSER_UA,
    });
    const row = await until(async () => (await t.db.$client.execute("SELECT * FROM site_refusals")).rows[0]);
    expect(Object.keys(row).sort()).toEqual(["at", "count", "host", "reason", "site_id"]);
    expect(JSON.stringify(row)).not.toMatch(/198\.51|visitor_private1|Mozilla/);
  });
});
