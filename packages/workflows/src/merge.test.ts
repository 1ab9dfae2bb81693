import { createSite, findLeadByEmail, findLeadMerge, insertLeadNote, withWriteTransaction } from "@leadtrail/db";
import { defaultRuleSet, explainScore, type LedgerEntry, replay } from "@leadtrail/scoring";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mergeLeads } from "./merge.ts";
import { profileOf } from "./rescore.ts";
import { type EventSpec, expectedSteps, seedScoredLead } from "./rescore-fixtures.ts";
import { createFixture, type Fixture } from "./test-fixtures.ts";

const T0 = Date.UTC(2026, 2, 2, 9);
const HOUR = 3_600_000;
const NOW = T0 + 48 * HOUR;

// Anna on her laptop (QR code, newsletter) and on her phone under her private address (product
// image, newsletter again, pricing) — one person, two leads.
const laptop: EventSpec[] = [
  { type: "qr_scan", name: "poster-1", campaign: { utm_medium: "poster" }, at: T0 },
  { type: "form", name: "newsletter", at: T0 + 60_000 },
];
const phone: EventSpec[] = [
  { type: "click", name: "product_image", at: T0 + 2 * HOUR },
  { type: "form", name: "newsletter", at: T0 + 2 * HOUR + 60_000 },
  { type: "pageview", path: "/demo/pricing", at: T0 + 3 * HOUR },
];

