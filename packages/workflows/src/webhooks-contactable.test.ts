// Outbound webhooks and cold acquisition: a cold lead without a legal basis is skipped by the
// webhook worker (no delivery, nothing reaches the receiver) until a basis is recorded.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createWebhookEndpoint, insertOutbox, recordLeadAcquisition } from "@leadtrail/db";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFixture, type Fixture } from "./test-fixtures.ts";
import { deliverDueWebhooks } from "./webhooks.ts";

describe("webhooks to outbound tools skip cold leads without a legal basis", () => {
  let f: Fixture;
  let server: Server;
  let received: string[];
  let url: string;
  beforeEach(async () => {
    f = await createFixture();
    received = [];
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (d) => {
        body += d;
      });
      req.on("end", () => {
        received.push(body);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterEach(async () => {
    await new Promise((r) => server.close(r));
    f.cleanup();
  });

  const cases = [
    { name: "a warm lead without a basis", acquisition: "warm", basis: null, sent: true },
    { name: "a cold lead with consent", acquisition: "cold", basis: "consent", sent: true },
    { name: "a cold lead with legitimate interest", acquisition: "cold", basis: "legitimate_interest", sent: true },
    { name: "a cold lead without a basis", acquisition: "cold", basis: null, sent: false },
  ] as const;
  for (const c of cases) {
    it(`${c.sent ? "sends" : "skips"} ${c.name}`, async () => {
      const leadId = await f.lead(`${c.acquisition}-${c.basis ?? "none"}@lead.test`);
      await f.db.$client.execute({
        sql: "UPDATE leads SET acquisition = ?, legal_basis = ? WHERE id = ?",
        args: [c.acquisition, c.basis, leadId],
      });
      await createWebhookEndpoint(f.db, { siteId: f.site.id, url, secret: "s", events: ["lead.mql"] });
      await insertOutbox(f.db, [
        { siteId: f.site.id, leadId, eventType: "lead.mql", payload: { id: leadId }, createdAt: 0 },
      ]);
      const run = await deliverDueWebhooks(f.db, { now: () => 1_000 });
      expect(run).toMatchObject({ dispatched: c.sent ? 1 : 0, delivered: c.sent ? 1 : 0 });
      expect(received).toEqual(c.sent ? [JSON.stringify({ id: leadId })] : []);
      // A skipped row is settled, not retried: a later run sends nothing either.
      await deliverDueWebhooks(f.db, { now: () => 2_000 });
      expect(received).toHaveLength(c.sent ? 1 : 0);
    });
  }

  it("sends the lead's next events once a basis is recorded", async () => {
    const leadId = await f.lead("cold@lead.test");
    await f.db.$client.execute({ sql: "UPDATE leads SET acquisition = 'cold' WHERE id = ?", args: [leadId] });
    await createWebhookEndpoint(f.db, { siteId: f.site.id, url, secret: "s", events: ["lead.stage_changed"] });
    const enqueue = (n: number) =>
      insertOutbox(f.db, [
        { siteId: f.site.id, leadId, eventType: "lead.stage_changed", payload: { n }, createdAt: 0 },
      ]);
    await enqueue(1);
    await deliverDueWebhooks(f.db, { now: () => 1_000 });
    expect(received).toEqual([]);
    await recordLeadAcquisition(f.db, { leadId, legalBasis: "contract", actor: "user:1", at: 1_500 });
    await enqueue(2);
    await deliverDueWebhooks(f.db, { now: () => 2_000 });
    expect(received).toEqual([JSON.stringify({ n: 2 })]);
  });
});
