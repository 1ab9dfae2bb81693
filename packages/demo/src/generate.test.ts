import type { WireEvent } from "@leadtrail/tracker";
import { afterEach, describe, expect, it, vi } from "vitest";
import { DEMO_PAGES, TRACKED_LINKS, WHITEPAPER_PATH } from "./catalog.ts";
import { checkItem } from "./check-item.ts";
import { countEvents, estimateEvents, generateDemo, splitDay } from "./generate.ts";
import type { DemoItem, DemoOptions } from "./types.ts";

const DAY = 86_400_000;
const OPTIONS: DemoOptions = {
  seed: 11,
  siteKey: "demo-site",
  origin: "http://localhost:8787",
  start: Date.UTC(2025, 2, 3),
  days: 120,
  visitorsPerDay: 60,
};
const run = (opts: Partial<DemoOptions> = {}) => [...generateDemo({ ...OPTIONS, ...opts })];

const items = run();
type Request = Extract<DemoItem, { kind: "request" }>;
type Sales = Extract<DemoItem, { kind: "sales" }>;
type Redirect = Extract<DemoItem, { kind: "qr_scan" | "link_click" }>;
const requests = items.filter((i): i is Request => i.kind === "request");
const events = requests.flatMap((r) => r.batch.events.map((event) => ({ event, request: r })));
const sales = items.filter((i): i is Sales => i.kind === "sales");
const identifyingEvents = events.filter(({ event }) => event.email !== undefined);

const pathOf = (url: string) => new URL(url).pathname;
const param = (url: string, name: string) => new URL(url).searchParams.get(name);

afterEach(() => {
  vi.restoreAllMocks();
});

describe("generateDemo: determinism and order", () => {
  it("gives identical output for the same seed and different output for another", () => {
    const small = { days: 20, visitorsPerDay: 30 };
    expect(run({ ...small })).toEqual(run({ ...small }));
    expect(JSON.stringify(run({ ...small, seed: 12 }))).not.toEqual(JSON.stringify(run({ ...small })));
  });

  it("uses neither Math.random nor the clock", () => {
    vi.spyOn(Math, "random").mockImplementation(() => {
      throw new Error("Math.random used");
    });
    vi.spyOn(Date, "now").mockImplementation(() => {
      throw new Error("Date.now used");
    });
    expect(run({ days: 5, visitorsPerDay: 40 }).length).toBeGreaterThan(0);
  });

  it("yields items in non-decreasing time inside the run's days", () => {
    const outOfOrder = items.findIndex((item, i) => i > 0 && item.at < (items[i - 1] as DemoItem).at);
    expect(outOfOrder).toBe(-1);
    expect(items[0]?.at).toBeGreaterThanOrEqual(OPTIONS.start);
    // Visits start within the run; only the last visits of the last day may run a little past it.
    expect(items.at(-1)?.at).toBeLessThan(OPTIONS.start + OPTIONS.days * DAY + 6 * 3_600_000);
  });

  it("holds back visits running past midnight until the next day's items are in", () => {
    const sales = (at: number): DemoItem => ({ kind: "sales", at, email: "a@b.example", action: "accept" });
    const day1 = [sales(30), sales(10), sales(15)]; // 30 is past the day's end (20)
    const cut = splitDay(day1, 20);
    expect(day1.slice(0, cut).map((i) => i.at)).toEqual([10, 15]);
    const day2 = [...day1.slice(cut), sales(25), sales(22)];
    expect(day2.slice(0, splitDay(day2, 40)).map((i) => i.at)).toEqual([22, 25, 30]);
  });

  it("gives every event a unique id and namespaces ids by seed", () => {
    const ids = events.map(({ event }) => event.id);
    expect(new Set(ids).size).toBe(ids.length);
    const other = new Set(
      run({ seed: 12, days: 10 }).flatMap((i) => (i.kind === "request" ? i.batch.events.map((e) => e.id) : [])),
    );
    expect(ids.filter((id) => other.has(id))).toEqual([]);
  });
});

