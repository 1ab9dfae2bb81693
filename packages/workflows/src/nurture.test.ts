// Personas and nurturing against a real database: matching and re-matching, due steps offered as
// signed webhooks to a real HTTP receiver (never for cold leads without a legal basis), the closed
// loop (reading offered content converts the step), customer tracks, and the website's answer.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  createWebhookEndpoint,
  type EventRow,
  insertContentItem,
  insertEvents,
  insertNurtureTrack,
  insertPersona,
  markSiteNurtureStale,
  recordLeadAcquisition,
} from "@leadtrail/db";
import { DAY_MS } from "@leadtrail/scoring";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { nextContentForVisitor } from "./next-content.ts";
import { runNurture } from "./nurture.ts";
import { siteTrackReports } from "./nurture-view.ts";
import { eraseLead, exportLead } from "./privacy.ts";
import { createFixture, type Fixture } from "./test-fixtures.ts";
import { deliverDueWebhooks } from "./webhooks.ts";

const T0 = Date.UTC(2026, 4, 4, 9);

let f: Fixture;
let itPersona: number;
let readerPersona: number;
let nurtureTrack: number;
let onboardingTrack: number;

async function setUp() {
  const c = f.db;
  const item = (key: string, match: string, topics: string[], kind = "blog") =>
    insertContentItem(c, f.site.id, { key, title: `Title ${key}`, kind, topics, match: [match], href: null }, T0);
  await item("whitepaper", "/whitepaper", ["security"], "whitepaper");
  await item("pricing", "/pricing", ["buying"], "pricing");
  await item("blog-security", "/blog/security-*", ["security"]);
  await item("getting-started", "/docs/start", ["onboarding"], "documentation");
  const persona = (name: string, criteria: Record<string, unknown>, defaultContentKey: string | null) =>
    insertPersona(
      c,
      f.site.id,
      { name, description: null, criteria, weights: {}, minMatch: 1, defaultContentKey, enabled: true },
      T0,
    );
  itPersona = await persona("IT decision maker", { roles: ["cto", "head of it"] }, "pricing");
  readerPersona = await persona("Security reader", { topics: [{ topic: "security" }] }, "whitepaper");
  nurtureTrack = await insertNurtureTrack(
    c,
    f.site.id,
    {
      name: "IT nurture",
      purpose: "nurture",
      personaId: itPersona,
      stages: ["lead", "mql"],
      priority: 0,
      steps: [
        { id: "s1", contentId: "whitepaper" },
        { id: "s2", contentId: "pricing", conditions: { minDaysSincePreviousStep: 2 } },
      ],
      enabled: true,
    },
    T0,
  );
  onboardingTrack = await insertNurtureTrack(
    c,
    f.site.id,
    {
      name: "Onboarding",
      purpose: "onboarding",
      personaId: null,
      stages: ["won"],
      priority: 0,
      steps: [{ id: "o1", contentId: "getting-started" }],
      enabled: true,
    },
    T0,
  );
}

let seq = 0;
async function view(leadId: number | null, visitorId: string, path: string, at: number) {
  const row: EventRow = {
    siteId: f.site.id,
    visitorId,
    leadId,
    clientId: `c${seq++}`,
    type: "pageview",
    path,
    url: `https://wf.test${path}`,
    receivedAt: at,
  };
  await insertEvents(f.db, [row]);
  if (leadId !== null) {
    await f.db.$client.execute({ sql: "UPDATE leads SET last_activity_at = ? WHERE id = ?", args: [at, leadId] });
  }
}

const leadRow = async (id: number) =>
  (await f.rows("SELECT persona_id, persona_matched_at FROM leads WHERE id = ?", [id]))[0];
const progressOf = async (id: number) =>
  JSON.parse(String((await f.rows("SELECT progress FROM lead_nurture WHERE lead_id = ?", [id]))[0]?.progress));
const outbox = async () =>
  (
    await f.rows(
      "SELECT lead_id, event_type, payload FROM outbox WHERE event_type = 'lead.nurture_step_due' ORDER BY id",
    )
  ).map((r) => ({ leadId: Number(r.lead_id), payload: JSON.parse(String(r.payload)) }));

beforeEach(async () => {
  f = await createFixture();
  await setUp();
});
afterEach(() => f.cleanup());

