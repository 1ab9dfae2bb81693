// First-touch campaign attribution and the acquisition / legal basis a backend states on identify,
// through the real app (redirect, ingest, identify) into a real database.
import { createLink, insertCampaign } from "@leadtrail/db";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BROWSER_UA, batch, createTestCollector, pageview, type TestCollector } from "../testing/test-collector.ts";

const T0 = Date.UTC(2026, 3, 1, 9);
const SECRET = "sk_test_secret";
const at = (ms: number) => ({ "x-test-now": String(ms) });

const campaignInput = (name: string, utmCampaign: string | null) => ({
  name,
  channel: "paid",
  utmCampaign,
  startsAt: null,
  endsAt: null,
  budget: null,
  ownerId: null,
  goals: [],
});

describe("lead origin", () => {
  let t: TestCollector;
  let spring: number;
  let poster: number;
  beforeEach(async () => {
    t = await createTestCollector();
    spring = (await insertCampaign(t.db, t.site.id, campaignInput("Spring", "spring"))).id;
    // A print campaign whose QR code carries a utm_campaign no campaign uses: only the link ties it.
    poster = (await insertCampaign(t.db, t.site.id, campaignInput("Poster", null))).id;
    await createLink(t.db, {
      siteId: t.site.id,
      code: "poster-qr",
      kind: "qr",
      target: "/landing",
      campaignId: poster,
      utm: { utm_source: "poster", utm_medium: "qr", utm_campaign: "print-2026" },
    });
  });
  afterEach(() => t.cleanup());

  const identifyApi = (body: Record<string, unknown>, now = T0 + 60_000) =>
    t.app.request("/v1/identify", {
      method: "POST",
      headers: { authorization: `Bearer ${SECRET}`, "content-type": "application/json", ...at(now) },
      body: JSON.stringify({ site: "site_test", ...body }),
    });
  const leadRow = async (email: string) =>
    (
      await t.db.$client.execute({
        sql: "SELECT id, campaign_id, acquisition, legal_basis, legal_basis_at FROM leads WHERE email = ?",
        args: [email],
      })
    ).rows[0];

  const touches: {
    name: string;
    /** Campaign contexts of the visitor's visits before identifying, in order. */
    visits: (Record<string, string> | null)[];
    expected: () => number | null;
  }[] = [
    { name: "a visit with the campaign's UTM", visits: [{ utm_campaign: "spring" }], expected: () => spring },
    {
      name: "the first of two campaigns (first touch)",
      visits: [null, { utm_campaign: "spring" }, { utm_campaign: "print-2026" }],
      expected: () => spring,
    },
    { name: "a UTM no campaign of the site uses", visits: [{ utm_campaign: "unknown" }], expected: () => null },
    { name: "no campaign at all", visits: [null], expected: () => null },
  ];
  for (const c of touches) {
    it(`attributes a browser-identified lead to ${c.name}`, async () => {
      let now = T0;
      for (const campaign of c.visits) {
        now += 3_600_000;
        const event = pageview("/pricing", campaign ? { campaign } : {});
        expect((await t.post(batch([event], { visitor: "visitor_ft" }), at(now))).status).toBe(200);
      }
      const identify = pageview("/signup", { type: "identify", email: "ft@lead.test" });
      await t.post(batch([identify], { visitor: "visitor_ft" }), at(now + 1000));
      expect((await leadRow("ft@lead.test"))?.campaign_id ?? null).toBe(c.expected());
    });
  }

  it("attributes a lead to the campaign of the QR code its browser scanned, identified later by the API", async () => {
    const scan = await t.app.request("/r/poster-qr?v=visitor_scan", {
      headers: { "user-agent": BROWSER_UA, ...at(T0) },
    });
    expect(scan.status).toBe(302);
    const res = await identifyApi({ email: "scan@lead.test", visitor: "visitor_scan" });
    expect(res.status).toBe(201);
    expect((await leadRow("scan@lead.test"))?.campaign_id).toBe(poster);
  });

  it("keeps the first-touch campaign when the lead is identified again after another campaign", async () => {
    await t.post(
      batch([pageview("/a", { campaign: { utm_campaign: "spring" } })], { visitor: "visitor_again" }),
      at(T0),
    );
    expect((await identifyApi({ email: "again@lead.test", visitor: "visitor_again" }, T0 + 1000)).status).toBe(201);
    await t.app.request("/r/poster-qr?v=visitor_again", { headers: { "user-agent": BROWSER_UA, ...at(T0 + 2000) } });
    expect((await identifyApi({ email: "again@lead.test", visitor: "visitor_again" }, T0 + 3000)).status).toBe(200);
    expect((await leadRow("again@lead.test"))?.campaign_id).toBe(spring);
  });

  it("records acquisition and legal basis passed to POST /v1/identify, with a note in the history", async () => {
    const res = await identifyApi({ email: "cold@lead.test", acquisition: "cold", legalBasis: "legitimate_interest" });
    expect(res.status).toBe(201);
    const row = await leadRow("cold@lead.test");
    expect(row).toMatchObject({ acquisition: "cold", legal_basis: "legitimate_interest", legal_basis_at: T0 + 60_000 });
    const notes = await t.db.$client.execute({
      sql: "SELECT actor, reason FROM stage_changes WHERE lead_id = ? AND from_stage = to_stage",
      args: [Number(row?.id)],
    });
    expect(notes.rows.map((r) => [r.actor, r.reason])).toEqual([
      ["api", "acquisition: cold; legal basis: legitimate_interest"],
    ]);
    // Without the fields a lead is warm with no basis recorded.
    expect((await identifyApi({ email: "warm@lead.test" })).status).toBe(201);
    expect(await leadRow("warm@lead.test")).toMatchObject({ acquisition: "warm", legal_basis: null });
  });

  const invalid = [
    { field: "acquisition", body: { acquisition: "lukewarm" } },
    { field: "legalBasis", body: { legalBasis: "none" } },
    { field: "legalBasis", body: { legalBasis: 1 } },
  ];
  for (const c of invalid) {
    it(`refuses ${JSON.stringify(c.body)} with a 400 naming ${c.field}, and creates nothing`, async () => {
      const res = await identifyApi({ email: "bad@lead.test", ...c.body });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("bad_request");
      expect(body.error.message).toContain(c.field);
      expect(await leadRow("bad@lead.test")).toBeUndefined();
    });
  }
});
