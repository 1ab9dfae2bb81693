import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "../testing.ts";
import { withWriteTransaction } from "../transactions.ts";
import {
  backfillCampaignAttribution,
  type CampaignDayCount,
  type CampaignInput,
  campaignDayCounts,
  campaignLeadMilestones,
  firstTouchCampaignId,
  insertCampaign,
  removeCampaign,
  updateCampaign,
} from "./campaigns.ts";
import { leadContactFacts, recordLeadAcquisition } from "./campaigns-acquisition.ts";
import { addDailyStats, type EventRow, insertEvents } from "./ingest.ts";
import { recordStageChanges, refreshLeadSummaries } from "./lead-stage.ts";
import { insertLead } from "./leads.ts";
import { createLink, listCampaignLinks } from "./links.ts";
import { createSite } from "./sites.ts";

const T0 = Date.UTC(2026, 4, 4, 9);
const HOUR = 3_600_000;
const ZERO = {
  pageviews: 0,
  visitors: 0,
  visits: 0,
  bounces: 0,
  events: 0,
  engagedMs: 0,
  scrollSum: 0,
  scrollCount: 0,
  points: 0,
  leads: 0,
  mqls: 0,
};

const input = (name: string, utmCampaign: string | null): CampaignInput => ({
  name,
  channel: null,
  utmCampaign,
  startsAt: null,
  endsAt: null,
  budget: null,
  ownerId: null,
  goals: [],
});

