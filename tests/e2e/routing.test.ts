// Routing end to end: a collector process, events over real HTTP make a lead an MQL, it is assigned
// to the right rep in the same commit, and signed `lead.mql` / `lead.assigned` webhooks reach a real
// HTTP receiver.
import { createDb, createWebhookEndpoint, type Database, migrate } from "@leadtrail/db";
import { verifyWebhookSignature } from "@leadtrail/workflows";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, type RunningProcess, startCollector, tempDatabase } from "../support/processes.ts";
import { type RoutedSite, seedRoutedSite, trackerClient } from "../support/routed-site.ts";
import { startWebhookReceiver, type WebhookReceiver } from "../support/webhook-receiver.ts";

const SECRET = "whsec_e2e";

describe("lead routing end to end", () => {
  const database = tempDatabase();
  let db: Database;
  let collector: RunningProcess;
  let receiver: WebhookReceiver;
  let ids: RoutedSite;

  beforeAll(async () => {
    receiver = await startWebhookReceiver("/leadtrail");
    const hookUrl = receiver.url;

    db = await createDb({ url: database.url });
    await migrate(db.$client);
    ids = await seedRoutedSite(db, "e2e-routing");
    await createWebhookEndpoint(db, {
      siteId: ids.siteId,
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

  const tracker = () => trackerClient(collector.url, "e2e-routing");

  it("assigns an MQL to the rep its rule names when the event is committed, and delivers signed webhooks", async () => {
    // Below the threshold first: a US VP identifies (fit 15 + 5 = 20), nothing is routed.
    const first = await tracker().post("v_e2e_routing", [
      tracker().event("evt_e2e_r_1", "identify", {
        email: "vp@bigcorp.test",
        traits: { seniority: "vp", country: "US" },
      }),
    ]);
    expect(first.status).toBe(200);
    expect((await db.$client.execute("SELECT count(*) AS n FROM lead_assignments")).rows).toEqual([{ n: 0 }]);

    // The contact form (+20) crosses 35: the answer comes after the commit that routed the lead.
    const sentAt = Date.now();
    const second = await tracker().post("v_e2e_routing", [tracker().event("evt_e2e_r_2", "form", { name: "contact" })]);
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
