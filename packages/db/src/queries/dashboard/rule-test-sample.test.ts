import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "../../testing.ts";
import { createSite } from "../sites.ts";
import { ruleTestEvents } from "./rule-test-sample.ts";

const T0 = Date.UTC(2026, 4, 4, 9);

describe("ruleTestEvents", () => {
  let t: TestDb;
  let siteId: number;
  let otherSite: number;
  beforeEach(async () => {
    t = await createTestDb();
    siteId = (await createSite(t.db, { publicKey: "s", name: "S", domains: ["s.test"] })).id;
    otherSite = (await createSite(t.db, { publicKey: "o", name: "O", domains: ["o.test"] })).id;
    const visitor = (id: string, site: number, firstSeenAt: number) =>
      t.db.$client.execute({
        sql: "INSERT INTO visitors (site_id, id, first_seen_at, last_seen_at) VALUES (?, ?, ?, ?)",
        args: [site, id, firstSeenAt, firstSeenAt],
      });
    await visitor("old_browser", siteId, T0 - 90 * 86_400_000);
    await visitor("new_browser", siteId, T0);
    let n = 0;
    const event = (site: number, visitorId: string, at: number, path: string) =>
      t.db.$client.execute({
        sql: `INSERT INTO events (site_id, client_id, visitor_id, type, path, props, received_at)
              VALUES (?, ?, ?, 'pageview', ?, '{"plan":"pro"}', ?)`,
        args: [site, `c${++n}`, visitorId, path, at],
      });
    await event(siteId, "new_browser", T0 + 3000, "/c");
    await event(siteId, "old_browser", T0 + 1000, "/a");
    await event(siteId, "new_browser", T0, "/b");
    await event(siteId, "old_browser", T0 - 40 * 86_400_000, "/too-old");
    await event(otherSite, "old_browser", T0 + 2000, "/other-site");
  });
  afterEach(() => t.cleanup());

  it("reads the site's events since the cut, by browser then time, with whether the browser was seen before", async () => {
    const rows = await ruleTestEvents(t.db, siteId, T0 - 30 * 86_400_000);
    expect(rows.map((r) => [r.visitorId, r.path, r.seenBefore])).toEqual([
      ["new_browser", "/b", false],
      ["new_browser", "/c", false],
      ["old_browser", "/a", true],
    ]);
    expect(rows[0]?.props).toEqual({ plan: "pro" });
  });

  it("is bounded to the newest events", async () => {
    const rows = await ruleTestEvents(t.db, siteId, 0, 2);
    // The two newest (/c, /a), still ordered by browser for the matcher.
    expect(rows.map((r) => r.path)).toEqual(["/c", "/a"]);
  });
});