describe("persona matching", () => {
  it("matches leads automatically and again when the profile or behaviour changes", async () => {
    const cto = await f.lead("cto@x.test", { role: "CTO" }, "lead");
    const reader = await f.lead("reader@x.test", { role: "Student" }, "lead");
    const nobody = await f.lead("nobody@x.test", { role: "Student" }, "lead");
    await view(reader, "vr", "/blog/security-basics", T0 + 1);
    const first = await runNurture(f.db, { now: T0 + 10 });
    expect(first.personaChanged).toBe(2);
    expect(await leadRow(cto)).toEqual({ persona_id: itPersona, persona_matched_at: T0 + 10 });
    expect(await leadRow(reader)).toMatchObject({ persona_id: readerPersona });
    expect(await leadRow(nobody)).toEqual({ persona_id: null, persona_matched_at: T0 + 10 });

    // Nothing changed: a second run does not even look at the leads.
    expect((await runNurture(f.db, { now: T0 + 20 })).leads).toBe(0);

    // Profile change: the student becomes head of IT.
    await f.db.$client.execute({
      sql: "UPDATE leads SET traits = ?, last_activity_at = ? WHERE id = ?",
      args: [JSON.stringify({ role: "Head of IT" }), T0 + 30, nobody],
    });
    const second = await runNurture(f.db, { now: T0 + 40 });
    expect(second.leads).toBe(1);
    expect(await leadRow(nobody)).toEqual({ persona_id: itPersona, persona_matched_at: T0 + 40 });
  });

  it("matches again for every lead after the set-up changed", async () => {
    const cto = await f.lead("cto@x.test", { role: "CTO" }, "lead");
    await runNurture(f.db, { now: T0 + 10 });
    await f.db.$client.execute({ sql: "UPDATE personas SET enabled = 0 WHERE id = ?", args: [itPersona] });
    await markSiteNurtureStale(f.db, f.site.id);
    await runNurture(f.db, { now: T0 + 20 });
    expect(await leadRow(cto)).toEqual({ persona_id: null, persona_matched_at: T0 + 20 });
  });
});

