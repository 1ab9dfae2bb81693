import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "../../testing.ts";
import { createSite } from "../sites.ts";
import { rawSalesLeads } from "./raw.ts";
import { listSalesCandidates, listSalesLeads, type SalesLeadQuery, salesLeadsByIds } from "./sales.ts";

const T0 = Date.UTC(2026, 9, 1);
const MIN = 60_000;

// A small site with the shapes the list's filters care about: owned and pool leads, leads without
// activity (sorted by creation), companies and names holding LIKE's wildcards, browsers with and
// without UTM campaigns, and a second site whose leads must never show up.
describe("sales list queries", () => {
  let t: TestDb;
  let site: number;
  let other: number;
  const ADMIN = { id: 1, role: "admin" };
  const REP = { id: 2, role: "sales" };

  beforeAll(async () => {
    t = await createTestDb();
    site = (await createSite(t.db, { publicKey: "s", name: "S", domains: ["s.test"] })).id;
    other = (await createSite(t.db, { publicKey: "o", name: "O", domains: ["o.test"] })).id;
    const c = t.db.$client;
    for (const [id, email, role] of [
      [1, "admin@x.test", "admin"],
      [2, "rep@x.test", "sales"],
      [3, "rep2@x.test", "sales"],
    ] as const) {
      await c.execute({
        sql: "INSERT INTO users (id, email, password_hash, role, created_at) VALUES (?, ?, 'x', ?, 0)",
        args: [id, email, role],
      });
    }
    for (const [id, siteId, name, domain] of [
      [1, site, "Acme GmbH", "acme.test"],
      [2, site, "100%_Solutions", "pct.test"],
      [3, site, null, "back\\slash.test"],
      [4, other, "Acme Other", "acme.test"],
    ] as const) {
      await c.execute({
        sql: "INSERT INTO companies (id, site_id, name, domain, created_at) VALUES (?, ?, ?, ?, 0)",
        args: [id, siteId, name, domain],
      });
    }
    // id, site, email, name, stage, owner, company, fit, engagement, last activity (minutes; null = none)
    const leads = [
      [1, site, "anna@acme.test", "Anna Acme", "mql", 2, 1, 20, 30, 50],
      [2, site, "bob@acme.test", null, "lead", null, 1, 5, 0, null],
      [3, site, "carl@pct.test", "Carl 100%", "sql", 3, 2, 10, -4, 40],
      [4, site, "dora_x@pct.test", "Dora", "lead", null, 2, 0, 12, 30],
      [5, site, "EVE@Mail.test", "Eve Upper", "won", 2, null, 35, 80, 20],
      [6, site, "fay@back.test", "Fay \\ Backslash", "lead", null, 3, 2, 1, 10],
      [7, site, "gus@plain.test", "Gus", "mql", 3, null, 15, 5, null],
      [8, other, "anna@acme.test", "Anna Other", "mql", null, 4, 20, 30, 60],
    ] as const;
    for (const [id, siteId, email, name, stage, owner, company, fit, eng, active] of leads) {
      await c.execute({
        sql: `INSERT INTO leads (id, site_id, email, name, stage, owner_id, company_id, fit_score, engagement_score,
                scored_at, created_at, last_activity_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        args: [
          id,
          siteId,
          email,
          name,
          stage,
          owner,
          company,
          fit,
          eng,
          T0,
          T0 + id * MIN,
          active && T0 + active * MIN,
        ],
      });
    }
    // Browsers: lead 1 came first via google, later via a newsletter; lead 3's campaign is on its
    // second browser only; lead 8 (other site) has the same campaign.
    const visitors = [
      [site, "v1", 1, 1, "google", "search", null],
      [site, "v2", 1, 5, null, "email", "newsletter"],
      [site, "v3", 3, 2, null, "direct", null],
      [site, "v4", 3, 3, "linkedin", "social", "spring"],
      [site, "v5", 5, 4, null, "referral", null],
      [site, "v6", null, 1, "google", "search", "spring"],
      [other, "v7", 8, 1, "google", "search", "spring"],
    ] as const;
    for (const [siteId, id, lead, first, source, channel, campaign] of visitors) {
      await c.execute({
        sql: `INSERT INTO visitors (site_id, id, lead_id, first_seen_at, last_seen_at, utm_source, channel, utm_campaign)
              VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        args: [siteId, id, lead, T0 + first * MIN, T0 + first * MIN, source, channel, campaign],
      });
    }
  });

  afterAll(() => t.cleanup());

  const cases: [string, Omit<SalesLeadQuery, "siteId">, number[]][] = [
    ["everything, most recently active first", { viewer: ADMIN }, [1, 3, 4, 5, 6, 7, 2]],
    ["a rep sees their own leads and the pool", { viewer: REP }, [1, 4, 5, 6, 2]],
    ["the pool", { viewer: ADMIN, owner: "pool" }, [4, 6, 2]],
    ["one owner", { viewer: ADMIN, owner: 3 }, [3, 7]],
    ["a stage", { viewer: ADMIN, stage: "lead" }, [4, 6, 2]],
    ["a score bound", { viewer: ADMIN, minScoreBound: 20 }, [1, 5, 7]],
    ["any browser's campaign", { viewer: ADMIN, campaign: "spring" }, [3]],
    ["a campaign after the first touch", { viewer: ADMIN, campaign: "newsletter" }, [1]],
    ["company name, any case", { viewer: ADMIN, company: "ACME" }, [1, 2]],
    ["company with a literal %", { viewer: ADMIN, company: "0%_s" }, [3, 4]],
    ["company domain with a backslash", { viewer: ADMIN, company: "k\\s" }, [6]],
    ["a literal _ is no wildcard", { viewer: ADMIN, search: "a_" }, [4]],
    ["search name or e-mail, any case", { viewer: ADMIN, search: "eve@mail" }, [5]],
    ["search a name with %", { viewer: ADMIN, search: "100%" }, [3]],
    ["search a backslash", { viewer: ADMIN, search: "y \\ b" }, [6]],
    ["a % alone matches only a literal %", { viewer: ADMIN, search: "%" }, [3]],
    ["active since", { viewer: ADMIN, activeSince: T0 + 30 * MIN }, [1, 3, 4]],
    ["filters combine", { viewer: REP, stage: "lead", company: "pct" }, [4]],
    ["the row limit keeps the most recently active", { viewer: ADMIN, limit: 3 }, [1, 3, 4]],
  ];

  it.each(cases)("%s: the same leads as the direct query", async (_name, q, ids) => {
    const query = { siteId: site, ...q };
    const rows = await listSalesLeads(t.db, query);
    expect(rows.map((r) => r.id)).toEqual(ids);
    expect(rows).toEqual(await rawSalesLeads(t.db, query));
  });

  it("candidates carry just the scores, rows the owner, company and first touch", async () => {
    const candidates = await listSalesCandidates(t.db, { siteId: site, viewer: ADMIN, owner: 2 });
    expect(candidates).toEqual([
      { id: 1, fitScore: 20, engagementScore: 30, scoredAt: T0 },
      { id: 5, fitScore: 35, engagementScore: 80, scoredAt: T0 },
    ]);
    const rows = await salesLeadsByIds(t.db, [3, 1, 99]);
    expect(rows.map((r) => [r.id, r.ownerEmail, r.companyName, r.source, r.campaign])).toEqual([
      [3, "rep2@x.test", "100%_Solutions", "direct", "spring"],
      [1, "rep@x.test", "Acme GmbH", "google", "newsletter"],
    ]);
    expect(await salesLeadsByIds(t.db, [])).toEqual([]);
  });

  it("never lists another site's leads", async () => {
    const rows = await listSalesLeads(t.db, { siteId: other, viewer: ADMIN, campaign: "spring" });
    expect(rows.map((r) => r.id)).toEqual([8]);
  });
});
