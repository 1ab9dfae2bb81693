// `npm run bench:dashboard`: fills temporary databases with 1 M and 10 M demo events through the
// real collector app (validation, enrichment, scoring, rollups in the ingest transaction), then times
// every dashboard widget query (p50/p95) next to the same question answered from the raw tables.
// The demo's sales moves are replayed through applySalesAction, so the funnel summaries are built by
// the same write paths as in production. Besides the widgets, every other page's load is timed: no
// page may wait on a query the budget does not cover.
// The bench site counts Europe/Berlin days; the "periods:" widgets are the KPI cards of the overview,
// behaviour and content pages (both periods, per bucket) for each kind of preset.
// Budget (DESIGN.md): p95 ≤ 50 ms per widget at 10 M events. Prints figures; asserts nothing.
//
//   npm run bench:dashboard                       # 1M and 10M (the 10M fill takes a while)
//   npm run bench:dashboard -- --sizes=200000     # a quick run
//   npm run bench:dashboard -- --keep             # keep the databases (their paths are printed)
//   npm run bench:dashboard -- --db=file:/tmp/…/bench.db   # time the widgets again on a kept database
//   … --skip-raw                                  # without the (slow) raw-table baselines
//   … --only=visitors,my leads                    # only the widgets whose name contains one of these
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createCollector, DEMO_LINKS } from "@leadtrail/collector";
import {
  BREAKDOWNS,
  behaviourBreakdown,
  behaviourSeries,
  behaviourTotals,
  calibrationLeads,
  campaignDayCounts,
  contentEngagement,
  contentPipeline,
  createDb,
  createLink,
  createSite,
  type DashboardFilter,
  type Database,
  dealValuesOf,
  dimensionValues,
  exitReasons,
  findVisibleLead,
  funnel,
  insertCampaign,
  isoDay,
  kpiComparison,
  latestRuleSet,
  leadLedgerWithEvents,
  leadsAtOrAbove,
  leadsByStage,
  leadsPerMonth,
  leadTimelineEvents,
  ledgerTotalsByRule,
  listLeadAssignments,
  listSalesCandidates,
  listSegments,
  listSiteCampaigns,
  listSiteStatus,
  listStageChanges,
  listVisibleLeads,
  migrate,
  previousPeriod,
  rawBehaviourSeries,
  rawBehaviourTotals,
  rawChannels,
  rawContentEngagement,
  rawContentPipeline,
  rawFunnel,
  rawLeadsPerMonth,
  rawTimeInStage,
  rawTopContentByPoints,
  rawTopPages,
  rebuildLeadSummaries,
  recentEventsOnPath,
  recentVisitors,
  resolvePeriod,
  salesLeadsByIds,
  timeInStage,
  topContentByPoints,
  visitorsNow,
  withWriteTransaction,
} from "@leadtrail/db";
import { countEvents, type DemoItem, EVENTS_PER_VISITOR, generateDemo } from "@leadtrail/demo";
import { applySalesAction } from "@leadtrail/workflows";

const DAY = 86_400_000;
const DAYS = 90;
const ORIGIN = "http://localhost:8787";
const SITE_KEY = "demo";

const args = process.argv.slice(2);
const sizes = (args.find((a) => a.startsWith("--sizes="))?.slice(8) ?? "1000000,10000000").split(",").map(Number);
const keep = args.includes("--keep");
const reuse = args.find((a) => a.startsWith("--db="))?.slice(5);
const skipRaw = args.includes("--skip-raw");
/** `--only=visitors,my leads`: time just the widgets whose name contains one of these. */
const only = args
  .find((a) => a.startsWith("--only="))
  ?.slice(7)
  .split(",")
  .filter(Boolean);
const ROLLUP_RUNS = 40;
const RAW_RUNS = 5;

interface Widget {
  name: string;
  rollup: (db: Database, f: DashboardFilter) => Promise<unknown>;
  raw?: (db: Database, f: DashboardFilter) => Promise<unknown>;
}