describe("mergeLeads", () => {
  let f: Fixture;
  let keep: { id: number; eventIds: number[] };
  let other: { id: number; eventIds: number[] };
  beforeEach(async () => {
    f = await createFixture();
    keep = await seedScoredLead(f, {
      email: "anna@acme.de",
      traits: { seniority: "director" },
      visitor: "v_laptop",
      events: laptop,
      rules: defaultRuleSet,
    });
    other = await seedScoredLead(f, {
      email: "anna.private@gmail.com",
      traits: { name: "Anna", country: "DE" },
      visitor: "v_phone",
      events: phone,
      rules: defaultRuleSet,
      stage: "mql",
    });
    await f.db.$client.execute({
      sql: `INSERT INTO stage_changes (site_id, lead_id, from_stage, to_stage, actor, reason, at, score)
            VALUES (?, ?, 'lead', 'mql', 'user:3', 'met at the fair', ?, 20)`,
      args: [f.site.id, other.id, T0 + 4 * HOUR],
    });
    await withWriteTransaction(f.db, (tx) =>
      insertLeadNote(tx, { leadId: other.id, actor: "user:3", text: "call back Monday", at: T0 + 5 * HOUR }),
    );
  });
  afterEach(() => f.cleanup());

  it("combines both histories on the kept lead and keeps the further stage", async () => {
    const result = await mergeLeads(f.db, {
      siteId: f.site.id,
      keepId: keep.id,
      mergeId: other.id,
      actor: "user:9",
      reason: "same person, private address",
      now: NOW,
    });
    expect(result.ok).toBe(true);
    const [lead] = await f.rows("SELECT stage, traits FROM leads WHERE id = ?", [keep.id]);
    expect(lead?.stage).toBe("mql");
    expect(JSON.parse(String(lead?.traits))).toEqual({ seniority: "director", name: "Anna", country: "DE" });
    expect(await f.rows("SELECT id FROM leads WHERE id = ?", [other.id])).toEqual([]);
    const visitors = await f.rows("SELECT id FROM visitors WHERE lead_id = ? ORDER BY id", [keep.id]);
    expect(visitors.map((v) => v.id)).toEqual(["v_laptop", "v_phone"]);
    const events = await f.rows("SELECT id FROM events WHERE lead_id = ? ORDER BY id", [keep.id]);
    expect(events.map((e) => Number(e.id))).toEqual([...keep.eventIds, ...other.eventIds]);

    const history = await f.rows(
      "SELECT from_stage, to_stage, actor, reason FROM stage_changes WHERE lead_id = ? ORDER BY id",
      [keep.id],
    );
    expect(history).toEqual([
      { from_stage: "lead", to_stage: "mql", actor: "user:3", reason: "met at the fair" },
      { from_stage: "mql", to_stage: "mql", actor: "user:3", reason: "call back Monday" },
      {
        from_stage: "lead",
        to_stage: "mql",
        actor: "user:9",
        reason: `merged lead #${other.id} (anna.private@gmail.com): same person, private address`,
      },
    ]);
  });

  it("re-derives the score: it equals a replay of both browsers' events, newsletter counted once", async () => {
    await mergeLeads(f.db, { siteId: f.site.id, keepId: keep.id, mergeId: other.id, actor: "user:9", now: NOW });
    const steps = expectedSteps([
      ...laptop.map((e, i) => ({ ...e, id: keep.eventIds[i] as number, visitor: "v_laptop" })),
      ...phone.map((e, i) => ({ ...e, id: other.eventIds[i] as number, visitor: "v_phone" })),
    ]);
    const traits = profileOf({
      email: "anna@acme.de",
      traits: { seniority: "director", name: "Anna", country: "DE" },
      visitorCountry: null,
    });
    const expected = replay([...steps, { kind: "traits", traits, now: T0 + 3 * HOUR }], defaultRuleSet).state;
    const [row] = await f.rows("SELECT engagement_score, fit_score, score_state FROM leads WHERE id = ?", [keep.id]);
    expect(row?.engagement_score).toBe(expected.engagement);
    expect(row?.fit_score).toBe(expected.fit);
    expect(JSON.parse(String(row?.score_state)).rules).toEqual(expected.rules);
    // 5 (QR) + 7 (newsletter, once) + 3 (product image) + 10 (pricing) + 2 (the phone's second visit).
    expect(expected.rules["newsletter-signup"]?.count).toBe(1);
    const ledger = await f.rows(
      "SELECT rule_id, rule_version, kind, delta, at, event_id FROM score_ledger WHERE lead_id = ?",
      [keep.id],
    );
    const raw = ledger.filter((l) => l.kind === "engagement").reduce((s, l) => s + Number(l.delta), 0);
    expect(raw).toBe(27);
    expect(new Set(ledger.map((l) => l.rule_version))).toEqual(new Set([1]));
    // Explained entry by entry, the ledger adds up to the stored score.
    const entries = ledger.map((l) => ({
      eventId: l.event_id as number | null,
      ruleId: String(l.rule_id),
      ruleVersion: Number(l.rule_version),
      kind: l.kind as LedgerEntry["kind"],
      delta: Number(l.delta),
      at: Number(l.at),
      reason: "event" as const,
    }));
    expect(explainScore(entries, defaultRuleSet, NOW).fit).toBeCloseTo(expected.fit, 9);
    expect(await f.rows("SELECT count(*) AS n FROM score_ledger WHERE lead_id = ?", [other.id])).toEqual([{ n: 0 }]);
  });

  it("leaves a redirect from the merged id to the kept lead", async () => {
    await mergeLeads(f.db, { siteId: f.site.id, keepId: keep.id, mergeId: other.id, actor: "user:9", now: NOW });
    expect(await findLeadMerge(f.db, other.id)).toEqual({ keptLeadId: keep.id, siteId: f.site.id });
    expect(await findLeadMerge(f.db, keep.id)).toBeUndefined();
  });

  it("finds the kept lead under the merged address, so identifying with it later adds no new lead", async () => {
    await mergeLeads(f.db, { siteId: f.site.id, keepId: keep.id, mergeId: other.id, actor: "user:9", now: NOW });
    expect((await findLeadByEmail(f.db, f.site.id, "anna.private@gmail.com"))?.id).toBe(keep.id);
    expect((await findLeadByEmail(f.db, f.site.id, "anna@acme.de"))?.id).toBe(keep.id);
    expect(await findLeadByEmail(f.db, f.site.id, "someone@else.de")).toBeUndefined();
  });

  const refusals = [
    { name: "the same lead twice", code: "same_lead", ids: () => [keep.id, keep.id] },
    { name: "a lead that does not exist", code: "not_found", ids: () => [keep.id, 9999] },
    { name: "a lead of another site", code: "not_found", ids: () => [keep.id, -1] },
  ];
  for (const c of refusals) {
    it(`refuses ${c.name} and changes nothing`, async () => {
      const site2 = await createSite(f.db, { publicKey: "wf2", name: "Other", domains: ["o.test"] });
      const foreign = await seedScoredLead(f, {
        email: "x@other.test",
        visitor: "v_other",
        events: [{ type: "form", name: "contact", at: T0 }],
        rules: defaultRuleSet,
        siteId: site2.id,
      });
      const [keepId, mergeId] = c.ids().map((id) => (id === -1 ? foreign.id : id)) as [number, number];
      const snapshot = async () =>
        f.rows(`SELECT (SELECT count(*) FROM leads) AS leads, (SELECT group_concat(lead_id) FROM visitors) AS v,
                  (SELECT count(*) FROM score_ledger) AS ledger, (SELECT count(*) FROM stage_changes) AS sc,
                  (SELECT count(*) FROM lead_merges) AS merges`);
      const before = await snapshot();
      const result = await mergeLeads(f.db, { siteId: f.site.id, keepId, mergeId, actor: "user:9", now: NOW });
      expect(result).toMatchObject({ ok: false, error: { code: c.code } });
      expect(await snapshot()).toEqual(before);
    });
  }
});
