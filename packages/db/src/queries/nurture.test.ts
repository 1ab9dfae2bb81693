import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "../testing.ts";
import { type EventRow, insertEvents } from "./ingest.ts";
import { insertLead } from "./leads.ts";
import {
  deleteLeadNurture,
  findLeadNurture,
  findPersona,
  insertContentItem,
  insertNurtureTrack,
  insertPersona,
  listContentItems,
  listNurtureTracks,
  listPersonas,
  loadNurtureInputs,
  markSiteNurtureStale,
  nurtureCandidates,
  nurtureReportRows,
  nurtureSiteIds,
  type PersonaInput,
  saveLeadNurture,
  setLeadPersonas,
  setPersonaEnabled,
  updateContentItem,
  updatePersona,
  visitorNurtureFacts,
} from "./nurture.ts";
import { createSite } from "./sites.ts";

const T0 = Date.UTC(2026, 4, 4, 9);
const persona = (name: string): PersonaInput => ({
  name,
  description: null,
  criteria: { roles: ["cto"] },
  weights: {},
  minMatch: 1,
  defaultContentKey: null,
  enabled: true,
});

let t: TestDb;
let siteId: number;
let otherSiteId: number;

beforeEach(async () => {
  t = await createTestDb();
  siteId = (await createSite(t.db, { publicKey: "pk_a", name: "A", domains: ["a.example"] })).id;
  otherSiteId = (await createSite(t.db, { publicKey: "pk_b", name: "B", domains: ["b.example"] })).id;
});
afterEach(() => t.cleanup());

async function lead(email: string, site = siteId) {
  return insertLead(t.db, {
    siteId: site,
    email,
    name: null,
    companyId: null,
    role: "CTO",
    traits: { industry: "Software" },
    unverified: false,
    createdAt: T0,
  });
}

const view = (leadId: number | null, visitorId: string, path: string, at: number, type = "pageview"): EventRow => ({
  siteId,
  visitorId,
  leadId,
  clientId: `${visitorId}-${path}-${at}-${type}`,
  type,
  path: type === "pageview" ? path : null,
  url: `https://a.example${path}`,
  receivedAt: at,
});

describe("personas", () => {
  it("creates, edits, disables and counts leads per persona, scoped to the site", async () => {
    const id = await insertPersona(t.db, siteId, persona("IT"), T0);
    const l = await lead("x@a.example");
    await setLeadPersonas(t.db, [{ leadId: l.id, personaId: id }], T0);
    expect(await listPersonas(t.db, siteId)).toMatchObject([{ id, name: "IT", leadCount: 1, enabled: true }]);
    expect(await updatePersona(t.db, siteId, id, { ...persona("IT buyer"), minMatch: 0.5 })).toBe(true);
    expect(await setPersonaEnabled(t.db, siteId, id, false)).toBe(true);
    expect(await findPersona(t.db, siteId, id)).toMatchObject({
      name: "IT buyer",
      minMatch: 0.5,
      enabled: false,
    });
    // Another site's persona cannot be read or changed through this site.
    expect(await findPersona(t.db, otherSiteId, id)).toBeUndefined();
    expect(await updatePersona(t.db, otherSiteId, id, persona("stolen"))).toBe(false);
    expect(await nurtureSiteIds(t.db)).toEqual([siteId]);
  });

  it("records the persona and refreshes the funnel summary only for leads whose persona changed", async () => {
    const id = await insertPersona(t.db, siteId, persona("IT"), T0);
    const a = await lead("a@a.example");
    const b = await lead("b@a.example");
    expect(
      await setLeadPersonas(
        t.db,
        [
          { leadId: a.id, personaId: id },
          { leadId: b.id, personaId: null },
        ],
        T0,
      ),
    ).toEqual([a.id]);
    const summary = await t.db.$client.execute({
      sql: "SELECT persona_id FROM lead_funnel WHERE lead_id = ?",
      args: [a.id],
    });
    expect(Number(summary.rows[0]?.persona_id)).toBe(id);
    const inputs = await loadNurtureInputs(t.db, [a.id, b.id]);
    expect(inputs.get(a.id)).toMatchObject({ personaId: id, personaMatchedAt: T0 });
    expect(inputs.get(b.id)).toMatchObject({ personaId: null, personaMatchedAt: T0 });
    expect(await setLeadPersonas(t.db, [{ leadId: a.id, personaId: id }], T0 + 1)).toEqual([]);
  });
});

describe("catalogue and tracks", () => {
  it("stores items and tracks with their JSON fields", async () => {
    const item = {
      key: "pricing",
      title: "Pricing",
      kind: "pricing",
      topics: ["buying"],
      match: ["/pricing"],
      href: null,
    };
    const itemId = await insertContentItem(t.db, siteId, item, T0);
    expect(await updateContentItem(t.db, siteId, itemId, { ...item, topics: ["buying", "cost"] })).toBe(true);
    expect(await updateContentItem(t.db, otherSiteId, itemId, item)).toBe(false);
    expect(await listContentItems(t.db, siteId)).toMatchObject([{ key: "pricing", topics: ["buying", "cost"] }]);
    const steps = [{ id: "s1", contentId: "pricing", conditions: { minScore: 10 } }];
    await insertNurtureTrack(
      t.db,
      siteId,
      { name: "T", purpose: "nurture", personaId: null, stages: ["lead"], priority: 0, steps, enabled: true },
      T0,
    );
    expect(await listNurtureTracks(t.db, siteId)).toMatchObject([{ name: "T", stages: ["lead"], steps }]);
    expect(await listNurtureTracks(t.db, otherSiteId)).toEqual([]);
  });
});