/** A busy lead (the one with the latest stage change) and a persona, for the widgets that need them. */
const sample = { leadId: 0, persona: "" };
const ADMIN = { id: 1, role: "admin" };

/** The bench site's zone: its rollups count Berlin days, like the demo's. */
const ZONE = "Europe/Berlin";
/** The KPI cards of a page (both periods and per-bucket figures) for a period ending at the filter's `to`. */
const kpis = (preset: "custom" | "today" | "quarter" | "12m") => (db: Database, f: DashboardFilter) => {
  const now = Date.parse(`${f.to}T12:00:00Z`);
  return kpiComparison(db, f, resolvePeriod(preset, now, ZONE, { from: f.from, to: f.to }), ZONE);
};
const year = (f: DashboardFilter) => ({ ...f, from: isoDay(Date.parse(`${f.to}T00:00:00Z`) - 364 * DAY) });
const WIDGETS: Widget[] = [
  { name: "behaviour: totals", rollup: behaviourTotals, raw: rawBehaviourTotals },
  {
    name: "behaviour: totals, previous period",
    rollup: (db, f) => behaviourTotals(db, previousPeriod(f)),
    raw: (db, f) => rawBehaviourTotals(db, previousPeriod(f)),
  },
  { name: "behaviour: daily series", rollup: behaviourSeries, raw: rawBehaviourSeries },
  { name: "behaviour: channels", rollup: (db, f) => behaviourBreakdown(db, f, "channel"), raw: rawChannels },
  { name: "behaviour: top pages", rollup: (db, f) => behaviourBreakdown(db, f, "path"), raw: rawTopPages },
  { name: "behaviour: referrers", rollup: (db, f) => behaviourBreakdown(db, f, "referrer") },
  {
    name: "behaviour: campaign-filtered totals",
    rollup: (db, f) => behaviourTotals(db, { ...f, campaign: "spring-webinar" }),
  },
  {
    name: "overview: leads + MQLs per month (12 mo)",
    rollup: (db, f) => leadsPerMonth(db, year(f)),
    raw: (db, f) => rawLeadsPerMonth(db, year(f)),
  },
  { name: "periods: KPI cards + previous period, 30 days", rollup: kpis("custom") },
  { name: "periods: KPI cards + previous, today (hourly)", rollup: kpis("today") },
  { name: "periods: KPI cards + previous, quarter (weekly)", rollup: kpis("quarter") },
  { name: "periods: KPI cards + previous, 12 months (monthly)", rollup: kpis("12m") },
  {
    name: "periods: KPI cards + previous, campaign-filtered",
    rollup: (db, f) => kpis("custom")(db, { ...f, campaign: "spring-webinar" }),
  },
  { name: "overview: funnel at a glance", rollup: (db, f) => leadsByStage(db, f.siteId) },
  { name: "overview: top content by points", rollup: topContentByPoints, raw: rawTopContentByPoints },
  { name: "overview: visitors now", rollup: (db, f) => visitorsNow(db, f.siteId, Date.parse(`${f.to}T12:00:00Z`)) },
  { name: "content: views, engaged time, scroll, points", rollup: contentEngagement, raw: rawContentEngagement },
  {
    name: "content: pipeline share of top 25 pages",
    rollup: async (db, f) =>
      contentPipeline(
        db,
        f,
        (await contentEngagement(db, f)).map((r) => r.path),
      ),
    raw: async (db, f) =>
      rawContentPipeline(
        db,
        f,
        (await contentEngagement(db, f)).map((r) => r.path),
      ),
  },
  {
    name: "content: pipeline share, one persona",
    rollup: async (db, f) =>
      contentPipeline(
        db,
        { ...f, segment: sample.persona },
        (await contentEngagement(db, f)).map((r) => r.path),
      ),
  },
  {
    name: "content: drill-down into the top page (raw, limited)",
    rollup: async (db, f) => recentEventsOnPath(db, f.siteId, (await contentEngagement(db, f, 1))[0]?.path ?? "/", 50),
  },
  { name: "funnel: stages", rollup: (db, f) => funnel(db, f), raw: (db, f) => rawFunnel(db, f) },
  {
    name: "funnel: by campaign cohort",
    rollup: (db, f) => funnel(db, f, "campaign"),
    raw: (db, f) => rawFunnel(db, f, "campaign"),
  },
  {
    name: "funnel: by month cohort",
    rollup: (db, f) => funnel(db, f, "month"),
    raw: (db, f) => rawFunnel(db, f, "month"),
  },
  { name: "funnel: by source cohort", rollup: (db, f) => funnel(db, f, "source") },
  { name: "funnel: by persona cohort", rollup: (db, f) => funnel(db, f, "persona") },
  {
    name: "funnel: one segment, one campaign",
    rollup: (db, f) => funnel(db, { ...f, segment: sample.persona, campaign: "spring-webinar" }, "month"),
  },
  { name: "funnel: time in stage", rollup: timeInStage, raw: rawTimeInStage },
  { name: "funnel: exit reasons", rollup: exitReasons },
  {
    name: "filters: options (campaigns, channels, segments)",
    rollup: (db, f) =>
      Promise.all([
        dimensionValues(db, f, "utm_campaign"),
        dimensionValues(db, f, "channel"),
        listSegments(db, f.siteId),
      ]),
  },
  // The other pages' loads: the budget covers every query a page waits on.
  {
    name: "behaviour page: every breakdown",
    rollup: (db, f) => Promise.all(BREAKDOWNS.map((b) => behaviourBreakdown(db, f, b))),
  },
  { name: "visitors page: recent visitors with events", rollup: (db, f) => recentVisitors(db, f.siteId) },
  { name: "leads page: list (admin)", rollup: (db, f) => listVisibleLeads(db, f.siteId, ADMIN) },
  {
    name: "lead page: lead, timeline, ledger, stages, assignments",
    rollup: (db) =>
      Promise.all([
        findVisibleLead(db, sample.leadId, ADMIN),
        leadTimelineEvents(db, sample.leadId),
        leadLedgerWithEvents(db, sample.leadId),
        listStageChanges(db, sample.leadId),
        listLeadAssignments(db, sample.leadId),
      ]),
  },
  {
    name: "my leads page: sales list, rule totals, deal values",
    rollup: async (db, f) => {
      await latestRuleSet(db, f.siteId);
      // As the page: candidates' scores, then full rows only for the 50 shown.
      const candidates = await listSalesCandidates(db, { siteId: f.siteId, viewer: ADMIN });
      const ids = (
        await salesLeadsByIds(
          db,
          candidates.slice(0, 50).map((r) => r.id),
        )
      ).map((r) => r.id);
      return Promise.all([ledgerTotalsByRule(db, ids), dealValuesOf(db, ids)]);
    },
  },
  {
    name: "scoring page: calibration, leads at threshold",
    rollup: (db, f) => Promise.all([calibrationLeads(db, f.siteId), leadsAtOrAbove(db, f.siteId, 35)]),
  },
  {
    name: "campaigns page, overview goals: campaign day counts",
    rollup: (db, f) => Promise.all([listSiteCampaigns(db, f.siteId), campaignDayCounts(db, f.siteId)]),
  },
  { name: "settings page: sites with install status", rollup: (db) => listSiteStatus(db) },
];

