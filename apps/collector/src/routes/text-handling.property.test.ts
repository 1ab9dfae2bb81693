// Property: whatever text a client puts into any field — full Unicode, lone UTF-16 surrogates,
// control characters, NUL — goes through the real write path (the collector app on a libSQL file)
// and every dashboard query and read model that shows those columns then answers without throwing
// or aborting, with well-formed text only (issue #13).
import {
  BREAKDOWNS,
  behaviourBreakdown,
  behaviourSeries,
  behaviourTotals,
  COHORTS,
  companyColleagues,
  contentEngagement,
  contentPipeline,
  createSite,
  type DashboardFilter,
  dimensionValues,
  exitReasons,
  findApiLeadRow,
  findInvalidText,
  findVisibleLead,
  funnel,
  insertLeadNote,
  leadLedgerWithEvents,
  leadsByStage,
  leadsPerMonth,
  leadTimelineEvents,
  listLeadsPage,
  listSalesLeads,
  listSegments,
  listSiteStatus,
  listVisibleLeads,
  rawBehaviourSeries,
  rawBehaviourTotals,
  rawChannels,
  rawContentEngagement,
  rawContentPipeline,
  rawFunnel,
  rawLeadsPerMonth,
  rawSalesLeads,
  rawTimeInStage,
  rawTopContentByPoints,
  rawTopPages,
  recentEventsOnPath,
  recentVisitors,
  timeInStage,
  topContentByPoints,
  updateSite,
} from "@leadtrail/db";
import { readEverythingInChild } from "@leadtrail/db/testing";
import { loadLeadSummary } from "@leadtrail/workflows";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { batch, createTestCollector, TEST_ORIGIN, type TestCollector } from "../testing/test-collector.ts";

/** Any JS string: arbitrary UTF-16 code units, so lone surrogates in every position. */
const codeUnits = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) });
const controls = fc.string({ unit: fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)) });
const surrogates = fc.constantFrom("\ud800", "\udfff", "x\udbffy", "\udc00\ud800", "\\ud800", "\u0000", "😀\ud83d");
const anyText = (maxLength: number) =>
  fc.oneof(
    fc.string({ unit: "binary", maxLength }), // every code point, astral ones as valid pairs
    codeUnits.map((s) => s.slice(0, maxLength)),
    controls.map((s) => s.slice(0, maxLength)),
    fc.tuple(surrogates, fc.string({ unit: "binary", maxLength: 10 }), surrogates).map((p) => p.join("")),
  );
const record = (maxKeys: number) => fc.dictionary(anyText(60), anyText(200), { maxKeys });

const input = fc.record({
  title: anyText(200),
  path: anyText(80),
  referrer: anyText(200),
  name: anyText(100),
  props: record(4),
  utm: anyText(60),
  traits: record(4),
  personName: anyText(60),
  note: anyText(300),
  siteName: anyText(60),
  domain: anyText(60),
});

let t: TestCollector;
let run = 0;
beforeAll(async () => {
  t = await createTestCollector();
});
afterAll(() => t?.cleanup());

/** Every string anywhere inside `value`, keys included. */
function stringsIn(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const v of value) stringsIn(v, out);
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      stringsIn(v, out);
    }
  }
  return out;
}

/** Every dashboard query and read model over the columns the batch wrote, as plain results. */
async function readEverything(leadIds: number[], paths: string[], search: string): Promise<unknown[]> {
  const db = t.db;
  const siteId = t.site.id;
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const filter: DashboardFilter = { siteId, from: day(Date.now() - 7 * 86_400_000), to: day(Date.now() + 86_400_000) };
  const viewer = { id: 1, role: "admin" };
  const results: unknown[] = [
    await behaviourTotals(db, filter),
    await behaviourSeries(db, filter),
    await contentEngagement(db, filter),
    await contentPipeline(db, filter, paths),
    await rawContentPipeline(db, filter, paths),
    await funnel(db, filter),
    await timeInStage(db, filter),
    await exitReasons(db, filter),
    await listSegments(db, siteId),
    await leadsPerMonth(db, filter),
    await leadsByStage(db, siteId),
    await topContentByPoints(db, filter),
    await rawBehaviourTotals(db, filter),
    await rawBehaviourSeries(db, filter),
    await rawTopPages(db, filter),
    await rawChannels(db, filter),
    await rawContentEngagement(db, filter),
    await rawTopContentByPoints(db, filter),
    await rawLeadsPerMonth(db, filter),
    await rawFunnel(db, filter),
    await rawTimeInStage(db, filter),
    await listSiteStatus(db),
    await listVisibleLeads(db, siteId, viewer),
    await recentVisitors(db, siteId),
    await listSalesLeads(db, { siteId, viewer, search }),
    await rawSalesLeads(db, { siteId, viewer, company: search }),
    await listLeadsPage(db, { siteId, afterId: 0, limit: 50 }),
  ];
  for (const dimension of BREAKDOWNS) {
    results.push(await behaviourBreakdown(db, filter, dimension), await dimensionValues(db, filter, dimension));
  }
  for (const cohort of COHORTS) results.push(await funnel(db, filter, cohort), await rawFunnel(db, filter, cohort));
  for (const path of paths) results.push(await recentEventsOnPath(db, siteId, path));
  for (const id of leadIds) {
    const row = await findApiLeadRow(db, id);
    results.push(
      row,
      await findVisibleLead(db, id, viewer),
      await leadTimelineEvents(db, id),
      await leadLedgerWithEvents(db, id),
      await loadLeadSummary(db, id),
      row?.companyId ? await companyColleagues(db, row.companyId, id, viewer) : null,
    );
  }
  return results;
}

