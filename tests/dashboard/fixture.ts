// A dashboard on a temporary database filled the way production fills it: demo-like traffic sent
// through the real collector app (validation, enrichment, scoring, rollups in the ingest
// transaction), plus the few facts no collector path writes yet (lead owners, sales stage moves).
import { createCollector } from "@leadtrail/collector";
import { createDb, createLink, createSite, type Database, insertCampaign, migrate } from "@leadtrail/db";
import { type RunningProcess, startDashboard, tempDatabase } from "../support/processes.ts";

export const SITE_KEY = "dash-site";
export const ORIGIN = "https://acme.test";
export const DAY = 86_400_000;
/** Midnight UTC today: the fixture's traffic falls on the five days before it. */
export const TODAY = Math.floor(Date.now() / DAY) * DAY;
export const RANGE = { from: isoDay(TODAY - 6 * DAY), to: isoDay(TODAY) };
export const XSS_TITLE = "<script>window.__xss = 1</script><img src=x onerror=window.__xss=2>";
export const XSS_REFERRER = "javascript:window.__xss=3";
export const ADMIN = { email: "admin@acme.test", password: "admin-password-1" };
export const USERS = {
  marketer: { email: "marketer@acme.test", password: "marketer-password-1" },
  sales: { email: "sales@acme.test", password: "sales-password-1" },
  sales2: { email: "sales2@acme.test", password: "sales2-password-1" },
} as const;

export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

const UA =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const PHONE_UA =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";

interface Visit {
  visitor: string;
  at: number;
  ua?: string;
  events: Record<string, unknown>[];
}

let seq = 0;
function ev(type: string, path: string, extra: Record<string, unknown> = {}) {
  seq++;
  return { id: `evt_fx_${String(seq).padStart(6, "0")}`, type, url: `${ORIGIN}${path}`, ...extra };
}

/** The traffic: campaign visitors who convert, organic readers, a careers visitor and a hostile one. */
function traffic(): Visit[] {
  const visits: Visit[] = [];
  const spring = { utm_source: "google", utm_medium: "cpc", utm_campaign: "spring" };
  for (let d = 5; d >= 1; d--) {
    const day = TODAY - d * DAY + 9 * 3_600_000;
    for (let i = 0; i < 3; i++) {
      const visitor = `v_spring_${d}_${i}`;
      visits.push({
        visitor,
        at: day + i * 60_000,
        events: [
          ev("pageview", "/pricing", { title: "Pricing", campaign: spring }),
          ev("pageview", "/features", { title: "Features" }),
          ev("engagement", "/features", { engagedMs: 30_000, scroll: 0.75 }),
        ],
      });
    }
    visits.push({
      visitor: `v_blog_${d}`,
      at: day + 3_600_000,
      ua: PHONE_UA,
      events: [ev("pageview", "/blog/lead-scoring", { title: "Lead scoring", referrer: "https://www.google.com/" })],
    });
  }
  // Two spring visitors ask for a demo: identified (leads) and over the MQL threshold.
  for (const [visitor, email] of [
    ["v_spring_3_0", "cto@bigcorp.test"],
    ["v_spring_2_1", "head@midcorp.test"],
  ] as const) {
    visits.push({
      visitor,
      at: TODAY - 1 * DAY + 10 * 3_600_000,
      events: [
        ev("form", "/demo", { name: "demo_request", email, traits: { persona: "it-lead", seniority: "c-level" } }),
      ],
    });
  }
  // A newsletter reader becomes a lead without reaching MQL.
  visits.push({
    visitor: "v_blog_4",
    at: TODAY - 1 * DAY + 11 * 3_600_000,
    ua: PHONE_UA,
    events: [
      ev("form", "/blog/lead-scoring", {
        name: "newsletter",
        email: "reader@smallco.test",
        traits: { persona: "marketer" },
      }),
    ],
  });
  visits.push({
    visitor: "v_careers_1",
    at: TODAY - 2 * DAY + 12 * 3_600_000,
    events: [ev("pageview", "/careers", { title: "Jobs" })],
  });
  // Visitor-controlled text that must stay inert wherever the dashboard shows it.
  visits.push({
    visitor: "v_hostile_1",
    at: TODAY - 1 * DAY + 13 * 3_600_000,
    events: [ev("pageview", "/hello", { title: XSS_TITLE, referrer: XSS_REFERRER })],
  });
  return visits.sort((a, b) => a.at - b.at);
}

export interface Fixture {
  db: Database;
  url: string;
  /** The database URL, for a collector process on the same file. */
  databaseUrl: string;
  dashboard: RunningProcess;
  siteId: number;
  /** Lead ids by e-mail. */
  leads: Record<string, number>;
  userIds: Record<string, number>;
  stop(): Promise<void>;
}

/** Sends the traffic through the real collector app into a fresh database. */
export async function seedTraffic(db: Database): Promise<number> {
  const site = await createSite(db, { publicKey: SITE_KEY, name: "Acme", domains: ["acme.test"] });
  const times = new WeakMap<Request, number>();
  const { app, writer } = createCollector({
    db,
    trackerScript: "",
    demoSiteKey: SITE_KEY,
    visitorHashSecret: "fixture",
    clientIp: () => "203.0.113.9",
    now: (c) => times.get(c.req.raw) ?? Date.now(),
  });
  for (const visit of traffic()) {
    const body = {
      site: SITE_KEY,
      visitor: visit.visitor,
      sentAt: visit.at,
      events: visit.events.map((e, i) => ({ time: visit.at + i * 1000, ...e })),
    };
    const request = new Request(`${ORIGIN}/e`, {
      method: "POST",
      body: JSON.stringify(body),
      headers: { "content-type": "text/plain", origin: ORIGIN, "user-agent": visit.ua ?? UA },
    });
    times.set(request, visit.at);
    const response = await app.request(request);
    if (!response.ok) throw new Error(`fixture event rejected: ${response.status} ${await response.text()}`);
  }
  await writer.drain();
  // Created after its traffic, like a campaign set up late: its leads are attributed on creation.
  const campaign = await insertCampaign(db, site.id, {
    name: "Spring webinar",
    channel: "paid",
    utmCampaign: "spring",
    startsAt: null,
    endsAt: null,
    budget: 500,
    ownerId: null,
    goals: [{ metric: "mqls", target: 5, per: "month" }],
  });
  await createLink(db, {
    siteId: site.id,
    code: "fx-poster",
    kind: "qr",
    target: "/pricing",
    campaignId: campaign.id,
    utm: { utm_source: "poster", utm_medium: "qr", utm_campaign: "spring" },
  });
  return site.id;
}

