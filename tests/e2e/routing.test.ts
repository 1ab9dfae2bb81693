// Routing end to end: a collector process, events over real HTTP make a lead an MQL, it is assigned
// to the right rep in the same commit, and signed `lead.mql` / `lead.assigned` webhooks reach a real
// HTTP receiver.
import { createDb, createSite, createWebhookEndpoint, type Database, migrate } from "@leadtrail/db";
import { verifyWebhookSignature } from "@leadtrail/workflows";
import { type SeededRouting, seedRouting } from "@leadtrail/workflows/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, type RunningProcess, startCollector, tempDatabase } from "../support/processes.ts";
import { startWebhookReceiver, type WebhookReceiver } from "../support/webhook-receiver.ts";

const UA =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const SECRET = "whsec_e2e";

describe("lead routing end to end", () => {
  const database = tempDatabase();
  let db: Database;
  let collector: RunningProcess;
  let receiver: WebhookReceiver;
  let ids: SeededRouting;

  beforeAll(async () => {
    receiver = await startWebhookReceiver("/leadtrail");
    const hookUrl = receiver.url;

    db = await createDb({ url: database.url });
    await migrate(db.$client);
    const site = await createSite(db, { publicKey: "e2e-routing", name: "E2E", domains: ["127.0.0.1", "localhost"] });
    ids = await seedRouting(db, site.id, {
      reps: [{ key: "dora" }, { key: "uma" }],
      pools: [
        { key: "dach", slaMinutes: 60, reps: ["dora"] },
        { key: "us", slaMinutes: 60, reps: ["uma"] },
      ],
      rules: [
        { key: "dach", pool: "dach", conditions: { regions: ["DACH"] } },
        { key: "us", pool: "us", conditions: { countries: ["US"] } },
      ],
    });
    await createWebhookEndpoint(db, {
      siteId: site.id,
      url: hookUrl,
      secret: SECRET,
      events: ["lead.mql", "lead.assigned"],
    });
    collector = await startCollector(database.url, { WEBHOOK_POLL_MS: "100", SLA_CHECK_INTERVAL_MS: "60000" });
  });

  afterAll(async () => {
    await collector?.stop();
    await receiver?.close();
    db?.$client.close();
    database.remove();
  });

  const post = (visitor: string, events: unknown[]) =>
    fetch(`${collector.url}/e`, {
      method: "POST",
      headers: { "content-type": "text/plain", origin: collector.url, "user-agent": UA },
      body: JSON.stringify({ site: "e2e-routing", visitor, sentAt: Date.now(), events }),
    });
  const event = (id: string, type: string, extra: Record<string, unknown> = {}) => ({
    id,
    type,
    time: Date.now(),
    url: `${collector.url}/demo/${type}`,
    ...extra,
  });

  it("assigns an MQL to the rep its rule names when the event is committed, and delivers signed webhooks", async () => {
    // Below the threshold first: a US VP identifies (fit 15 + 5 = 20), nothing is routed.
    const first = await post("v_e2e_routing", [
      event("evt_e2e_r_1", "identify", { email: "vp@bigcorp.test", traits: { seniority: "vp", country: "US" } }),
    ]);
    expect(first.status).toBe(200);
    expect((await db.$client.execute("SELECT count(*) AS n FROM lead_assignments")).rows).toEqual([{ n: 0 }]);

    // The contact form (+20) crosses 35: the answer comes after the commit that routed the lead.
    const sentAt = Date.now();
    const second = await post("v_e2e_routing", [event("evt_e2e_r_2", "form", { name: "contact" })]);
    expect(second.status).toBe(200);
    const assignments = (
      await db.$client.execute(
        "SELECT a.rep_id, a.rule_id, a.at, l.owner_id, l.stage FROM lead_assignments a JOIN leads l ON l.id = a.lead_id",
      )
    ).rows;
    expect(assignments).toEqual([
      expect.objectContaining({ rep_id: ids.users.uma, rule_id: ids.rules.us, owner_id: ids.users.uma, stage: "mql" }),
    ]);
    expect(Number(assignments[0]?.at)).toBeGreaterThanOrEqual(sentAt - 1000);

    const received = await eventually(async () => (receiver.hooks.length >= 2 ? receiver.hooks : undefined));
    expect(received.map((h) => h.headers["x-leadtrail-event"])).toEqual(["lead.mql", "lead.assigned"]);
    for (const hook of received) {
      const signature = String(hook.headers["x-leadtrail-signature"]);
      expect(await verifyWebhookSignature(SECRET, signature, hook.body, Math.floor(Date.now() / 1000))).toBe(true);
    }
    const assigned = JSON.parse(received[1]?.body ?? "{}");
    expect(assigned).toMatchObject({
      type: "lead.assigned",
      data: { lead: { email: "vp@bigcorp.test", ownerId: ids.users.uma }, assignment: { repId: ids.users.uma } },
    });
    const log = (await db.$client.execute("SELECT status, attempts, response_code FROM webhook_deliveries")).rows;
    expect(log).toEqual([
      { status: "delivered", attempts: 1, response_code: 204 },
      { status: "delivered", attempts: 1, response_code: 204 },
    ]);
  });
});