async function fill(db: Database, target: number, end: number) {
  const site = await createSite(db, { publicKey: SITE_KEY, name: "Bench", domains: ["localhost"], timeZone: ZONE });
  for (const link of DEMO_LINKS) {
    await createLink(db, { siteId: site.id, code: link.code, kind: link.kind, target: link.targetPath, utm: link.utm });
  }
  await insertCampaign(db, site.id, {
    name: "Spring webinar",
    channel: "email",
    utmCampaign: "spring-webinar",
    startsAt: null,
    endsAt: null,
    budget: null,
    ownerId: null,
    goals: [{ metric: "mqls", target: 50, per: "month" }],
  });
  const receivedAt = new WeakMap<Request, number>();
  const { app, writer } = createCollector({
    db,
    trackerScript: "",
    demoSiteKey: SITE_KEY,
    visitorHashSecret: "bench",
    clientIp: (c) => c.req.header("x-forwarded-for") ?? "0.0.0.0",
    country: (c) => c.req.header("x-demo-country"),
    now: (c) => receivedAt.get(c.req.raw) ?? Date.now(),
    rateLimits: { visitor: false, ip: false },
  });
  const visitorsPerDay = Math.ceil((target / DAYS / EVENTS_PER_VISITOR) * 1.05);
  let events = 0;
  let inFlight: Promise<void>[] = [];
  // Sales moves (accept, qualify, win, reject, lose) go through applySalesAction like the dashboard's,
  // once the events before them are committed: the funnel then has SAL, SQL, won and exits.
  let sales: Extract<DemoItem, { kind: "sales" }>[] = [];
  let salesApplied = 0;
  const applySales = async () => {
    for (const s of sales) {
      const lead = (
        await db.$client.execute({
          sql: "SELECT id FROM leads WHERE site_id = ? AND email = ?",
          args: [site.id, s.email],
        })
      ).rows[0];
      if (!lead) continue;
      const result = await applySalesAction(db, {
        leadId: Number(lead.id),
        action: s.action,
        actor: "user:1",
        reason: s.reason ?? (s.action === "reject" || s.action === "lose" ? "demo" : null),
        value: s.value ?? null,
        now: s.at,
      });
      if (result.ok) salesApplied++;
    }
    sales = [];
  };
  const started = performance.now();
  let nextReport = 0;
  for (const item of generateDemo({
    seed: 7,
    siteKey: SITE_KEY,
    origin: ORIGIN,
    start: end - DAYS * DAY,
    days: DAYS,
    visitorsPerDay,
  })) {
    if (events >= target) break;
    if (item.kind === "sales") {
      sales.push(item);
      continue;
    }
    const headers: Record<string, string> = { "user-agent": item.userAgent, "x-forwarded-for": item.ip };
    const request =
      item.kind === "request"
        ? new Request(`${ORIGIN}/e`, {
            method: "POST",
            body: JSON.stringify(item.batch),
            headers: {
              ...headers,
              ...(item.country ? { "x-demo-country": item.country } : {}),
              "content-type": "text/plain",
              origin: ORIGIN,
            },
          })
        : new Request(`${ORIGIN}/r/${encodeURIComponent(item.code)}?v=${encodeURIComponent(item.visitor)}`, {
            headers,
          });
    receivedAt.set(request, item.at);
    events += countEvents(item);
    inFlight.push(
      Promise.resolve(app.request(request)).then((r) => {
        if (!r.ok && r.status !== 302) throw new Error(`rejected: ${r.status}`);
      }),
    );
    if (inFlight.length >= 512) {
      await Promise.all(inFlight);
      inFlight = [];
      await applySales();
    }
    if (events >= nextReport) {
      const s = (performance.now() - started) / 1000;
      process.stderr.write(`\r  filled ${events.toLocaleString("en")} events in ${s.toFixed(0)} s`);
      nextReport += 250_000;
    }
  }
  await Promise.all(inFlight);
  await writer.drain();
  await applySales();
  const seconds = (performance.now() - started) / 1000;
  process.stderr.write("\n");
  return { siteId: site.id, events, seconds, salesApplied };
}

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}

