import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createWebhookEndpoint, insertOutbox } from "@leadtrail/db";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { slackMessage } from "./slack.ts";
import { createFixture, type Fixture } from "./test-fixtures.ts";
import { deliverDueWebhooks, SIGNATURE_HEADER, verifyWebhookSignature } from "./webhooks.ts";

const assigned = JSON.stringify({
  type: "lead.assigned",
  createdAt: 1,
  data: {
    lead: { id: 12, email: "ada@example.com", name: "Ada <b>&</b>", stage: "mql" },
    assignment: { repId: 3, trigger: "mql" },
  },
});

describe("slackMessage", () => {
  const cases = [
    {
      name: "an assignment: who, stage, how, and a link to the lead",
      type: "lead.assigned",
      payload: assigned,
      text: "Lead assigned: Ada &lt;b&gt;&amp;&lt;/b&gt; (ada@example.com) — stage mql, via mql https://dash.test/leads/12",
    },
    {
      name: "an MQL with its score",
      type: "lead.mql",
      payload: JSON.stringify({
        type: "lead.mql",
        data: { lead: { id: 5, email: "e@x.test", stage: "mql" }, score: 35.25 },
      }),
      text: "New MQL: e@x.test — stage mql, score 35.3 https://dash.test/leads/5",
    },
    {
      name: "an erasure: ids only, no link",
      type: "lead.erased",
      payload: JSON.stringify({ type: "lead.erased", data: { leadId: 9 } }),
      text: "Lead erased #9",
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const message = slackMessage(c.type, c.payload, "https://dash.test/");
      expect(message.text).toBe(c.text);
      expect(message.blocks).toHaveLength(1);
      expect(message.blocks[0]?.text.type).toBe("mrkdwn");
    });
  }

  it("escapes visitor text in the blocks, so a name cannot become a link or mention", () => {
    const payload = JSON.stringify({
      type: "lead.assigned",
      data: { lead: { id: 1, email: "x@y.test", name: "<https://evil.test|click> <!channel>" } },
    });
    const block = slackMessage("lead.assigned", payload, "https://dash.test").blocks[0]?.text.text ?? "";
    expect(block).not.toContain("<https://evil.test");
    expect(block).not.toContain("<!channel>");
    expect(block).toContain("&lt;!channel&gt;");
    expect(block).toContain("<https://dash.test/leads/1|Open the lead>");
  });
});

describe("Slack-format webhook delivery", () => {
  let f: Fixture;
  let server: Server;
  let url: string;
  const received: { body: string; signature: string }[] = [];
  beforeEach(async () => {
    f = await createFixture();
    received.length = 0;
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (d) => {
        body += d;
      });
      req.on("end", () => {
        received.push({ body, signature: String(req.headers[SIGNATURE_HEADER.toLowerCase()]) });
        res.writeHead(200).end("ok");
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    await new Promise((r) => server.close(r));
    f.cleanup();
  });

  it("sends a Slack endpoint the chat message and a JSON endpoint the event, from the same outbox row", async () => {
    await createWebhookEndpoint(f.db, {
      siteId: f.site.id,
      url: `${url}/slack`,
      secret: "s1",
      events: ["lead.assigned"],
      format: "slack",
    });
    await createWebhookEndpoint(f.db, {
      siteId: f.site.id,
      url: `${url}/json`,
      secret: "s2",
      events: ["lead.assigned"],
    });
    await insertOutbox(f.db, [
      { siteId: f.site.id, leadId: 12, eventType: "lead.assigned", payload: JSON.parse(assigned), createdAt: 1 },
    ]);
    const clock = 1_700_000_000_000;
    const result = await deliverDueWebhooks(f.db, { now: () => clock, dashboardUrl: "https://dash.test" });
    expect(result).toMatchObject({ attempted: 2, delivered: 2 });
    const slack = received.find((r) => r.body.startsWith('{"text"'));
    const json = received.find((r) => r.body.startsWith('{"type"'));
    expect(JSON.parse(slack?.body ?? "{}")).toEqual(slackMessage("lead.assigned", assigned, "https://dash.test"));
    expect(JSON.parse(slack?.body ?? "{}").text).toContain("https://dash.test/leads/12");
    expect(json?.body).toBe(assigned);
    // Both are signed over the body actually sent.
    expect(await verifyWebhookSignature("s1", slack?.signature, slack?.body ?? "", clock / 1000)).toBe(true);
    expect(await verifyWebhookSignature("s2", json?.signature, json?.body ?? "", clock / 1000)).toBe(true);
  });
});
