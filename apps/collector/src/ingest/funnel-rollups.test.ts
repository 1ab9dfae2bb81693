// The funnel summaries (lead_funnel, lead_touches, content_pipeline_daily, stage_exits) built through
// the real write paths — the collector app for page views, identifies and automatic MQLs, and
// applySalesAction / eraseLead for sales moves and erasure — must answer every funnel widget exactly
// as the raw tables do, after every kind of change: advance, rejection to nurture, won, lost, a
// second device joining a lead, a persona assignment, and erase.
import {
  type Cohort,
  contentPipeline,
  type DashboardFilter,
  funnel,
  rawContentPipeline,
  rawFunnel,
  rawTimeInStage,
  refreshLeadSummaries,
  timeInStage,
} from "@leadtrail/db";
import { applySalesAction, eraseLead, type SalesActionInput } from "@leadtrail/workflows";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { batch, createTestCollector, pageview, type TestCollector } from "../testing/test-collector.ts";

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 2, 10, 9);
const at = (ms: number) => ({ "x-test-now": String(ms) });
const PATHS = ["/pricing", "/blog", "/docs", "/webinar", "/contact", "/id", "/never"];
const spring = { utm_source: "newsletter", utm_medium: "email", utm_campaign: "spring" };
const autumn = { utm_source: "ads", utm_medium: "cpc", utm_campaign: "autumn" };

/** identify (c-level, business e-mail: fit 20) + contact form (20) = 40 ≥ 35: MQL in one batch. */
const identifyAsMql = (email: string) => [
  pageview("/id", { type: "identify", email, traits: { seniority: "c-level" } }),
  pageview("/contact", { type: "form", name: "contact" }),
];
const identifyOnly = (email: string) => [pageview("/id", { type: "identify", email })];

