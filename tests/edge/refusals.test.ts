// Refusals seen at the edge reach the origin's install check (`site_refusals`) through the signed
// POST /internal/refusals, throttled per site; the origin refuses unsigned and badly signed reports.
import { SIGNATURE_HEADER, signRequest } from "@leadtrail/collector";
import { type Site, siteInstallStatus } from "@leadtrail/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VISITOR_USER_AGENT } from "../support/browser.ts";
import { EDGE_SECRET, type EdgeStack, startEdgeStack } from "../support/edge.ts";
import { eventually } from "../support/processes.ts";

describe("refusals at the edge and the origin's install check", () => {
  let stack: EdgeStack;

  beforeAll(async () => {
    stack = await startEdgeStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  let n = 0;
  const refusalOf = async (key: string) => (await siteInstallStatus(stack.db, key))?.refusal ?? null;
  const postFrom = (origin: string, site: string) =>
    fetch(`${stack.edge.url}/e`, {
      method: "POST",
      body: JSON.stringify({
        site,
        visitor: "visitor_refused",
        sentAt: Date.now(),
        events: [{ id: `refused_${Date.now()}_${++n}`, type: "pageview", time: Date.now(), url: `${origin}/` }],
      }),
      headers: { "content-type": "text/plain", origin, "user-agent": VISITOR_USER_AGENT },
    });

  it("records a foreign origin refused at the edge in the origin's site_refusals, later ones with their count", async () => {
    await stack.site("edge_refused", ["acme.test"]);
    const first = await postFrom("https://evil.test", "edge_refused");
    expect(first.status).toBe(403);
    expect(await eventually(() => refusalOf("edge_refused").then((r) => r ?? undefined), 20_000)).toMatchObject({
      host: "evil.test",
      reason: "forbidden_origin",
      count: 1,
    });
    // Inside the throttle window: answered at once, reported when the window has passed.
    expect((await postFrom("https://other-evil.test", "edge_refused")).status).toBe(403);
    const later = await eventually(
      () => refusalOf("edge_refused").then((r) => (r && r.count >= 2 ? r : undefined)),
      20_000,
    );
    expect(later).toMatchObject({ host: "other-evil.test", reason: "forbidden_origin", count: 2 });
  });

  describe("POST /internal/refusals on the origin", () => {
    let site: Site;
    beforeAll(async () => {
      site = await stack.site("edge_quiet", ["acme.test"]);
    });
    const report = (siteId: number) =>
      JSON.stringify({ siteId, host: "evil.test", reason: "forbidden_origin", at: Date.now(), count: 3 });
    const send = (text: string, signature?: string) =>
      fetch(`${stack.origin.url}/internal/refusals`, {
        method: "POST",
        body: text,
        headers: signature ? { [SIGNATURE_HEADER]: signature } : {},
      });
    const signed = (text: string, secret = EDGE_SECRET) => signRequest(secret, "POST", "/internal/refusals", text);

    it("refuses unsigned, wrongly signed and replayed reports and records none of them", async () => {
      const text = report(site.id);
      const unsigned = await send(text);
      expect(unsigned.status).toBe(401);
      expect(await unsigned.json()).toMatchObject({ error: { code: "unauthorized" } });
      expect((await send(text, await signed(text, "another-secret-of-32-characters-or-more"))).status).toBe(401);
      expect((await send(text, await signed(report(site.id)))).status).toBe(401); // signed another body
      expect(await refusalOf("edge_quiet")).toBeNull();

      const signature = await signed(text);
      expect((await send(text, signature)).status).toBe(204);
      expect(await refusalOf("edge_quiet")).toMatchObject({ host: "evil.test", reason: "forbidden_origin", count: 3 });
      expect((await send(text, signature)).status).toBe(401); // the same signature again: a replay
      expect((await refusalOf("edge_quiet"))?.count).toBe(3);
    });

    it("answers a malformed report 400 and an unknown site 404", async () => {
      const bad = JSON.stringify({ siteId: site.id, host: null, reason: "boredom", at: Date.now(), count: 1 });
      const malformed = await send(bad, await signed(bad));
      expect(malformed.status).toBe(400);
      expect(await malformed.json()).toMatchObject({ error: { code: "bad_request" } });
      const unknown = report(987_654);
      const missing = await send(unknown, await signed(unknown));
      expect(missing.status).toBe(404);
      expect(await missing.json()).toMatchObject({ error: { code: "unknown_site" } });
    });
  });
});
