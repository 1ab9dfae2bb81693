// The scan → landing stitch through the collector app: a QR scan without `v=` is recorded for the
// cookieless hash; the landing page's first batch with the redirect's `lt_s` token moves the scan
// and its points to the tracker's visitor, once.
import { createLink, createSite } from "@leadtrail/db";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BROWSER_UA, batch, createTestCollector, pageview, type TestCollector } from "../testing/test-collector.ts";
import { createLinkTokens, LINK_TOKEN_TTL_MS } from "./link-token.ts";

const PHONE = "visitor_phone_01";

describe("scan → landing stitch", () => {
  let t: TestCollector;
  beforeEach(async () => {
    t = await createTestCollector();
    await createLink(t.db, {
      siteId: t.site.id,
      code: "spring-poster",
      kind: "qr",
      target: "https://acme.test/products",
      utm: { utm_source: "poster", utm_medium: "qr", utm_campaign: "spring" },
    });
  });
  afterEach(() => t.cleanup());

  async function rows(sql: string) {
    return (await t.db.$client.execute(sql)).rows;
  }

  async function scan(): Promise<{ token: string; hash: string }> {
    const res = await t.app.request("/r/spring-poster", { headers: { "user-agent": BROWSER_UA } });
    expect(res.status).toBe(302);
    const token = new URL(res.headers.get("location") ?? "").searchParams.get("lt_s");
    expect(token).toBeTruthy();
    const [event] = await rows("SELECT visitor_id FROM events WHERE type = 'qr_scan'");
    return { token: token ?? "", hash: String(event?.visitor_id) };
  }

  const ledger = () => rows("SELECT rule_id, delta, visitor_id FROM score_ledger ORDER BY id");
  const scoreOf = async (id: string) =>
    Number((await rows(`SELECT engagement_score AS s FROM visitors WHERE id = '${id}'`))[0]?.s ?? Number.NaN);

  it("moves the scan and its +5 to the landing browser, which then signs up with all its points", async () => {
    const { token, hash } = await scan();
    expect(hash).toMatch(/^a_/);
    expect(await ledger()).toEqual([{ rule_id: "qr-poster-scan", delta: 5, visitor_id: hash }]);

    const res = await t.post(batch([pageview("/products")], { visitor: PHONE, link: token }));
    expect(res.status).toBe(200);
    expect(await rows("SELECT visitor_id FROM events WHERE type = 'qr_scan'")).toEqual([{ visitor_id: PHONE }]);
    expect(await ledger()).toEqual([{ rule_id: "qr-poster-scan", delta: 5, visitor_id: PHONE }]);
    // Engagement decays on the real clock between the writes (7e-7 after a few busy seconds): 3 places.
    expect(await scoreOf(PHONE)).toBeCloseTo(5, 3);
    expect(await scoreOf(hash)).toBe(0);

    await t.post(
      batch([pageview("/newsletter", { type: "form", name: "newsletter", email: "jana@industrie.example" })], {
        visitor: PHONE,
      }),
    );
    const [lead] = await rows("SELECT id, engagement_score FROM leads");
    expect(Number(lead?.engagement_score)).toBeCloseTo(12, 3); // QR 5 + newsletter 7
    expect(await rows("SELECT rule_id, lead_id FROM score_ledger WHERE kind = 'engagement' ORDER BY id")).toEqual([
      { rule_id: "qr-poster-scan", lead_id: lead?.id },
      { rule_id: "newsletter-signup", lead_id: lead?.id },
    ]);
  });

  it("uses a token once: a replay from another browser moves nothing", async () => {
    const { token } = await scan();
    await t.post(batch([pageview("/products")], { visitor: PHONE, link: token }));
    await t.post(batch([pageview("/products")], { visitor: "visitor_thief_1", link: token }));
    expect(await rows("SELECT visitor_id FROM events WHERE type = 'qr_scan'")).toEqual([{ visitor_id: PHONE }]);
    expect(await scoreOf("visitor_thief_1")).toBe(0);
  });

  it.each([
    ["forged", async (token: string) => `${token.slice(0, -2)}AA`, {}],
    ["cookieless (no visitor id)", async (token: string) => token, { visitor: undefined }],
    [
      "of another site",
      async () => {
        const other = await createSite(t.db, { publicKey: "other", name: "Other", domains: ["other.test"] });
        const [event] = await rows("SELECT client_id FROM events");
        return createLinkTokens("test-secret").sign({
          siteId: other.id,
          eventId: String(event?.client_id),
          expiresAt: Date.now() + 60_000,
        });
      },
      {},
    ],
  ])("keeps the scan on the cookieless visitor when the token is %s", async (_name, make, extra) => {
    const { token, hash } = await scan();
    const res = await t.post(batch([pageview("/products")], { visitor: PHONE, link: await make(token), ...extra }));
    expect(res.status).toBe(200);
    expect(await rows("SELECT visitor_id FROM events WHERE type = 'qr_scan'")).toEqual([{ visitor_id: hash }]);
    expect(await ledger()).toEqual([{ rule_id: "qr-poster-scan", delta: 5, visitor_id: hash }]);
  });

  it("ignores an expired token", async () => {
    const { token, hash } = await scan();
    const late = String(Date.now() + LINK_TOKEN_TTL_MS + 1000);
    await t.post(batch([pageview("/products")], { visitor: PHONE, link: token }), { "x-test-now": late });
    expect(await rows("SELECT visitor_id FROM events WHERE type = 'qr_scan'")).toEqual([{ visitor_id: hash }]);
  });

  it("adds no token when the link already names the visitor", async () => {
    const res = await t.app.request("/r/spring-poster?v=visitor_known1", { headers: { "user-agent": BROWSER_UA } });
    expect(new URL(res.headers.get("location") ?? "").searchParams.has("lt_s")).toBe(false);
  });
});
