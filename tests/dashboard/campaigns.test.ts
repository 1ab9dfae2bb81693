// Campaigns over plain HTTP against the built dashboard, with the real collector app on the same
// database: create a campaign with a goal, create its QR code, download it, scan it through the
// collector's redirect, identify the visitor — the lead is attributed to the campaign and the goal
// progress on the overview and the campaign page moves. Also: validation, cold leads without a
// legal basis flagged in lists and left out of the CSV export.
import { createCollector } from "@leadtrail/collector";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Fixture, login, ORIGIN, postAction, SITE_KEY, startFixture, USERS } from "./fixture.ts";

const UA =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

describe("campaigns, tracked links and acquisition", () => {
  let f: Fixture;
  let marketer: string;
  let admin: string;
  let sales: string;
  beforeAll(async () => {
    f = await startFixture();
    marketer = await login(f.url, USERS.marketer.email, USERS.marketer.password);
    sales = await login(f.url, USERS.sales.email, USERS.sales.password);
    admin = await login(f.url, "admin@acme.test", "admin-password-1");
  });
  afterAll(async () => {
    await f?.stop();
  });

  const get = (path: string, cookie = marketer) =>
    fetch(`${f.url}${path}`, { headers: { cookie }, redirect: "manual" });
  const html = async (path: string, cookie = marketer) => {
    const response = await get(path, cookie);
    expect(response.status).toBe(200);
    return response.text();
  };
  const one = async (sql: string, args: (string | number)[] = []) =>
    (await f.db.$client.execute({ sql, args })).rows[0] as Record<string, unknown> | undefined;
  /** "actual / target" of a campaign's goal in the overview's goal widget. */
  const overviewGoal = async (campaignId: number, metric: string) => {
    const page = await html("/");
    const block = page.slice(page.indexOf(`data-campaign-id="${campaignId}"`));
    const row = block.slice(block.indexOf(`data-goal="${metric}"`));
    return /data-col="actual"[^>]*>([^<]*)</.exec(row)?.[1]?.trim();
  };

  it("attributes the fixture's earlier leads to a campaign created later, and lists its results", async () => {
    const page = await html("/campaigns");
    const row = page.slice(page.indexOf('data-campaign-id="1"'));
    expect(/data-col="leads"[^>]*>(\d+)</.exec(row)?.[1]).toBe("2");
    expect(/data-col="mqls"[^>]*>(\d+)</.exec(row)?.[1]).toBe("2");
    // Budget 500 over two leads.
    expect(/data-col="cpl"[^>]*>([^<]+)</.exec(row)?.[1]).toBe("250");
    expect(page.indexOf("Leads generated per month")).toBeLessThan(page.indexOf('data-testid="campaigns-table"'));
  });

  it("refuses an invalid campaign with the reason and writes nothing", async () => {
    const before = await one("SELECT count(*) AS n FROM campaigns");
    const cases: [Record<string, string>, number][] = [
      [{ name: "" }, 400],
      [{ name: "Bad dates", startsOn: "2026-05-01", endsOn: "2026-04-01" }, 400],
      [{ name: "Bad goal", goal_leads: "-3" }, 400],
      [{ name: "Bad period goal", goal_won: "2", goalPer_won: "period" }, 400],
    ];
    for (const [fields, status] of cases) {
      expect(await postAction(f.url, "/campaigns?/create", marketer, fields)).toBe(status);
    }
    const response = await fetch(`${f.url}/campaigns?/create`, {
      method: "POST",
      headers: {
        origin: f.url,
        cookie: marketer,
        accept: "application/json",
        "x-sveltekit-action": "true",
        "content-type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({ name: "Bad budget", budget: "lots" }),
    });
    expect(await response.json()).toMatchObject({ type: "failure", status: 400 });
    expect(await one("SELECT count(*) AS n FROM campaigns")).toEqual(before);
  });

  it("runs the flow: campaign with a goal → QR code → scan → identify → goal progress moves", async () => {
    expect(
      await postAction(f.url, "/campaigns?/create", marketer, {
        name: "Poster drive",
        channel: "print",
        budget: "300",
        goal_leads: "1",
        goalPer_leads: "month",
      }),
    ).toBe(200);
    const campaign = await one("SELECT id, utm_campaign FROM campaigns WHERE name = 'Poster drive'");
    const id = Number(campaign?.id);
    expect(campaign?.utm_campaign).toBe("poster-drive");
    expect(await overviewGoal(id, "leads")).toBe("0 / 1");

    // The UTM builder: a target off the site and a taken code are refused; a good one is stored.
    const link = { kind: "qr", target: "/pricing", source: "poster", medium: "qr", content: "lobby" };
    expect(
      await postAction(f.url, `/campaigns/${id}?/createLink`, marketer, { ...link, target: "https://evil.test/" }),
    ).toBe(400);
    expect(await postAction(f.url, `/campaigns/${id}?/createLink`, marketer, { ...link, code: "fx-poster" })).toBe(400);
    expect(await postAction(f.url, `/campaigns/${id}?/createLink`, marketer, { ...link, code: "lobby-poster" })).toBe(
      200,
    );
    const stored = await one("SELECT id, kind, target, utm, campaign_id FROM links WHERE code = 'lobby-poster'");
    expect(stored).toMatchObject({ kind: "qr", target: "/pricing", campaign_id: id });
    expect(JSON.parse(String(stored?.utm))).toEqual({
      utm_source: "poster",
      utm_medium: "qr",
      utm_campaign: "poster-drive",
      utm_content: "lobby",
    });
    expect(await one("SELECT count(*) AS n FROM links WHERE campaign_id = ?", [id])).toEqual({ n: 1 });

    // The QR code for print, as SVG and PNG.
    const svg = await get(`/campaigns/${id}/links/${stored?.id}/qr.svg`);
    expect(svg.status).toBe(200);
    expect(svg.headers.get("content-type")).toBe("image/svg+xml");
    expect(svg.headers.get("content-disposition")).toContain("qr-lobby-poster.svg");
    expect(await svg.text()).toMatch(/<svg[\s\S]*<path[^>]* d="M/);
    const png = await get(`/campaigns/${id}/links/${stored?.id}/qr.png`);
    expect(png.headers.get("content-type")).toBe("image/png");
    const bytes = new Uint8Array(await png.arrayBuffer());
    expect(bytes.byteLength).toBeGreaterThan(100);
    const view = new DataView(bytes.buffer);
    expect([view.getUint32(0), view.getUint32(16), view.getUint32(20)]).toEqual([0x89504e47, 1024, 1024]);
    // Another campaign's link is not this campaign's.
    expect((await get(`/campaigns/1/links/${stored?.id}/qr.svg`)).status).toBe(404);
    expect((await get(`/campaigns/${id}/links/${stored?.id}/qr.svg`, sales)).status).toBe(403);

    // Someone scans the poster, then signs up on the landing page.
    const { app, writer } = createCollector({
      db: f.db,
      trackerScript: "",
      demoSiteKey: SITE_KEY,
      visitorHashSecret: "campaigns-test",
      clientIp: () => "203.0.113.50",
    });
    const scan = await app.request("/r/lobby-poster?v=visitor_lobby_1", { headers: { "user-agent": UA } });
    expect(scan.status).toBe(302);
    expect(scan.headers.get("location")).toContain("utm_campaign=poster-drive");
    const signup = await app.request("/e", {
      method: "POST",
      headers: { "content-type": "text/plain", origin: ORIGIN, "user-agent": UA },
      body: JSON.stringify({
        site: SITE_KEY,
        visitor: "visitor_lobby_1",
        sentAt: Date.now(),
        events: [
          {
            id: "evt_lobby_signup_1",
            type: "identify",
            time: Date.now(),
            url: `${ORIGIN}/pricing`,
            email: "lobby@visitor.test",
          },
        ],
      }),
    });
    expect(signup.status).toBe(200);
    await writer.drain();
    expect(await one("SELECT campaign_id FROM leads WHERE email = 'lobby@visitor.test'")).toEqual({ campaign_id: id });

    expect(await overviewGoal(id, "leads")).toBe("1 / 1");
    const detail = await html(`/campaigns/${id}`);
    expect(/data-count="leads"[^>]*>(\d+)</.exec(detail)?.[1]).toBe("1");
    expect(detail).toContain('data-status="met"');
    const linkRow = detail.slice(detail.indexOf('data-link-code="lobby-poster"'));
    // Code, kind, target, clicks, scans, leads, MQLs.
    expect([...linkRow.matchAll(/<td class="num">(\d+)<\/td>/g)].slice(0, 4).map((m) => m[1])).toEqual([
      "0",
      "1",
      "1",
      "0",
    ]);
  });

  it("edits and deletes a campaign and its links; another campaign's link is not found", async () => {
    expect(await postAction(f.url, "/campaigns?/create", marketer, { name: "Short lived", goal_mqls: "2" })).toBe(200);
    const id = Number((await one("SELECT id FROM campaigns WHERE name = 'Short lived'"))?.id);
    const edit = {
      name: "Short lived",
      startsOn: "2026-01-01",
      endsOn: "2026-03-31",
      goal_won: "1",
      goalPer_won: "period",
    };
    expect(await postAction(f.url, `/campaigns/${id}?/update`, marketer, { ...edit, endsOn: "2025-12-01" })).toBe(400);
    expect(await postAction(f.url, `/campaigns/${id}?/update`, marketer, edit)).toBe(200);
    const row = await one("SELECT starts_at, ends_at, goals FROM campaigns WHERE id = ?", [id]);
    expect(row).toMatchObject({ starts_at: Date.UTC(2026, 0, 1), ends_at: Date.UTC(2026, 3, 1) });
    expect(JSON.parse(String(row?.goals))).toEqual([{ metric: "won", target: 1, per: "period" }]);

    const link = { kind: "link", target: "https://acme.test/pricing", source: "mail", medium: "email" };
    expect(await postAction(f.url, `/campaigns/${id}?/createLink`, marketer, link)).toBe(200);
    const linkId = Number((await one("SELECT id FROM links WHERE campaign_id = ?", [id]))?.id);
    expect(await postAction(f.url, `/campaigns/1?/deleteLink`, marketer, { link: String(linkId) })).toBe(404);
    expect(await postAction(f.url, `/campaigns/${id}?/deleteLink`, marketer, { link: String(linkId) })).toBe(200);
    expect(await one("SELECT count(*) AS n FROM links WHERE id = ?", [linkId])).toEqual({ n: 0 });

    expect(await postAction(f.url, `/campaigns/${id}?/delete`, sales, {})).toBe(403);
    expect(await postAction(f.url, `/campaigns/${id}?/delete`, marketer, {})).toBe(303);
    expect(await one("SELECT count(*) AS n FROM campaigns WHERE id = ?", [id])).toEqual({ n: 0 });
    expect((await get(`/campaigns/${id}`)).status).toBe(404);
  });

  it("flags a cold lead without a basis, leaves it out of the CSV export until one is recorded", async () => {
    const leadId = f.leads["reader@smallco.test"] as number;
    const csv = async () => (await get("/my-leads/export.csv?owner=all", admin)).text();
    expect(await csv()).toContain("reader@smallco.test");
    expect(await postAction(f.url, `/leads/${leadId}?/acquisition`, admin, { acquisition: "lukewarm" })).toBe(400);
    expect(
      await postAction(f.url, `/leads/${leadId}?/acquisition`, admin, { acquisition: "cold", legalBasis: "maybe" }),
    ).toBe(400);
    expect(await one("SELECT acquisition FROM leads WHERE id = ?", [leadId])).toEqual({ acquisition: "warm" });

    expect(
      await postAction(f.url, `/leads/${leadId}?/acquisition`, admin, { acquisition: "cold", legalBasis: "" }),
    ).toBe(200);
    expect(await csv()).not.toContain("reader@smallco.test");
    expect(await csv()).toContain("cto@bigcorp.test");
    const list = await html("/leads", admin);
    const row = list.slice(list.indexOf(`data-lead-id="${leadId}"`));
    expect(row.slice(0, row.indexOf("</tr>"))).toContain('data-testid="cold-flag"');
    expect(await html(`/leads/${leadId}`, admin)).toContain('data-testid="cold-flag"');

    expect(
      await postAction(f.url, `/leads/${leadId}?/acquisition`, admin, { acquisition: "cold", legalBasis: "consent" }),
    ).toBe(200);
    expect(await csv()).toContain("reader@smallco.test");
    expect(await html(`/leads/${leadId}`, admin)).not.toContain('data-testid="cold-flag"');
    // Consent revoked: out of the export again.
    expect(
      await postAction(f.url, `/leads/${leadId}?/acquisition`, admin, { acquisition: "cold", legalBasis: "" }),
    ).toBe(200);
    expect(await csv()).not.toContain("reader@smallco.test");
  });
});