describe("next best content and the step-due webhook", () => {
  let server: Server;
  let received: { body: string; signature: string | undefined }[];
  let url: string;
  beforeEach(async () => {
    received = [];
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (d) => {
        body += d;
      });
      req.on("end", () => {
        received.push({ body, signature: req.headers["x-leadtrail-signature"] as string | undefined });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterEach(async () => {
    await new Promise((r) => server.close(r));
  });

  it("offers the due step once, as a webhook with lead, track, step and linked content", async () => {
    const cto = await f.lead("cto@x.test", { role: "CTO" }, "lead");
    await createWebhookEndpoint(f.db, {
      siteId: f.site.id,
      url,
      secret: "s",
      events: ["lead.nurture_step_due"],
    });
    const run = await runNurture(f.db, { now: T0 });
    expect(run).toMatchObject({ offered: 1, skippedUncontactable: 0 });
    const [row] = await outbox();
    expect(row?.payload).toMatchObject({
      type: "lead.nurture_step_due",
      createdAt: T0,
      data: {
        lead: { id: cto, email: "cto@x.test", stage: "lead" },
        persona: { id: itPersona, name: "IT decision maker" },
        track: { id: nurtureTrack, name: "IT nurture", purpose: "nurture" },
        step: { id: "s1", index: 0 },
        content: {
          key: "whitepaper",
          title: "Title whitepaper",
          href: "/whitepaper",
          url: "https://wf.test/whitepaper",
        },
      },
    });
    const delivered = await deliverDueWebhooks(f.db, { now: () => T0 + 1 });
    expect(delivered).toMatchObject({ delivered: 1 });
    expect(JSON.parse(received[0]?.body ?? "null")).toEqual(row?.payload);
    expect(received[0]?.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);

    // The step is recorded as offered by webhook; the next one waits two days after it.
    const progress = await progressOf(cto);
    expect(progress.tracks[String(nurtureTrack)].s1).toMatchObject({
      offeredAt: T0,
      channel: "webhook",
      convertedAt: null,
    });
    const stored = (await f.rows("SELECT * FROM lead_nurture WHERE lead_id = ?", [cto]))[0];
    expect(stored).toMatchObject({ next_step_id: "s2", next_content_key: "pricing", next_due_at: T0 + 2 * DAY_MS });

    // Runs before the pause is over send nothing; the run after it sends step 2.
    await runNurture(f.db, { now: T0 + DAY_MS });
    expect(await outbox()).toHaveLength(1);
    await runNurture(f.db, { now: T0 + 2 * DAY_MS });
    expect((await outbox()).map((o) => o.payload.data.step.id)).toEqual(["s1", "s2"]);
  });

  it("skips cold leads without a legal basis until one is recorded", async () => {
    const cold = await f.lead("cold@x.test", { role: "CTO" }, "lead");
    await f.db.$client.execute({ sql: "UPDATE leads SET acquisition = 'cold' WHERE id = ?", args: [cold] });
    const run = await runNurture(f.db, { now: T0 });
    expect(run).toMatchObject({ offered: 0, skippedUncontactable: 1 });
    expect(await outbox()).toEqual([]);
    // The due step stays the lead's next best content (for the lead page and the website).
    expect((await f.rows("SELECT next_content_key FROM lead_nurture WHERE lead_id = ?", [cold]))[0]).toEqual({
      next_content_key: "whitepaper",
    });
    await recordLeadAcquisition(f.db, { leadId: cold, legalBasis: "consent", actor: "user:1", at: T0 + 5 });
    expect(await runNurture(f.db, { now: T0 + 10 })).toMatchObject({ offered: 1 });
    expect((await outbox()).map((o) => o.leadId)).toEqual([cold]);
  });

  it("converts the step when the lead reads the offered content, and reports it", async () => {
    const cto = await f.lead("cto@x.test", { role: "CTO" }, "lead");
    await runNurture(f.db, { now: T0 });
    await view(cto, "v1", "/whitepaper", T0 + 100);
    const run = await runNurture(f.db, { now: T0 + 200 });
    expect(run.converted).toBe(1);
    expect((await progressOf(cto)).tracks[String(nurtureTrack)].s1.convertedAt).toBe(T0 + 100);
    await f.db.$client.execute({
      sql: "INSERT INTO stage_changes (site_id, lead_id, from_stage, to_stage, actor, at) VALUES (?, ?, 'lead', 'mql', 'system', ?)",
      args: [f.site.id, cto, T0 + 300],
    });
    const [report] = await siteTrackReports(f.db, f.site.id);
    expect(report).toMatchObject({ name: "IT nurture", personaName: "IT decision maker", leads: 1, mql: 1 });
    expect(report?.steps[0]).toMatchObject({
      stepId: "s1",
      reached: 1,
      converted: 1,
      conversionRate: 1,
      lastBeforeMql: 1,
    });
    expect(report?.steps[1]).toMatchObject({ stepId: "s2", reached: 0, converted: 0 });
  });

  it("does not offer content the lead already read, and never counts it as converted", async () => {
    const cto = await f.lead("cto@x.test", { role: "CTO" }, "lead");
    await view(cto, "v1", "/whitepaper", T0 - 100);
    await runNurture(f.db, { now: T0 });
    expect((await outbox()).map((o) => o.payload.data.content.key)).toEqual(["pricing"]);
  });

  it("puts won customers on the onboarding track", async () => {
    const customer = await f.lead("won@x.test", { role: "CTO" }, "won");
    await runNurture(f.db, { now: T0 });
    expect((await outbox()).map((o) => [o.leadId, o.payload.data.track.id, o.payload.data.content.key])).toEqual([
      [customer, onboardingTrack, "getting-started"],
    ]);
  });
});

describe("what the website recommends", () => {
  const attach = (visitorId: string, leadId: number | null) =>
    f.db.$client.execute({
      sql: "INSERT INTO visitors (site_id, id, lead_id, first_seen_at, last_seen_at) VALUES (?, ?, ?, ?, ?)",
      args: [f.site.id, visitorId, leadId, T0, T0],
    });

  it("gives an identified visitor its lead's next step and records the offer on the website", async () => {
    const cto = await f.lead("cto@x.test", { role: "CTO" }, "lead");
    await attach("known", cto);
    expect(await nextContentForVisitor(f.db, f.site.id, "known", T0)).toEqual({
      content: { key: "whitepaper", title: "Title whitepaper", href: "/whitepaper", kind: "whitepaper" },
      reason: "next_step",
    });
    expect((await progressOf(cto)).tracks[String(nurtureTrack)].s1).toMatchObject({
      channel: "website",
      offeredAt: T0,
    });
    // Asked again before the next step is due: the open offer is recommended again, nothing new recorded.
    expect(await nextContentForVisitor(f.db, f.site.id, "known", T0 + 1)).toMatchObject({
      content: { key: "whitepaper" },
      reason: "open_offer",
    });
    expect(Object.keys((await progressOf(cto)).tracks[String(nurtureTrack)])).toEqual(["s1"]);
    // No webhook for a website offer.
    expect(await outbox()).toEqual([]);
  });

  const anonymous = [
    {
      name: "a reader of security posts gets that persona's default",
      paths: ["/blog/security-a"],
      key: "whitepaper",
      reason: "persona_default",
    },
    {
      name: "a visitor with no history gets the site's first persona default",
      paths: [],
      key: "pricing",
      reason: "site_default",
    },
    {
      name: "a reader who already has the default gets the first track step it has not read",
      paths: ["/blog/security-a", "/whitepaper"],
      key: "pricing",
      reason: "site_default",
    },
  ] as const;
  for (const c of anonymous) {
    it(c.name, async () => {
      await attach("anon", null);
      for (const [i, path] of c.paths.entries()) await view(null, "anon", path, T0 + i);
      expect(await nextContentForVisitor(f.db, f.site.id, "anon", T0 + 10)).toMatchObject({
        content: { key: c.key },
        reason: c.reason,
      });
    });
  }

  it("answers no content for a site without personas", async () => {
    await f.db.$client.execute("DELETE FROM nurture_tracks");
    await f.db.$client.execute("DELETE FROM personas");
    expect(await nextContentForVisitor(f.db, f.site.id, null, T0)).toEqual({ content: null, reason: "no_personas" });
  });
});

describe("privacy", () => {
  it("exports a lead's nurture row and erases it with the lead", async () => {
    const cto = await f.lead("cto@x.test", { role: "CTO" }, "lead");
    await runNurture(f.db, { now: T0 });
    const exported = await exportLead(f.db, cto, { now: T0 });
    expect(exported?.nurture).toMatchObject({ lead_id: cto, next_content_key: "pricing" });
    const erased = await eraseLead(f.db, cto, { now: T0 });
    expect(erased?.deleted.lead_nurture).toBe(1);
    expect(await f.rows("SELECT * FROM lead_nurture")).toEqual([]);
  });
});