describe("text in every field, through the write path and back out of every dashboard query", () => {
  it("never throws, never aborts, and reads back only well-formed text", async () => {
    const other = await createSite(t.db, { publicKey: "site_other", name: "Other", domains: ["other.test"] });
    await fc.assert(
      fc.asyncProperty(input, async (x) => {
        run++;
        const visitor = `visitor_prop_${run}`;
        const email = `p${run}@corp${run}.test`;
        const id = (n: number) => `evt_prop_${run}_${n}`;
        const url = `${TEST_ORIGIN}/${x.path}`;
        const events = [
          { id: id(1), type: "pageview", time: Date.now(), url, title: x.title, referrer: x.referrer },
          { id: id(2), type: "custom", time: Date.now(), url, name: x.name, props: x.props },
          { id: id(3), type: "form", time: Date.now(), url, name: x.name, email, traits: x.traits },
          {
            id: id(4),
            type: "identify",
            time: Date.now(),
            url,
            email,
            traits: { ...x.traits, name: x.personName.slice(0, 500) },
            campaign: { utm_source: x.utm, utm_campaign: x.utm, referrer: x.referrer },
          },
        ];
        const res = await t.post(batch(events, { visitor }));
        expect(res.status, await res.clone().text()).toBeLessThan(500);
        const crm = await t.app.request("/v1/identify", {
          method: "POST",
          body: JSON.stringify({
            site: "site_test",
            email: `crm${run}@corp.test`,
            traits: { ...x.traits, name: x.personName },
          }),
          headers: { "content-type": "application/json", authorization: "Bearer sk_test_secret" },
        });
        expect(crm.status).toBeLessThan(500);
        const pixel = await t.app.request(
          `/p.gif?site=site_test&n=${encodeURIComponent(x.name.toWellFormed())}&utm_source=${encodeURIComponent(x.utm.toWellFormed())}`,
          { headers: { "user-agent": "Mozilla/5.0 Chrome/131.0" } },
        );
        expect(pixel.status).toBeLessThan(500);

        // Dashboard form fields reach the same database: a note, a site's name and domains (JSON).
        const leadIds = (await t.db.$client.execute("SELECT id FROM leads ORDER BY id DESC LIMIT 3")).rows.map((r) =>
          Number(r.id),
        );
        if (leadIds[0] !== undefined) {
          await insertLeadNote(t.db, { leadId: leadIds[0], actor: "user:1", text: x.note, at: Date.now() });
        }
        await updateSite(t.db, other.id, { name: x.siteName || "Other", domains: [x.domain, "other.test"] });

        // Checked without reading any value as text: nothing stored would abort a reader.
        expect(await findInvalidText(t.db)).toEqual({});
        const paths = (await rawTopPages(t.db, { siteId: t.site.id, from: "2000-01-01", to: "2100-01-01" }, 5)).map(
          (p) => p.path,
        );
        const results = await readEverything(leadIds, paths, x.name);
        const illFormed = stringsIn(results).filter((s) => !s.isWellFormed());
        expect(illFormed).toEqual([]);
      }),
      // Each run adds rows to one shared database: stop at the first failing input rather than
      // shrinking against rows earlier runs left behind.
      { numRuns: 20, endOnFailure: true },
    );
    // And the whole file, read by the driver in a process of its own.
    const read = await readEverythingInChild(t.url);
    expect(read.stderr).toBe("");
    expect(read.code).toBe(0);
    expect(read.illFormed).toEqual([]);
  }, 120_000);
});
