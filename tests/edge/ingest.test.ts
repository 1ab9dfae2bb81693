// What the edge decides on its own and what the origin refuses: duplicates, bots, unknown sites
// and foreign origins (refused at the edge, nothing forwarded), the pixel and tracked links through
// the edge, and the origin's signed /internal/* endpoints against unsigned, wrongly signed, stale
// and replayed requests.
import { SIGNATURE_HEADER, signRequest } from "@leadtrail/collector";
import { createLink, type Site } from "@leadtrail/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VISITOR_USER_AGENT } from "../support/browser.ts";
import { EDGE_SECRET, type EdgeStack, startEdgeStack } from "../support/edge.ts";

const PAGE = "https://acme.test";
let n = 0;
const eventId = () => `edge_evt_${String(++n).padStart(6, "0")}_${Date.now()}`;

describe("the edge in front of the origin", () => {
  let stack: EdgeStack;
  let site: Site;

  beforeAll(async () => {
    stack = await startEdgeStack();
    site = await stack.site("edge_acme", ["acme.test"]);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  function post(body: unknown, headers: Record<string, string> = {}) {
    return fetch(`${stack.edge.url}/e`, {
      method: "POST",
      body: JSON.stringify(body),
      headers: { "content-type": "text/plain", origin: PAGE, "user-agent": VISITOR_USER_AGENT, ...headers },
    });
  }
  const batch = (ids: string[], extra: Record<string, unknown> = {}) => ({
    site: "edge_acme",
    visitor: "visitor_edge_1",
    sentAt: Date.now(),
    events: ids.map((id) => ({ id, type: "pageview", time: Date.now(), url: `${PAGE}/docs` })),
    ...extra,
  });
  const stored = async (ids: string[]) => (await stack.events(site.id)).filter((e) => ids.includes(e.clientId));

  it("stores a batch sent twice (and twice at once) once, and answers the repeats as duplicates", async () => {
    const ids = [eventId(), eventId()];
    const first = await post(batch(ids));
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ accepted: 2, duplicates: 0 });
    const again = await post(batch(ids));
    expect(await again.json()).toEqual({ accepted: 0, duplicates: 2 });
    expect(await stored(ids)).toHaveLength(2);

    const racing = [eventId()];
    const answers = await Promise.all([post(batch(racing)), post(batch(racing)), post(batch(racing))]);
    const bodies = (await Promise.all(answers.map((a) => a.json()))) as { accepted: number; duplicates: number }[];
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(bodies.reduce((s, b) => s + b.accepted, 0)).toBe(1);
    expect(bodies.reduce((s, b) => s + b.duplicates, 0)).toBe(2);
    expect(await stored(racing)).toHaveLength(1);
  });

  it("answers a bot 2xx and neither stores nor forwards anything", async () => {
    const before = await stack.counters();
    const ids = [eventId()];
    const res = await post(batch(ids), { "user-agent": "Googlebot/2.1 (+http://www.google.com/bot.html)" });
    expect(res.status).toBe(202);
    expect((await stack.counters()).edgeRequests).toBe(before.edgeRequests);
    expect(await stored(ids)).toEqual([]);
  });

  it("refuses an unknown site and a foreign origin at the edge, with nothing forwarded", async () => {
    const before = await stack.counters();
    const unknown = await post(batch([eventId()], { site: "no_such_site" }));
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: "unknown_site" } });
    const foreign = await post(batch([eventId()]), { origin: "https://evil.test" });
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toMatchObject({ error: { code: "forbidden_origin" } });
    const foreignPage = await post({
      ...batch([]),
      events: [{ id: eventId(), type: "pageview", time: Date.now(), url: "https://evil.test/" }],
    });
    expect(foreignPage.status).toBe(403);
    const malformed = await post({ site: "edge_acme", events: [{ id: "x", type: "explode" }] });
    expect(malformed.status).toBe(400);
    const after = await stack.counters();
    expect(after.edgeBatches).toBe(before.edgeBatches);
    expect(after.edgeRequests).toBe(before.edgeRequests);
  });

  it("records the pixel and tracked links through the edge", async () => {
    const id = eventId();
    const pixel = await fetch(
      `${stack.edge.url}/p.gif?site=edge_acme&u=${encodeURIComponent(`${PAGE}/mail`)}&id=${id}`,
      {
        headers: { "user-agent": VISITOR_USER_AGENT },
      },
    );
    expect(pixel.status).toBe(200);
    expect(pixel.headers.get("content-type")).toBe("image/gif");
    expect(await stored([id])).toEqual([expect.objectContaining({ type: "pageview", url: `${PAGE}/mail` })]);

    await createLink(stack.db, { siteId: site.id, code: "edge-poster", kind: "qr", target: `${PAGE}/landing` });
    const scan = await fetch(`${stack.edge.url}/r/edge-poster`, {
      redirect: "manual",
      headers: { "user-agent": VISITOR_USER_AGENT },
    });
    expect(scan.status).toBe(302);
    expect(scan.headers.get("location")).toBe(`${PAGE}/landing`);
    const scans = (await stack.events(site.id)).filter((e) => e.type === "qr_scan");
    expect(scans).toEqual([expect.objectContaining({ name: "edge-poster" })]);
  });

  describe("the origin's internal endpoints", () => {
    const body = () =>
      JSON.stringify({
        requests: [
          {
            bytes: 0,
            submission: {
              siteKey: "edge_acme",
              visitorId: "visitor_internal",
              ip: "203.0.113.9",
              userAgent: VISITOR_USER_AGENT,
              at: Date.now(),
              op: {
                kind: "events",
                siteId: site.id,
                browserIdentify: "unverified",
                source: {},
                events: [
                  {
                    clientId: eventId(),
                    type: "pageview",
                    url: `${PAGE}/x`,
                    clientTime: Date.now(),
                    receivedAt: Date.now(),
                  },
                ],
              },
            },
          },
        ],
      });
    const ingest = (text: string, signature?: string) =>
      fetch(`${stack.origin.url}/internal/ingest`, {
        method: "POST",
        body: text,
        headers: signature ? { [SIGNATURE_HEADER]: signature } : {},
      });
    const refusal = async (res: Response) => ({ status: res.status, body: await res.json() });

    it("commits a correctly signed batch", async () => {
      const text = body();
      const res = await ingest(text, await signRequest(EDGE_SECRET, "POST", "/internal/ingest", text));
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ results: [{ ok: { accepted: 1, duplicates: 0 } }] });
    });

    it("refuses unsigned, wrongly signed, stale and replayed requests and stores none of them", async () => {
      const before = (await stack.events(site.id)).length;
      const text = body();
      const unauthorized = { status: 401, body: { error: expect.objectContaining({ code: "unauthorized" }) } };
      expect(await refusal(await ingest(text))).toEqual(unauthorized);
      const wrongKey = await signRequest("another-secret-of-32-characters-or-more", "POST", "/internal/ingest", text);
      expect(await refusal(await ingest(text, wrongKey))).toEqual(unauthorized);
      const otherBody = await signRequest(EDGE_SECRET, "POST", "/internal/ingest", body());
      expect(await refusal(await ingest(text, otherBody))).toEqual(unauthorized);
      const stale = await signRequest(EDGE_SECRET, "POST", "/internal/ingest", text, Date.now() - 61_000);
      expect(await refusal(await ingest(text, stale))).toEqual(unauthorized);

      const signature = await signRequest(EDGE_SECRET, "POST", "/internal/ingest", text);
      expect((await ingest(text, signature)).status).toBe(200);
      const replay = await refusal(await ingest(text, signature));
      expect(replay).toEqual(unauthorized);
      expect(replay.body.error.message).toMatch(/replayed/);
      expect((await stack.events(site.id)).length).toBe(before + 1);
    });

    it("gives a site's domains only to a signed request", async () => {
      const path = "/internal/sites/edge_acme";
      expect((await fetch(`${stack.origin.url}${path}`)).status).toBe(401);
      const res = await fetch(`${stack.origin.url}${path}`, {
        headers: { [SIGNATURE_HEADER]: await signRequest(EDGE_SECRET, "GET", path, "") },
      });
      expect(await res.json()).toEqual({
        site: { id: site.id, publicKey: "edge_acme", domains: ["acme.test"], settings: {} },
      });
    });
  });
});
