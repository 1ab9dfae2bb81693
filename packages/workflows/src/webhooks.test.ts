import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createWebhookEndpoint, insertOutbox, listWebhookDeliveries } from "@leadtrail/db";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFixture, type Fixture } from "./test-fixtures.ts";
import {
  deliverDueWebhooks,
  isAllowedWebhookUrl,
  retryDelay,
  SIGNATURE_HEADER,
  signWebhook,
  verifyWebhookSignature,
} from "./webhooks.ts";

describe("webhook signatures", () => {
  const body = '{"type":"lead.mql"}';
  const cases = [
    { name: "a valid signature", secret: "s", body, now: 1000, valid: true },
    { name: "a tampered body", secret: "s", body: '{"type":"lead.won"}', now: 1000, valid: false },
    { name: "the wrong secret", secret: "t", body, now: 1000, valid: false },
    { name: "an old timestamp (replay)", secret: "s", body, now: 1000 + 301, valid: false },
  ];
  for (const c of cases) {
    it(`${c.valid ? "accepts" : "rejects"} ${c.name}`, async () => {
      const header = await signWebhook("s", 1000, body);
      expect(header).toMatch(/^t=1000,v1=[0-9a-f]{64}$/);
      expect(await verifyWebhookSignature(c.secret, header, c.body, c.now)).toBe(c.valid);
    });
  }

  it("allows only http(s) URLs", () => {
    expect(["https://crm.test/hook", "http://127.0.0.1:8080/x"].map(isAllowedWebhookUrl)).toEqual([true, true]);
    expect(
      ["file:///etc/passwd", "javascript:alert(1)", "ftp://x.test/", "https://u:p@x.test/", "nope"].map(
        isAllowedWebhookUrl,
      ),
    ).toEqual([false, false, false, false, false]);
  });

  it("backs off exponentially up to a cap", () => {
    expect([1, 2, 3, 4, 10].map((n) => retryDelay(n, 1000, 5000))).toEqual([1000, 2000, 4000, 5000, 5000]);
  });
});

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real HTTP receiver on 127.0.0.1 that answers 500 `failures` times, then 204. */
async function startReceiver(failures: number): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  let left = failures;
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => {
      body += d;
    });
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      if (req.url === "/elsewhere") {
        res.writeHead(302, { location: "http://localhost.invalid/steal" }).end();
        return;
      }
      res.writeHead(left-- > 0 ? 500 : 204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

describe("webhook delivery", () => {
  let f: Fixture;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeEach(async () => {
    f = await createFixture();
    receiver = await startReceiver(2);
  });
  afterEach(async () => {
    await new Promise((r) => receiver.server.close(r));
    f.cleanup();
  });

  it("signs, retries with backoff after failures, and logs each attempt", async () => {
    const endpointId = await createWebhookEndpoint(f.db, {
      siteId: f.site.id,
      url: `${receiver.url}/hook`,
      secret: "whsec_test",
      events: ["lead.mql"],
    });
    await createWebhookEndpoint(f.db, {
      siteId: f.site.id,
      url: `${receiver.url}/other`,
      secret: "x",
      events: ["lead.erased"],
    });
    await insertOutbox(f.db, [
      {
        siteId: f.site.id,
        leadId: 1,
        eventType: "lead.mql",
        payload: { type: "lead.mql", data: { id: 1 } },
        createdAt: 0,
      },
    ]);
    let clock = 1_700_000_000_000;
    const options = { now: () => clock, retryBaseMs: 1000, maxAttempts: 5, timeoutMs: 2000 };

    expect(await deliverDueWebhooks(f.db, options)).toEqual({ dispatched: 1, attempted: 1, delivered: 0, failed: 0 });
    let [log] = await listWebhookDeliveries(f.db, { siteId: f.site.id });
    expect(log).toMatchObject({
      endpointId,
      status: "pending",
      attempts: 1,
      responseCode: 500,
      nextAttemptAt: clock + 1000,
    });
    // Not due yet: nothing is sent.
    expect((await deliverDueWebhooks(f.db, options)).attempted).toBe(0);

    clock += 1000;
    await deliverDueWebhooks(f.db, options);
    [log] = await listWebhookDeliveries(f.db, { siteId: f.site.id });
    expect(log).toMatchObject({ status: "pending", attempts: 2, nextAttemptAt: clock + 2000, lastError: "HTTP 500" });

    clock += 2000;
    expect(await deliverDueWebhooks(f.db, options)).toMatchObject({ attempted: 1, delivered: 1 });
    [log] = await listWebhookDeliveries(f.db, { siteId: f.site.id });
    expect(log).toMatchObject({ status: "delivered", attempts: 3, responseCode: 204, deliveredAt: clock });

    expect(receiver.received).toHaveLength(3);
    for (const r of receiver.received) {
      expect(r.body).toBe('{"type":"lead.mql","data":{"id":1}}');
      expect(r.headers["x-leadtrail-event"]).toBe("lead.mql");
      const signature = r.headers[SIGNATURE_HEADER.toLowerCase()] as string;
      expect(await verifyWebhookSignature("whsec_test", signature, r.body, Math.floor(clock / 1000), 3600)).toBe(true);
      expect(await verifyWebhookSignature("wrong", signature, r.body, Math.floor(clock / 1000), 3600)).toBe(false);
    }
    clock += 60_000;
    expect((await deliverDueWebhooks(f.db, options)).attempted).toBe(0);
  });

  it("gives up after the last attempt and does not follow a redirect to another host", async () => {
    await createWebhookEndpoint(f.db, {
      siteId: f.site.id,
      url: `${receiver.url}/elsewhere`,
      secret: "s",
      events: ["lead.assigned"],
    });
    await insertOutbox(f.db, [{ siteId: f.site.id, leadId: 1, eventType: "lead.assigned", payload: {}, createdAt: 0 }]);
    let clock = 0;
    const options = { now: () => clock, retryBaseMs: 10, maxAttempts: 2 };
    await deliverDueWebhooks(f.db, options);
    clock += 10;
    expect(await deliverDueWebhooks(f.db, options)).toMatchObject({ attempted: 1, failed: 1 });
    const [log] = await listWebhookDeliveries(f.db, { siteId: f.site.id });
    expect(log).toMatchObject({ status: "failed", attempts: 2, responseCode: 302 });
    expect(log?.lastError).toContain("not followed");
    // Only the two POSTs to the endpoint itself; the other host was never contacted.
    expect(receiver.received).toHaveLength(2);
  });
});
