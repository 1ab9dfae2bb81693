// The seed article's journey through the real collector process over HTTP: a poster QR code
// (+5), a click on a product image (+3), the newsletter sign-up that names the visitor (+7), and a
// look at the careers page that takes points away (−10). Plain HTTP in the tracker's wire format.
import { DEMO_LINKS } from "@leadtrail/collector";
import { createDb, createLink, createSite, type Database, migrate } from "@leadtrail/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningProcess, startCollector, tempDatabase } from "../support/processes.ts";

const UA =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";
const VISITOR = "journey0visitor1";

describe("seed journey: poster QR → product image → newsletter → careers", () => {
  const database = tempDatabase();
  let db: Database;
  let collector: RunningProcess;
  let seq = 0;

  beforeAll(async () => {
    db = await createDb({ url: database.url });
    await migrate(db.$client);
    const site = await createSite(db, { publicKey: "journey", name: "Journey", domains: ["127.0.0.1"] });
    for (const link of DEMO_LINKS) {
      await createLink(db, {
        siteId: site.id,
        code: link.code,
        kind: link.kind,
        target: link.targetPath,
        utm: link.utm,
      });
    }
    collector = await startCollector(database.url, { DEMO_SITE_KEY: "journey" });
  });

  afterAll(async () => {
    await collector?.stop();
    db?.$client.close();
    database.remove();
  });

  async function send(events: Record<string, unknown>[]) {
    const origin = collector.url;
    const wire = events.map((e) => ({ id: `journey_evt_${++seq}`, time: Date.now(), ...e, url: `${origin}${e.url}` }));
    const res = await fetch(`${origin}/e`, {
      method: "POST",
      headers: { "content-type": "text/plain", origin, "user-agent": UA },
      body: JSON.stringify({ site: "journey", visitor: VISITOR, sentAt: Date.now(), events: wire }),
    });
    expect(res.status).toBe(200);
    return res.json();
  }

  async function ledger() {
    const rows = await db.$client.execute(
      "SELECT rule_id, delta, lead_id FROM score_ledger WHERE kind = 'engagement' AND visitor_id = ? ORDER BY id",
      [VISITOR],
    );
    return rows.rows.map((r) => ({ rule: r.rule_id, delta: r.delta, leadId: r.lead_id }));
  }

  it("scores each step in the ledger, names the lead, and takes points away for careers", async () => {
    const poster = DEMO_LINKS.find((l) => l.kind === "qr");
    if (!poster) throw new Error("the demo has no QR link");
    const scan = await fetch(`${collector.url}/r/${poster.code}?v=${VISITOR}`, {
      redirect: "manual",
      headers: { "user-agent": UA },
    });
    expect(scan.status).toBe(302);
    const landing = new URL(scan.headers.get("location") ?? "");
    expect(landing.pathname).toBe(poster.targetPath);
    expect(landing.searchParams.get("utm_medium")).toBe(poster.utm.utm_medium);

    const campaign = { ...poster.utm };
    await send([
      { type: "pageview", url: landing.pathname + landing.search, title: "Lead Scoring", campaign },
      { type: "click", name: "product_image", url: landing.pathname, props: { product: "lead-scoring" } },
    ]);
    await send([
      { type: "pageview", url: "/demo/newsletter" },
      {
        type: "form",
        name: "newsletter",
        url: "/demo/newsletter",
        email: "jana.becker@example-industrie.de",
        traits: { name: "Jana Becker" },
      },
    ]);

    const lead = (await db.$client.execute("SELECT id, email, engagement_score, stage FROM leads")).rows;
    expect(lead).toHaveLength(1);
    const leadId = lead[0]?.id;
    expect(lead[0]?.email).toBe("jana.becker@example-industrie.de");
    expect(await ledger()).toEqual([
      { rule: "qr-poster-scan", delta: 5, leadId },
      { rule: "product-image-click", delta: 3, leadId },
      { rule: "newsletter-signup", delta: 7, leadId },
    ]);
    expect(Number(lead[0]?.engagement_score)).toBeCloseTo(15, 2);

    await send([{ type: "pageview", url: "/demo/careers" }]);
    const after = (await db.$client.execute("SELECT engagement_score, fit_score, stage FROM leads")).rows[0];
    expect((await ledger()).at(-1)).toEqual({ rule: "careers-page", delta: -10, leadId });
    expect(Number(after?.engagement_score)).toBeCloseTo(5, 2);
    expect(after?.stage).toBe("lead"); // 5 engagement + 5 business e-mail fit: far from the MQL threshold
    expect(after?.fit_score).toBe(5);
  });
});