async function time(run: () => Promise<unknown>, runs: number): Promise<{ p50: number; p95: number }> {
  await run(); // warm the page cache and statement cache
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await run();
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 0.5), p95: percentile(samples, 0.95) };
}

const ms = (v: number) => (Number.isNaN(v) ? "–" : v < 10 ? v.toFixed(2) : v.toFixed(1));

async function timeWidgets(db: Database, siteId: number, end: number) {
  const filter: DashboardFilter = { siteId, from: isoDay(end - 30 * DAY), to: isoDay(end - DAY) };
  const busy = (await db.$client.execute("SELECT lead_id FROM stage_changes ORDER BY id DESC LIMIT 1")).rows[0];
  sample.leadId = Number(busy?.lead_id ?? 0);
  sample.persona = (await listSegments(db, siteId))[0] ?? "none";
  console.log(
    `widget (30-day range ${filter.from} – ${filter.to})`.padEnd(52),
    "rollup p50   p95 |  raw p50     p95 | budget",
  );
  let worst = 0;
  for (const w of WIDGETS.filter((w) => !only || only.some((o) => w.name.includes(o)))) {
    const rollup = await time(() => w.rollup(db, filter), ROLLUP_RUNS);
    const raw =
      w.raw && !skipRaw
        ? await time(() => (w.raw as Widget["raw"] & {})(db, filter), RAW_RUNS)
        : { p50: Number.NaN, p95: Number.NaN };
    worst = Math.max(worst, rollup.p95);
    console.log(
      w.name.padEnd(52),
      `${ms(rollup.p50).padStart(10)} ${ms(rollup.p95).padStart(5)} | ${ms(raw.p50).padStart(8)} ${ms(raw.p95).padStart(7)} | ${rollup.p95 <= 50 ? "ok" : "OVER"}`,
    );
  }
  console.log(`worst widget p95: ${ms(worst)} ms (budget 50 ms)`);
}