describe("funnel summaries kept by the write paths", () => {
  let t: TestCollector;
  const filter = (extra: Partial<DashboardFilter> = {}): DashboardFilter => ({
    siteId: t.site.id,
    from: "2026-03-01",
    to: "2026-03-31",
    ...extra,
  });
  const leadId = async (email: string) =>
    Number((await t.db.$client.execute({ sql: "SELECT id FROM leads WHERE email = ?", args: [email] })).rows[0]?.id);
  const act = async (email: string, action: SalesActionInput["action"], now: number, reason?: string) => {
    const result = await applySalesAction(t.db, { leadId: await leadId(email), action, actor: "user:1", reason, now });
    expect(result.ok).toBe(true);
  };

  /** Every widget that reads a summary, under every filter and cohort, against the raw question. */
  async function expectSummariesMatchRaw(): Promise<void> {
    const filters = [
      filter(),
      filter({ from: "2026-03-11", to: "2026-03-11" }),
      filter({ segment: "CTO" }),
      filter({ campaign: "spring" }),
      filter({ channel: "email" }),
    ];
    for (const f of filters) {
      for (const cohort of [undefined, "month", "campaign", "source", "persona"] as (Cohort | undefined)[]) {
        expect(await funnel(t.db, f, cohort), `funnel ${cohort} ${JSON.stringify(f)}`).toEqual(
          await rawFunnel(t.db, f, cohort),
        );
      }
      expect(await contentPipeline(t.db, f, PATHS), `pipeline ${JSON.stringify(f)}`).toEqual(
        await rawContentPipeline(t.db, f, PATHS),
      );
      expect(await timeInStage(t.db, f)).toEqual(await rawTimeInStage(t.db, f));
    }
  }

  /** Posts a batch through the collector app; every batch here must be accepted. */
  const send = async (body: unknown, headers: Record<string, string>) => {
    const res = await t.post(body, headers);
    expect(res.status, await res.text()).toBe(200);
  };
  const counts = async (f = filter(), cohort?: Cohort) =>
    Object.fromEntries((await funnel(t.db, f, cohort)).map((r) => [r.cohort, r.counts]));
  const pipeline = async (f = filter()) =>
    Object.fromEntries((await contentPipeline(t.db, f, PATHS)).map((r) => [r.path, r]));

  beforeEach(async () => {
    t = await createTestCollector();
    for (const name of ["CTO", "Dev"]) {
      await t.db.$client.execute({
        sql: "INSERT INTO personas (site_id, name, created_at) VALUES (?, ?, ?)",
        args: [t.site.id, name, T0],
      });
    }
    // ann: spring campaign, reads pricing and blog, becomes MQL on day 1.
    await send(
      batch([pageview("/pricing", { campaign: spring }), pageview("/blog")], { visitor: "visitor_ann" }),
      at(T0),
    );
    await send(batch(identifyAsMql("ann@bigcorp.test"), { visitor: "visitor_ann" }), at(T0 + DAY));
    // bob: from search, reads pricing, becomes MQL on day 2.
    await send(
      batch([pageview("/pricing", { referrer: "https://www.google.com/" })], { visitor: "visitor_bob" }),
      at(T0 + 2 * DAY),
    );
    await send(batch(identifyAsMql("bob@bigcorp.test"), { visitor: "visitor_bob" }), at(T0 + 2 * DAY + 60_000));
    // cid: identified on a phone (no campaign) without becoming MQL; later the laptop, which saw the
    // autumn campaign and the docs before, turns out to be cid too.
    await send(batch([pageview("/docs", { campaign: autumn })], { visitor: "visitor_cid_laptop" }), at(T0 + DAY));
    await send(
      batch([pageview("/blog"), ...identifyOnly("cid@bigcorp.test")], { visitor: "visitor_cid_phone" }),
      at(T0 + 3 * DAY),
    );
  });
  afterEach(() => t.cleanup());

  it("counts the funnel, the pipeline shares and the time in stage as the raw tables do, through every move", async () => {
    await expectSummariesMatchRaw();
    expect(await counts()).toEqual({ all: { lead: 3, mql: 2, sal: 0, sql: 0, won: 0 } });
    expect((await pipeline())["/pricing"]).toMatchObject({ leads: 2, mqlLeads: 2, mqlShare: 1 });

    // A known lead reading a page for the first time counts for it at once.
    await send(batch([pageview("/webinar")], { visitor: "visitor_ann" }), at(T0 + 3 * DAY));
    expect((await pipeline())["/webinar"]).toMatchObject({ leads: 1, mqlLeads: 1 });

    // Advance: ann accepted, qualified, won; bob accepted, then rejected back to nurture.
    await act("ann@bigcorp.test", "accept", T0 + 4 * DAY);
    await act("ann@bigcorp.test", "qualify", T0 + 5 * DAY);
    await act("bob@bigcorp.test", "accept", T0 + 5 * DAY);
    await expectSummariesMatchRaw();
    await act("ann@bigcorp.test", "win", T0 + 8 * DAY);
    await act("bob@bigcorp.test", "reject", T0 + 9 * DAY, "no budget");
    await expectSummariesMatchRaw();
    // bob keeps what he reached (SAL) after the rejection.
    expect(await counts()).toEqual({ all: { lead: 3, mql: 2, sal: 2, sql: 1, won: 1 } });
    expect(await counts(filter(), "campaign")).toEqual({
      spring: { lead: 1, mql: 1, sal: 1, sql: 1, won: 1 },
      "": { lead: 2, mql: 1, sal: 1, sql: 0, won: 0 },
    });
    const times = Object.fromEntries((await timeInStage(t.db, filter())).map((s) => [s.stage, s]));
    expect(times.sal).toMatchObject({ count: 2, medianMs: DAY, p90Ms: 4 * DAY });

    // cid by hand to MQL, then lost; the laptop joins cid: first touch becomes autumn, /docs is cid's.
    await act("cid@bigcorp.test", "mark_mql", T0 + 10 * DAY, "met at a fair");
    await act("cid@bigcorp.test", "lose", T0 + 11 * DAY, "went elsewhere");
    await send(batch(identifyOnly("cid@bigcorp.test"), { visitor: "visitor_cid_laptop" }), at(T0 + 12 * DAY));
    await expectSummariesMatchRaw();
    expect((await counts(filter(), "campaign")).autumn).toEqual({ lead: 1, mql: 1, sal: 0, sql: 0, won: 0 });
    expect((await pipeline())["/docs"]).toMatchObject({ leads: 1, mqlLeads: 1 });

    // A lost lead recycled to nurture and made MQL again, then moved on.
    await act("cid@bigcorp.test", "recycle", T0 + 13 * DAY);
    await act("cid@bigcorp.test", "mark_mql", T0 + 14 * DAY, "asked again");
    await act("cid@bigcorp.test", "accept", T0 + 15 * DAY);
    await expectSummariesMatchRaw();
    expect((await counts()).all).toEqual({ lead: 3, mql: 3, sal: 3, sql: 1, won: 1 });
  });

  it("slices by persona once the matching job has set it and refreshed the leads", async () => {
    // What the persona matching job does: set leads.persona_id and refresh those leads' summaries.
    await t.db.$client.execute({
      sql: "UPDATE leads SET persona_id = (SELECT id FROM personas WHERE name = 'CTO') WHERE email IN (?, ?)",
      args: ["ann@bigcorp.test", "cid@bigcorp.test"],
    });
    await refreshLeadSummaries(t.db, [await leadId("ann@bigcorp.test"), await leadId("cid@bigcorp.test")]);
    await act("ann@bigcorp.test", "accept", T0 + 4 * DAY);
    await expectSummariesMatchRaw();
    expect(await counts(filter(), "persona")).toEqual({
      CTO: { lead: 2, mql: 1, sal: 1, sql: 0, won: 0 },
      "": { lead: 1, mql: 1, sal: 0, sql: 0, won: 0 },
    });
    expect(await counts(filter({ segment: "CTO" }))).toEqual({ all: { lead: 2, mql: 1, sal: 1, sql: 0, won: 0 } });
    // Among CTOs, ann is the only MQL and she read pricing: a 100 % share; cid read the blog.
    const cto = await pipeline(filter({ segment: "CTO" }));
    expect(cto["/pricing"]).toMatchObject({ leads: 1, mqlLeads: 1, mqlShare: 1 });
    expect(cto["/blog"]).toMatchObject({ leads: 2, mqlLeads: 1, mqlShare: 1 });
  });

  it("moves a shared browser's pages and first touch to the person it is identified as next", async () => {
    // ann's browser is used by dora, who identifies on it: the browser (and its pages) is dora's now.
    await send(batch(identifyOnly("dora@bigcorp.test"), { visitor: "visitor_ann" }), at(T0 + 4 * DAY));
    await expectSummariesMatchRaw();
    expect((await counts(filter(), "campaign")).spring).toEqual({ lead: 1, mql: 0, sal: 0, sql: 0, won: 0 });
    expect((await pipeline())["/pricing"]).toMatchObject({ leads: 2, mqlLeads: 1 });
  });

  it("takes an erased lead's contributions back", async () => {
    await act("bob@bigcorp.test", "accept", T0 + 4 * DAY);
    await act("bob@bigcorp.test", "qualify", T0 + 5 * DAY);
    const erased = await eraseLead(t.db, await leadId("bob@bigcorp.test"), { now: T0 + 6 * DAY });
    expect(erased).toBeDefined();
    await expectSummariesMatchRaw();
    expect(await counts()).toEqual({ all: { lead: 2, mql: 1, sal: 0, sql: 0, won: 0 } });
    expect((await pipeline())["/pricing"]).toMatchObject({ leads: 1, mqlLeads: 1, mqlShare: 1 });
    expect(await timeInStage(t.db, filter())).toEqual([expect.objectContaining({ stage: "lead", count: 1 })]);
    const left = await t.db.$client.execute(
      "SELECT (SELECT count(*) FROM lead_funnel) + (SELECT count(*) FROM stage_exits) AS n, (SELECT count(*) FROM lead_touches) AS touches",
    );
    // ann (funnel row + one exit) and cid (funnel row); the pages they viewed: ann /pricing and /blog, cid /blog.
    expect(left.rows[0]).toMatchObject({ n: 3, touches: 3 });
  });
});