describe("generateDemo: shape", () => {
  it("produces only items that match the protocol and the collector's limits", () => {
    const invalid = items.map((item) => ({ item, problems: checkItem(item) })).filter((r) => r.problems.length > 0);
    expect(invalid.slice(0, 3)).toEqual([]);
  });

  it("uses the site key and only pages of the demo site", () => {
    const known = new Set([...Object.values(DEMO_PAGES).map((p) => `/demo${p.path}`), `/demo${WHITEPAPER_PATH}`]);
    expect(new Set(requests.map((r) => r.batch.site))).toEqual(new Set([OPTIONS.siteKey]));
    const urls = events.map(({ event }) => event.url ?? "");
    expect(urls.filter((url) => !url.startsWith(`${OPTIONS.origin}/demo/`))).toEqual([]);
    expect([...new Set(urls.map(pathOf))].filter((path) => !known.has(path))).toEqual([]);
  });

  it("follows the event conventions of the scoring defaults", () => {
    const named = (type: string, name: string) =>
      events.filter(({ event }) => event.type === type && event.name === name);
    const imageClicks = named("click", "product_image");
    expect(imageClicks.length).toBeGreaterThan(0);
    expect(new Set(imageClicks.map(({ event }) => event.props?.product))).toEqual(
      new Set(["lead-scoring", "pipeline-insights"]),
    );
    for (const form of ["newsletter", "contact", "demo_request"])
      expect(named("form", form).length, form).toBeGreaterThan(0);
    const downloads = events.filter(({ event }) => event.type === "download");
    expect(downloads.length).toBeGreaterThan(0);
    expect(new Set(downloads.map(({ event }) => pathOf(event.url ?? "")))).toEqual(
      new Set([`/demo${WHITEPAPER_PATH}`]),
    );
  });

  it("sends engagement with every page a person leaves", () => {
    const engagement = events.filter(({ event }) => event.type === "engagement");
    expect(engagement.length).toBeGreaterThan(events.filter(({ event }) => event.type === "pageview").length * 0.8);
    expect(engagement.every(({ event }) => (event.engagedMs ?? -1) >= 0 && (event.scroll ?? -1) <= 1)).toBe(true);
  });
});

describe("generateDemo: personas and channels", () => {
  it("identifies leads at fictional companies with profile traits, and a few free-mail users", () => {
    const business = identifyingEvents.filter(
      ({ event }) => event.email?.endsWith(".example") && event.type === "identify",
    );
    expect(business.length).toBeGreaterThan(20);
    for (const trait of ["name", "company", "role", "seniority", "companySize", "industry"]) {
      expect(
        business.every(({ event }) => typeof event.traits?.[trait] === "string"),
        trait,
      ).toBe(true);
    }
    const freeMail = identifyingEvents.filter(({ event }) =>
      /@(gmail\.com|gmx\.(de|at)|web\.de|bluewin\.ch|outlook\.com)$/.test(event.email ?? ""),
    );
    expect(freeMail.length).toBeGreaterThan(0);
    expect(freeMail.length).toBeLessThan(business.length);
  });

  it("scans the spring poster and lands the same visitor on the target with the poster's UTM", () => {
    const scans = items.filter((i): i is Redirect => i.kind === "qr_scan");
    expect(scans.length).toBeGreaterThan(5);
    const link = TRACKED_LINKS.springPoster;
    for (const scan of scans) {
      expect(scan.code).toBe(link.code);
      const landing = requests.find((r) => r.batch.visitor === scan.visitor && r.at >= scan.at);
      const view = landing?.batch.events[0] as WireEvent;
      expect(pathOf(view.url ?? "")).toBe(`/demo${DEMO_PAGES[link.target].path}`);
      expect(view.campaign).toMatchObject(link.utm);
      expect(landing?.at).toBeLessThan(scan.at + 10_000);
    }
  });

  it("brings traffic from search, social, e-mail, paid search, referral and tracked links", () => {
    const landings = events.filter(({ event }) => event.type === "pageview" && event.campaign !== undefined);
    const mediums = new Set(landings.map(({ event }) => event.campaign?.utm_medium));
    for (const medium of ["qr", "email", "cpc", "social"]) expect(mediums.has(medium), medium).toBe(true);
    expect(landings.some(({ event }) => event.url && param(event.url, "gclid") === event.campaign?.clickId)).toBe(true);
    const referrers = new Set(events.map(({ event }) => event.referrer && new URL(event.referrer).hostname));
    for (const host of ["www.google.com", "www.linkedin.com", "t.co"]) expect(referrers.has(host), host).toBe(true);
    const clicks = new Set(items.filter((i): i is Redirect => i.kind === "link_click").map((i) => i.code));
    expect(clicks).toEqual(new Set([TRACKED_LINKS.webinar.code, TRACKED_LINKS.newsletter.code]));
  });

  it("has job seekers reading the job opening, not just passing by the careers page", () => {
    const jobPath = `/demo${DEMO_PAGES.job.path}`;
    const readers = events.filter(
      ({ event, request }) =>
        event.type === "engagement" && pathOf(event.url ?? "") === jobPath && !/bot|Headless/i.test(request.userAgent),
    );
    expect(new Set(readers.map(({ request }) => request.batch.visitor)).size).toBeGreaterThan(100);
  });

  it("has visitors who come back on other days, and people on two devices", () => {
    const days = new Map<string, Set<number>>();
    for (const r of requests) {
      const visitor = r.batch.visitor ?? "";
      const set = days.get(visitor) ?? new Set<number>();
      set.add(Math.floor((r.at - OPTIONS.start) / DAY));
      days.set(visitor, set);
    }
    expect([...days.values()].filter((d) => d.size >= 3).length).toBeGreaterThan(20);
    const devices = new Map<string, Set<string>>();
    for (const { event, request } of identifyingEvents) {
      const set = devices.get(event.email ?? "") ?? new Set<string>();
      set.add(request.batch.visitor ?? "");
      devices.set(event.email ?? "", set);
    }
    expect([...devices.values()].some((visitors) => visitors.size >= 2)).toBe(true);
  });

  it("uses realistic devices, DACH-heavy countries and marks crawlers by user agent", () => {
    const countries = requests.map((r) => r.country);
    const dach = countries.filter((c) => c === "DE" || c === "AT" || c === "CH").length;
    expect(dach / countries.length).toBeGreaterThan(0.6);
    expect(requests.some((r) => /iPhone|Android/.test(r.userAgent))).toBe(true);
    expect(requests.some((r) => /Windows NT/.test(r.userAgent))).toBe(true);
    expect(requests.some((r) => /bot|Headless/i.test(r.userAgent))).toBe(true);
  });
});