describe("campaign queries", () => {
  let t: TestDb;
  let siteId: number;
  let otherSite: number;
  let seq = 0;
  beforeEach(async () => {
    t = await createTestDb();
    siteId = (await createSite(t.db, { publicKey: "c", name: "C", domains: ["c.test"] })).id;
    otherSite = (await createSite(t.db, { publicKey: "o", name: "O", domains: ["o.test"] })).id;
  });
  afterEach(() => t.cleanup());

  const event = (visitorId: string, at: number, extra: Partial<EventRow> = {}, site = siteId): EventRow => ({
    siteId: site,
    visitorId,
    leadId: null,
    clientId: `evt_${++seq}`,
    type: "pageview",
    path: "/",
    url: "https://c.test/",
    receivedAt: at,
    ...extra,
  });
  const lead = async (email: string, createdAt = T0, site = siteId) =>
    (
      await insertLead(t.db, {
        siteId: site,
        email,
        name: null,
        companyId: null,
        role: null,
        traits: {},
        unverified: false,
        createdAt,
      })
    ).id;
  // Through the writers' path (recordStageChanges), which keeps the funnel summaries current.
  const stage = (leadId: number, from: string, to: string, at: number, site = siteId) =>
    withWriteTransaction(t.db, (tx) =>
      recordStageChanges(tx, [
        { siteId: site, leadId, fromStage: from, toStage: to, actor: "test", reason: null, at, score: null },
      ]),
    );

  it("finds a browser's first campaign touch by UTM or by tracked link, and nothing on another site", async () => {
    const spring = await insertCampaign(t.db, siteId, input("Spring", "spring"));
    const poster = await insertCampaign(t.db, siteId, input("Poster", null));
    await insertCampaign(t.db, otherSite, input("Elsewhere", "elsewhere"));
    await insertEvents(t.db, [
      event("v_utm", T0, { campaign: { utm_campaign: "other" } }),
      event("v_utm", T0 + HOUR, { campaign: { utm_campaign: "spring" } }),
      event("v_utm", T0 + 2 * HOUR, { type: "qr_scan", props: { campaign_id: poster.id } }),
      event("v_qr", T0, { type: "qr_scan", props: { campaign_id: poster.id } }),
      event("v_qr", T0 + HOUR, { campaign: { utm_campaign: "spring" } }),
      event("v_foreign", T0, { campaign: { utm_campaign: "elsewhere" } }),
    ]);
    const cases: [string, string | null, number | null][] = [
      ["v_utm", null, spring.id],
      ["v_qr", null, poster.id],
      ["v_foreign", null, null],
      ["v_nothing", null, null],
      // The visitor row's first-touch utm_campaign when its events carry none.
      ["v_nothing", "spring", spring.id],
    ];
    for (const [visitor, fallback, expected] of cases) {
      expect(await firstTouchCampaignId(t.db, siteId, visitor, fallback), visitor).toBe(expected);
    }
  });

  it("attributes earlier leads when a campaign is created or its UTM changes, by touches before the lead", async () => {
    const early = await lead("early@x.test", T0 + HOUR);
    const late = await lead("late@x.test", T0 + HOUR);
    await insertEvents(t.db, [
      event("v1", T0, { leadId: early, campaign: { utm_campaign: "launch" } }),
      // A touch after the lead was created is not its first touch.
      event("v2", T0 + 2 * HOUR, { leadId: late, campaign: { utm_campaign: "launch" } }),
    ]);
    const c = await insertCampaign(t.db, siteId, input("Launch", "wrong"));
    expect((await campaignLeadMilestones(t.db, siteId)).map((m) => m.leadId)).toEqual([]);
    expect(await updateCampaign(t.db, siteId, c.id, input("Launch", "launch"))).toBe(true);
    expect((await campaignLeadMilestones(t.db, siteId)).map((m) => m.leadId)).toEqual([early]);
    expect(await backfillCampaignAttribution(t.db, siteId)).toBe(0);
    // Another site's campaign id is not this site's.
    expect(await updateCampaign(t.db, otherSite, c.id, input("Hijack", "x"))).toBe(false);
  });

  it("dates each lead's MQL, SQL and win from its stage history, ignoring notes", async () => {
    const c = await insertCampaign(t.db, siteId, input("C", "c"));
    const a = await lead("a@x.test", T0);
    const b = await lead("b@x.test", T0 + 1);
    const notAttributed = await lead("n@x.test", T0 + 2);
    await t.db.$client.execute({
      sql: "UPDATE leads SET campaign_id = ? WHERE id IN (?, ?)",
      args: [c.id, a, b],
    });
    await stage(a, "lead", "lead", T0 + 5); // a note
    await stage(a, "lead", "mql", T0 + 10);
    await stage(a, "mql", "sal", T0 + 20);
    await stage(a, "sal", "sql", T0 + 30);
    await stage(a, "sql", "won", T0 + 40);
    await stage(b, "lead", "sql", T0 + 50); // qualified directly: counts as MQL too
    await stage(notAttributed, "lead", "mql", T0 + 60);
    const rows = await campaignLeadMilestones(t.db, siteId, c.id);
    expect(rows.map((r) => [r.leadId, r.mqlAt, r.sqlAt, r.wonAt])).toEqual([
      [a, T0 + 10, T0 + 30, T0 + 40],
      [b, T0 + 50, T0 + 50, null],
    ]);
  });

  it("reads the same milestones from the funnel summaries as the stage history gives", async () => {
    const c1 = await insertCampaign(t.db, siteId, input("One", "one"));
    const c2 = await insertCampaign(t.db, siteId, input("Two", "two"));
    const foreign = await insertCampaign(t.db, otherSite, input("Foreign", "foreign"));
    // [campaign, persona, stage moves as [from, to, minutes after T0]]
    const cases: [number | null, number | null, [string, string, number][]][] = [
      [c1.id, null, []],
      [c1.id, 3, [["lead", "mql", 10]]],
      [
        c1.id,
        null,
        [
          ["lead", "mql", 10],
          ["mql", "nurture", 20],
          ["nurture", "mql", 30],
          ["mql", "sal", 40],
        ],
      ],
      [
        c2.id,
        4,
        [
          ["lead", "mql", 5],
          ["mql", "sal", 6],
          ["sal", "sql", 7],
          ["sql", "won", 8],
        ],
      ],
      [
        c2.id,
        null,
        [
          ["lead", "sql", 15],
          ["sql", "lost", 16],
        ],
      ],
      // A note before the move (clock skew between writers) is still not a move.
      [
        c2.id,
        null,
        [
          ["mql", "mql", 1],
          ["lead", "mql", 9],
          ["mql", "mql", 12],
        ],
      ],
      [c2.id, null, [[null as unknown as string, "won", 3]]],
      [null, null, [["lead", "mql", 10]]],
    ];
    for (const [i, [campaign, persona, moves]] of cases.entries()) {
      const id = await lead(`l${i}@x.test`, T0 + i);
      await t.db.$client.execute({
        sql: "UPDATE leads SET campaign_id = ?, persona_id = ? WHERE id = ?",
        args: [campaign, persona, id],
      });
      for (const [from, to, minutes] of moves) await stage(id, from, to, T0 + minutes * 60_000);
    }
    const elsewhere = await lead("e@x.test", T0, otherSite);
    await t.db.$client.execute({ sql: "UPDATE leads SET campaign_id = ? WHERE id = ?", args: [foreign.id, elsewhere] });
    await stage(elsewhere, "lead", "mql", T0, otherSite);

    // The definition: the first move (not a note) into each milestone, straight from stage_changes.
    const fromHistory = async (campaignId: number | null) =>
      (
        await t.db.$client.execute({
          sql: `SELECT l.campaign_id AS campaignId, l.id AS leadId, l.persona_id AS personaId, l.created_at AS createdAt,
                  min(CASE WHEN s.to_stage IN ('mql', 'sal', 'sql', 'won') THEN s.at END) AS mqlAt,
                  min(CASE WHEN s.to_stage IN ('sql', 'won') THEN s.at END) AS sqlAt,
                  min(CASE WHEN s.to_stage = 'won' THEN s.at END) AS wonAt
                FROM leads l LEFT JOIN stage_changes s ON s.lead_id = l.id AND s.from_stage IS NOT s.to_stage
                WHERE l.site_id = ? AND l.campaign_id IS NOT NULL AND (? IS NULL OR l.campaign_id = ?)
                GROUP BY l.id`,
          args: [siteId, campaignId, campaignId],
        })
      ).rows.map((r) => ({ ...r }));
    for (const campaignId of [undefined, c1.id, c2.id, foreign.id]) {
      const expected = await fromHistory(campaignId ?? null);
      expect(await campaignLeadMilestones(t.db, siteId, campaignId), String(campaignId)).toEqual(expected);
    }
    expect((await campaignLeadMilestones(t.db, siteId)).length).toBe(cases.length - 1);

    // The daily counts the campaign pages read add up to the same milestones, day by day, and
    // follow the attribution when a campaign is removed.
    const ids = (await t.db.$client.execute("SELECT id FROM leads")).rows.map((r) => Number(r.id));
    await withWriteTransaction(t.db, (tx) => refreshLeadSummaries(tx, ids));
    const dayOf = (ms: number) =>
      Date.UTC(new Date(ms).getUTCFullYear(), new Date(ms).getUTCMonth(), new Date(ms).getUTCDate());
    const expected = new Map<string, CampaignDayCount>();
    for (const m of await fromHistory(null)) {
      const metrics = [
        ["leads", m.createdAt],
        ["mqls", m.mqlAt],
        ["sqls", m.sqlAt],
        ["won", m.wonAt],
      ] as const;
      for (const [metric, at] of metrics) {
        if (at === null) continue;
        const personaId = m.personaId === null ? null : Number(m.personaId);
        const key = `${m.campaignId}|${dayOf(Number(at))}|${personaId}`;
        const row = expected.get(key) ?? {
          campaignId: Number(m.campaignId),
          personaId,
          day: dayOf(Number(at)),
          leads: 0,
          mqls: 0,
          sqls: 0,
          won: 0,
        };
        row[metric]++;
        expected.set(key, row);
      }
    }
    const order = (rows: CampaignDayCount[]) =>
      [...rows].sort(
        (a, b) => a.campaignId - b.campaignId || a.day - b.day || Number(a.personaId) - Number(b.personaId),
      );
    expect(order(await campaignDayCounts(t.db, siteId))).toEqual(order([...expected.values()]));
    await removeCampaign(t.db, siteId, c1.id);
    expect(await campaignDayCounts(t.db, siteId, c1.id)).toEqual([]);
    expect((await campaignDayCounts(t.db, siteId, c2.id)).length).toBeGreaterThan(0);
  });

  it("counts each link's clicks and scans from the rollups and the campaign's leads and MQLs through it", async () => {
    const c = await insertCampaign(t.db, siteId, input("C", "c"));
    const qr = await createLink(t.db, { siteId, code: "qr-1", kind: "qr", target: "/", campaignId: c.id, utm: {} });
    await createLink(t.db, { siteId, code: "link-1", kind: "link", target: "/", campaignId: c.id, utm: {} });
    await addDailyStats(t.db, [
      { ...ZERO, siteId, day: "2026-05-04", dimension: "event", value: "qr_scan:qr-1", events: 3 },
      { ...ZERO, siteId, day: "2026-05-05", dimension: "event", value: "qr_scan:qr-1", events: 2 },
      { ...ZERO, siteId, day: "2026-05-05", dimension: "event", value: "link_click:link-1", events: 4 },
    ]);
    const mql = await lead("m@x.test");
    const plain = await lead("p@x.test");
    await t.db.$client.execute({
      sql: "UPDATE leads SET campaign_id = ? WHERE id IN (?, ?)",
      args: [c.id, mql, plain],
    });
    await insertEvents(t.db, [
      event("v1", T0, { leadId: mql, type: "qr_scan", name: "qr-1" }),
      event("v1", T0 + 1, { leadId: mql, type: "qr_scan", name: "qr-1" }),
      event("v2", T0, { leadId: plain, type: "qr_scan", name: "qr-1" }),
    ]);
    await stage(mql, "lead", "mql", T0 + 10);
    const links = await listCampaignLinks(t.db, siteId, c.id);
    expect(links.map((l) => [l.code, l.clicks, l.scans, l.leads, l.mqls])).toEqual([
      ["link-1", 4, 0, 0, 0],
      [qr.code, 0, 5, 2, 1],
    ]);
  });

  it("removes a campaign with its links and keeps its leads unattributed", async () => {
    const c = await insertCampaign(t.db, siteId, input("C", "c"));
    await createLink(t.db, { siteId, code: "gone", kind: "qr", target: "/", campaignId: c.id, utm: {} });
    const l = await lead("k@x.test");
    await t.db.$client.execute({ sql: "UPDATE leads SET campaign_id = ? WHERE id = ?", args: [c.id, l] });
    expect(await removeCampaign(t.db, otherSite, c.id)).toBe(false);
    expect(await removeCampaign(t.db, siteId, c.id)).toBe(true);
    const left = await t.db.$client.execute(
      "SELECT (SELECT count(*) FROM links) AS links, (SELECT count(*) FROM leads WHERE campaign_id IS NULL) AS free",
    );
    expect(left.rows[0]).toMatchObject({ links: 0, free: 1 });
  });

  it("records acquisition and legal basis with a note, and only what changed", async () => {
    const l = await lead("cold@x.test");
    expect(await recordLeadAcquisition(t.db, { leadId: l, acquisition: "cold", actor: "user:1", at: T0 })).toBe(true);
    expect(await leadContactFacts(t.db, [l])).toEqual([
      { id: l, acquisition: "cold", legalBasis: null, legalBasisAt: null },
    ]);
    await recordLeadAcquisition(t.db, {
      leadId: l,
      acquisition: "cold",
      legalBasis: "consent",
      actor: "user:2",
      at: T0 + 5,
    });
    expect(await leadContactFacts(t.db, [l])).toEqual([
      { id: l, acquisition: "cold", legalBasis: "consent", legalBasisAt: T0 + 5 },
    ]);
    const notes = await t.db.$client.execute({
      sql: "SELECT actor, reason FROM stage_changes WHERE lead_id = ? ORDER BY id",
      args: [l],
    });
    // Consent revoked: the basis is withdrawn, and that too is in the history.
    await recordLeadAcquisition(t.db, { leadId: l, legalBasis: null, actor: "user:3", at: T0 + 9 });
    expect(await leadContactFacts(t.db, [l])).toEqual([
      { id: l, acquisition: "cold", legalBasis: null, legalBasisAt: null },
    ]);
    expect(notes.rows.map((r) => [r.actor, r.reason])).toEqual([
      ["user:1", "acquisition: cold"],
      ["user:2", "legal basis: consent"],
    ]);
    const after = await t.db.$client.execute({
      sql: "SELECT actor, reason FROM stage_changes WHERE lead_id = ? ORDER BY id DESC LIMIT 1",
      args: [l],
    });
    expect(after.rows.map((r) => [r.actor, r.reason])).toEqual([["user:3", "legal basis: none"]]);
    expect(await recordLeadAcquisition(t.db, { leadId: 999, acquisition: "warm", actor: "x", at: 0 })).toBe(false);
  });
});