/** Logs in over HTTP and returns the session cookie ("lt_session=…"). */
export async function login(baseUrl: string, email: string, password: string): Promise<string> {
  const response = await fetch(`${baseUrl}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { origin: baseUrl, "content-type": "application/x-www-form-urlencoded", "x-sveltekit-action": "true" },
    body: new URLSearchParams({ email, password }),
  });
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith("lt_session="));
  if (!cookie) throw new Error(`log-in failed for ${email}: ${response.status} ${await response.text()}`);
  return cookie.split(";")[0] ?? "";
}

/**
 * POSTs a form action the way SvelteKit's enhanced forms do and returns the raw answer (JSON with
 * `type`, `status` and the action's `data`). Fields may repeat (checkbox groups) as `[name, value]` pairs.
 */
export function sendAction(
  baseUrl: string,
  path: string,
  cookie: string,
  fields: Record<string, string> | [string, string][],
  origin = baseUrl,
): Promise<Response> {
  return fetch(`${baseUrl}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: {
      origin,
      cookie,
      accept: "application/json",
      "x-sveltekit-action": "true",
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams(fields),
  });
}

/** POSTs a form action the way SvelteKit's enhanced forms do; returns the action's status. */
export async function postAction(
  baseUrl: string,
  path: string,
  cookie: string,
  fields: Record<string, string>,
  origin = baseUrl,
): Promise<number> {
  const response = await sendAction(baseUrl, path, cookie, fields, origin);
  if (!(response.headers.get("content-type") ?? "").includes("application/json")) return response.status;
  const body = (await response.json()) as { type?: string; status?: number };
  if (body.type === "success") return 200;
  if (body.type === "failure" || body.type === "redirect") return body.status ?? response.status;
  return response.status;
}

/** The one-time link (`/invite/…` path) in an action's answer, if it has one. */
export async function linkIn(response: Response): Promise<string | undefined> {
  return (await response.text()).match(/\/invite\/[A-Za-z0-9_-]{43}/)?.[0];
}

/**
 * Uses a one-time link the way the person does: submits the page's form (as a browser without
 * JavaScript). The answer is a 303 home with a session cookie when it worked, else the page
 * with the message.
 */
export function acceptLink(baseUrl: string, path: string, password: string): Promise<Response> {
  return fetch(`${baseUrl}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: { origin: baseUrl, accept: "text/html", "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ password }),
  });
}

/**
 * Adds a user as an admin does (Settings → Users: e-mail and role, no password) and accepts the
 * invitation link with `password`, as the person would. Returns the link's path.
 */
export async function addUser(
  baseUrl: string,
  adminCookie: string,
  user: { email: string; password: string; role: string },
): Promise<string> {
  const added = await sendAction(baseUrl, "/settings?/addUser", adminCookie, { email: user.email, role: user.role });
  const path = await linkIn(added);
  if (!path) throw new Error(`could not add ${user.email}: ${added.status}`);
  const accepted = await acceptLink(baseUrl, path, user.password);
  if (!accepted.headers.getSetCookie().some((c) => c.startsWith("lt_session="))) {
    throw new Error(`could not accept the invitation of ${user.email}: ${accepted.status} ${await accepted.text()}`);
  }
  return path;
}

/** The whole fixture: traffic, users (created through the settings page), owners, one sales history. */
export async function startFixture(): Promise<Fixture> {
  const database = tempDatabase();
  const db = await createDb({ url: database.url });
  await migrate(db.$client);
  const siteId = await seedTraffic(db);
  const dashboard = await startDashboard(database.url, { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
  const adminCookie = await login(dashboard.url, ADMIN.email, ADMIN.password);
  for (const [role, u] of Object.entries(USERS)) {
    await addUser(dashboard.url, adminCookie, { ...u, role: role === "sales2" ? "sales" : role });
  }
  const userRows = await db.$client.execute("SELECT id, email FROM users");
  const userIds = Object.fromEntries(userRows.rows.map((r) => [String(r.email), Number(r.id)]));
  const leadRows = await db.$client.execute("SELECT id, email FROM leads ORDER BY id");
  const leads = Object.fromEntries(leadRows.rows.map((r) => [String(r.email), Number(r.id)]));
  // Routing is another package's job: assign owners as it would, so the sales views have their cases.
  const own = async (email: string, owner: number | null) =>
    db.$client.execute({ sql: "UPDATE leads SET owner_id = ? WHERE id = ?", args: [owner, leads[email] ?? -1] });
  await own("cto@bigcorp.test", userIds[USERS.sales.email] ?? null);
  await own("head@midcorp.test", userIds[USERS.sales2.email] ?? null);
  return {
    db,
    url: dashboard.url,
    databaseUrl: database.url,
    dashboard,
    siteId,
    leads,
    userIds,
    async stop() {
      await dashboard.stop();
      db.$client.close();
      database.remove();
    },
  };
}