describe("lead nurture inputs and progress", () => {
  it("reads distinct viewed pages with their first time, downloads by URL, and the stored progress", async () => {
    const l = await lead("a@a.example");
    await insertEvents(t.db, [
      view(l.id, "v1", "/blog/a", T0 + 2),
      view(l.id, "v1", "/pricing", T0 + 3),
      view(l.id, "v2", "/blog/a", T0 + 1),
      view(l.id, "v1", "/guide.pdf", T0 + 4, "download"),
      { ...view(l.id, "v1", "/x", T0 + 5), type: "click" },
    ]);
    await saveLeadNurture(t.db, [
      {
        leadId: l.id,
        progress: { v: 1, tracks: {}, consumed: {}, lastTouchAt: null },
        nextTrackId: 3,
        nextStepId: "s1",
        nextContentKey: "pricing",
        notifiedAt: null,
        nextDueAt: T0 + 10,
        updatedAt: T0 + 6,
      },
    ]);
    const input = (await loadNurtureInputs(t.db, [l.id])).get(l.id);
    expect(input?.viewed).toEqual([
      { target: "/blog/a", at: T0 + 1 },
      { target: "/pricing", at: T0 + 3 },
      { target: "https://a.example/guide.pdf", at: T0 + 4 },
    ]);
    expect(input?.progress).toEqual({ v: 1, tracks: {}, consumed: {}, lastTouchAt: null });
    expect(input?.next).toEqual({ trackId: 3, stepId: "s1", contentKey: "pricing", notifiedAt: null, dueAt: T0 + 10 });
    expect(input).toMatchObject({ stage: "lead", role: "CTO", traits: { industry: "Software" } });
    expect((await findLeadNurture(t.db, l.id))?.next_content_key).toBe("pricing");
    expect(await deleteLeadNurture(t.db, l.id)).toBe(1);
    expect(await findLeadNurture(t.db, l.id)).toBeNull();
  });

  it("reads an anonymous browser's views and its lead", async () => {
    await insertEvents(t.db, [view(null, "anon", "/blog/a", T0), view(null, "anon", "/blog/a", T0 + 5)]);
    expect(await visitorNurtureFacts(t.db, siteId, "anon")).toEqual({
      leadId: null,
      viewed: [{ target: "/blog/a", at: T0 }],
    });
  });

  it("picks as candidates exactly the leads whose inputs may have changed", async () => {
    const fresh = await lead("fresh@a.example");
    const done = await lead("done@a.example");
    const active = await lead("active@a.example");
    const due = await lead("due@a.example");
    const moved = await lead("moved@a.example");
    const foreign = await lead("f@b.example", otherSiteId);
    const all = [done, active, due, moved].map((l) => l.id);
    await setLeadPersonas(
      t.db,
      [...all, fresh.id].map((leadId) => ({ leadId, personaId: null })),
      T0 + 5,
    );
    const write = (leadId: number, nextDueAt: number | null) => ({
      leadId,
      progress: {},
      nextTrackId: null,
      nextStepId: null,
      nextContentKey: null,
      notifiedAt: null,
      nextDueAt,
      updatedAt: T0 + 10,
    });
    await saveLeadNurture(t.db, [
      write(done.id, null),
      write(active.id, null),
      write(due.id, T0 + 50),
      write(moved.id, T0 + 500),
    ]);
    await t.db.$client.execute({
      sql: "UPDATE leads SET last_activity_at = ? WHERE id = ?",
      args: [T0 + 20, active.id],
    });
    await t.db.$client.execute({
      sql: "INSERT INTO stage_changes (site_id, lead_id, from_stage, to_stage, actor, at) VALUES (?, ?, 'lead', 'mql', 'system', ?)",
      args: [siteId, moved.id, T0 + 30],
    });
    expect(await nurtureCandidates(t.db, siteId, T0 + 100, 0, 100)).toEqual([fresh.id, active.id, due.id, moved.id]);
    expect(await nurtureCandidates(t.db, siteId, T0 + 100, active.id, 2)).toEqual([due.id, moved.id]);
    expect(await nurtureCandidates(t.db, otherSiteId, T0 + 100, 0, 100)).toEqual([foreign.id]);
    await markSiteNurtureStale(t.db, siteId);
    expect(await nurtureCandidates(t.db, siteId, T0 + 100, 0, 100)).toContain(done.id);
  });

  it("reports nurtured leads with their stage moves, not their notes", async () => {
    const l = await lead("a@a.example");
    await lead("never@a.example");
    await saveLeadNurture(t.db, [
      {
        leadId: l.id,
        progress: { v: 1 },
        nextTrackId: null,
        nextStepId: null,
        nextContentKey: null,
        notifiedAt: null,
        nextDueAt: null,
        updatedAt: T0,
      },
    ]);
    for (const [from, to, at] of [
      ["lead", "mql", T0 + 1],
      ["mql", "mql", T0 + 2],
    ] as const) {
      await t.db.$client.execute({
        sql: "INSERT INTO stage_changes (site_id, lead_id, from_stage, to_stage, actor, at) VALUES (?, ?, ?, ?, 'system', ?)",
        args: [siteId, l.id, from, to, at],
      });
    }
    expect(await nurtureReportRows(t.db, siteId)).toEqual([
      { leadId: l.id, progress: { v: 1 }, stageChanges: [{ to: "mql", at: T0 + 1 }] },
    ]);
  });
});