async function rowCounts(db: Database) {
  return (
    await db.$client.execute(
      "SELECT (SELECT count(*) FROM events) AS events, (SELECT count(*) FROM visitors) AS visitors, (SELECT count(*) FROM leads) AS leads, (SELECT count(*) FROM daily_stats) AS rollup_rows, (SELECT count(*) FROM content_touches) AS touches, (SELECT count(*) FROM stage_changes) AS stage_changes, (SELECT count(*) FROM lead_touches) AS lead_touches, (SELECT count(*) FROM content_pipeline_daily) AS pipeline_rows",
    )
  ).rows[0];
}

if (reuse) {
  const db = await createDb({ url: reuse });
  // A database kept from before (some of) the funnel summaries existed: migrate it and build them once.
  await migrate(db.$client);
  const summaries = (await db.$client.execute("SELECT count(*) AS n FROM funnel_daily")).rows[0];
  if (Number(summaries?.n) === 0) {
    const t = performance.now();
    const leads = await withWriteTransaction(db, (tx) => rebuildLeadSummaries(tx));
    console.log(`built the funnel summaries of ${leads} leads in ${((performance.now() - t) / 1000).toFixed(0)} s`);
  }
  const site = (await db.$client.execute({ sql: "SELECT id FROM sites WHERE public_key = ?", args: [SITE_KEY] }))
    .rows[0];
  const last = (await db.$client.execute("SELECT max(day) AS day FROM daily_stats")).rows[0];
  console.log(`\n== ${reuse}; rows: ${JSON.stringify(await rowCounts(db))}`);
  await timeWidgets(db, Number(site?.id), Date.parse(`${String(last?.day)}T00:00:00Z`) + DAY);
  db.$client.close();
  process.exit(0);
}

for (const target of sizes) {
  const dir = mkdtempSync(join(tmpdir(), "leadtrail-bench-dashboard-"));
  const url = `file:${join(dir, "bench.db")}`;
  const db = await createDb({ url });
  await migrate(db.$client);
  const end = Math.floor(Date.now() / DAY) * DAY;
  console.log(`\n== ${target.toLocaleString("en")} events (${DAYS} days of demo traffic) — ${url}`);
  const filled = await fill(db, target, end);
  const counts = await rowCounts(db);
  console.log(
    `filled through the collector in ${filled.seconds.toFixed(0)} s (${Math.round(filled.events / filled.seconds).toLocaleString("en")} events/s, ${filled.salesApplied} sales actions); rows: ${JSON.stringify(counts)}`,
  );
  await timeWidgets(db, filled.siteId, end);
  db.$client.close();
  if (keep) console.log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