describe("generateDemo: sales", () => {
  const firstSeen = new Map<string, number>();
  for (const { event, request } of identifyingEvents) {
    const email = event.email ?? "";
    if (!firstSeen.has(email)) firstSeen.set(email, request.at);
  }

  it("accepts, rejects with a reason, qualifies, wins with a value and loses with a reason", () => {
    const actions = new Set(sales.map((s) => s.action));
    expect(actions).toEqual(new Set(["accept", "reject", "qualify", "win", "lose"]));
    expect(
      sales.filter((s) => s.action === "reject" || s.action === "lose").every((s) => (s.reason ?? "").length > 0),
    ).toBe(true);
    expect(sales.filter((s) => s.action === "win" || s.action === "qualify").every((s) => (s.value ?? 0) > 0)).toBe(
      true,
    );
  });

  it("acts only on leads that identified on an earlier day", () => {
    const dayOf = (at: number) => Math.floor((at - OPTIONS.start) / DAY);
    for (const action of sales) {
      const seen = firstSeen.get(action.email);
      expect(seen, action.email).toBeDefined();
      expect(dayOf(action.at), action.email).toBeGreaterThan(dayOf(seen ?? Number.POSITIVE_INFINITY));
    }
  });

  it("moves each lead through the funnel in order: accept → qualify → win or lose, or reject", () => {
    const byEmail = new Map<string, string[]>();
    for (const s of sales) byEmail.set(s.email, [...(byEmail.get(s.email) ?? []), s.action]);
    // Rarely two journeys share an e-mail (same name at the same company); check single journeys.
    const single = [...byEmail].filter(
      ([, trail]) => trail.filter((a) => a === "accept" || a === "reject").length === 1,
    );
    expect(single.length).toBeGreaterThan(20);
    for (const [email, trail] of single)
      expect(trail.join(" "), email).toMatch(/^(reject|accept( qualify( (win|lose))?)?)$/);
  });
});

describe("estimateEvents", () => {
  it("is within 15% of what a run produces", () => {
    const produced = items.reduce((sum, item) => sum + countEvents(item), 0);
    const estimate = estimateEvents(OPTIONS);
    expect(estimate / produced).toBeGreaterThan(0.85);
    expect(estimate / produced).toBeLessThan(1.15);
  });

  it("scales with days and visitors per day", () => {
    expect(estimateEvents({ days: 20, visitorsPerDay: 100 })).toBe(
      2 * estimateEvents({ days: 10, visitorsPerDay: 100 }),
    );
    expect(estimateEvents({ days: 10, visitorsPerDay: 200 })).toBe(
      2 * estimateEvents({ days: 10, visitorsPerDay: 100 }),
    );
  });
});
