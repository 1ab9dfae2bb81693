import { describe, expect, it } from "vitest";
import { applyEvent } from "./apply-event.ts";
import { DAY_MS } from "./decay.ts";
import { defaultRuleSet } from "./defaults.ts";
import { combinedScore, initialState } from "./state.ts";
import type { EngagementRule, LedgerEntry, RuleSet, ScoreState, ScoringEvent, StageChange } from "./types.ts";

const T0 = Date.UTC(2025, 2, 3, 9, 0, 0);
let nextId = 1;
const ev = (e: Omit<ScoringEvent, "id" | "at"> & { at?: number; id?: number | string }): ScoringEvent => ({
  id: e.id ?? nextId++,
  at: e.at ?? T0,
  ...e,
});

/** Applies events in order as the collector would, collecting ledger and stage changes. */
function run(events: ScoringEvent[], rules: RuleSet = defaultRuleSet, start: ScoreState = initialState()) {
  let state = start;
  const ledger: LedgerEntry[] = [];
  const stageChanges: StageChange[] = [];
  for (const e of events) {
    const r = applyEvent(state, e, rules, e.at);
    state = r.state;
    ledger.push(...r.ledger);
    if (r.stageChange) stageChanges.push(r.stageChange);
  }
  return { state, ledger, stageChanges };
}

describe("default rules match the demo site's conventions", () => {
  const cases: { name: string; event: Omit<ScoringEvent, "id" | "at">; rule: string | null; points?: number }[] = [
    {
      name: "poster QR scan",
      event: { type: "qr_scan", name: "poster-munich", campaign: { utm_medium: "poster" } },
      rule: "qr-poster-scan",
      points: 5,
    },
    {
      name: "product image click",
      event: { type: "click", name: "product_image" },
      rule: "product-image-click",
      points: 3,
    },
    { name: "newsletter sign-up", event: { type: "form", name: "newsletter" }, rule: "newsletter-signup", points: 7 },
    {
      name: "careers page",
      event: { type: "pageview", path: "/demo/careers/jobs/42" },
      rule: "careers-page",
      points: -10,
    },
    { name: "pricing page", event: { type: "pageview", path: "/demo/pricing" }, rule: "pricing-page", points: 10 },
    {
      name: "pricing page, other case and depth",
      event: { type: "pageview", path: "/de/Pricing/enterprise" },
      rule: "pricing-page",
    },
    {
      name: "whitepaper by .pdf path",
      event: { type: "download", path: "/files/guide.PDF" },
      rule: "whitepaper-download",
      points: 10,
    },
    {
      name: "whitepaper by .pdf url",
      event: { type: "download", url: "https://cdn.example.com/x.pdf" },
      rule: "whitepaper-download",
    },
    {
      name: "whitepaper by name",
      event: { type: "download", name: "whitepaper", path: "/files/guide.zip" },
      rule: "whitepaper-download",
    },
    { name: "contact form", event: { type: "form", name: "contact" }, rule: "contact-form", points: 20 },
    { name: "demo request", event: { type: "form", name: "demo_request" }, rule: "demo-request", points: 30 },
    {
      name: "e-mail click",
      event: { type: "link_click", name: "nl-2025-03", campaign: { utm_medium: "email" } },
      rule: "email-click",
      points: 4,
    },
    {
      name: "link click from social is not an e-mail click",
      event: { type: "link_click", name: "x", campaign: { utm_medium: "social" } },
      rule: null,
    },
    { name: "other image click", event: { type: "click", name: "logo" }, rule: null },
    { name: "zip download", event: { type: "download", path: "/files/tool.zip" }, rule: null },
    { name: "plain page view", event: { type: "pageview", path: "/demo/about" }, rule: null },
    {
      name: "first visit is not a returning visit",
      event: { type: "pageview", path: "/", visitStart: true },
      rule: null,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const { ledger, state } = run([ev(c.event)]);
      expect(ledger.map((l) => l.ruleId)).toEqual(c.rule ? [c.rule] : []);
      if (c.points !== undefined) {
        expect(ledger[0]?.delta).toBe(c.points);
        expect(state.engagement).toBe(c.points);
      }
    });
  }

  it("a returning visit scores, the first one does not", () => {
    const { ledger } = run([
      ev({ type: "pageview", path: "/", visitStart: true, at: T0 }),
      ev({ type: "pageview", path: "/", visitStart: true, at: T0 + DAY_MS }),
    ]);
    expect(ledger.map((l) => [l.ruleId, l.delta])).toEqual([["returning-visit", 2]]);
  });
});

describe("match fields", () => {
  const rule = (match: EngagementRule["match"]): RuleSet => ({
    ...defaultRuleSet,
    rules: [{ id: "r", kind: "engagement", label: { en: "r", de: "r" }, points: 1, match }],
  });
  const cases: {
    name: string;
    match: EngagementRule["match"];
    event: Omit<ScoringEvent, "id" | "at">;
    hit: boolean;
  }[] = [
    { name: "type list", match: { type: ["outbound", "download"] }, event: { type: "download" }, hit: true },
    { name: "type list miss", match: { type: ["outbound", "download"] }, event: { type: "click" }, hit: false },
    {
      name: "props equal",
      match: { type: "custom", props: { plan: "pro", seats: 5 } },
      event: { type: "custom", props: { plan: "Pro", seats: 5, x: 1 } },
      hit: true,
    },
    {
      name: "props differ",
      match: { props: { seats: 5 } },
      event: { type: "custom", props: { seats: 6 } },
      hit: false,
    },
    { name: "props missing", match: { props: { seats: 5 } }, event: { type: "custom" }, hit: false },
    {
      name: "campaign glob",
      match: { campaign: { utm_campaign: "spring-*" } },
      event: { type: "pageview", campaign: { utm_campaign: "spring-2025" } },
      hit: true,
    },
    {
      name: "campaign absent",
      match: { campaign: { utm_campaign: "spring-*" } },
      event: { type: "pageview" },
      hit: false,
    },
    { name: "QR code by code", match: { code: "poster-?" }, event: { type: "qr_scan", name: "poster-7" }, hit: true },
    {
      name: "code ignores other types",
      match: { code: "poster-7" },
      event: { type: "click", name: "poster-7" },
      hit: false,
    },
    { name: "link code", match: { code: ["nl-*"] }, event: { type: "link_click", name: "nl-spring" }, hit: true },
    {
      name: "url glob",
      match: { url: "https://*.example.com/*" },
      event: { type: "pageview", url: "https://shop.example.com/a" },
      hit: true,
    },
    {
      name: "regex characters are literal",
      match: { path: "/a.b" },
      event: { type: "pageview", path: "/axb" },
      hit: false,
    },
    {
      name: "any of several patterns",
      match: [{ type: "x" }, { name: "y" }],
      event: { type: "z", name: "Y" },
      hit: true,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(run([ev(c.event)], rule(c.match)).ledger.length).toBe(c.hit ? 1 : 0);
    });
  }
});

describe("caps", () => {
  const withCaps = (caps: EngagementRule["caps"]): RuleSet => ({
    ...defaultRuleSet,
    rules: [{ id: "c", kind: "engagement", label: { en: "c", de: "c" }, points: 2, match: { type: "custom" }, caps }],
  });
  const hour = 3_600_000;
  const times = (days: number[]) => days.map((d, i) => ev({ type: "custom", at: T0 + d * DAY_MS + i * hour }));
  const cases: { name: string; caps: EngagementRule["caps"]; days: number[]; expected: number }[] = [
    { name: "no cap counts every event", caps: undefined, days: [0, 0, 0, 1], expected: 4 },
    { name: "once per lead", caps: { once: true }, days: [0, 0, 1, 5], expected: 1 },
    { name: "at most 2 per day", caps: { perDay: 2 }, days: [0, 0, 0, 1, 1, 1], expected: 4 },
    { name: "at most 3 in total", caps: { total: 3 }, days: [0, 1, 2, 3, 4], expected: 3 },
    { name: "per day and total together", caps: { perDay: 1, total: 2 }, days: [0, 0, 1, 1, 2], expected: 2 },
    { name: "once wins over a larger total", caps: { once: true, total: 5 }, days: [0, 1], expected: 1 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const { ledger, state } = run(times(c.days), withCaps(c.caps));
      expect(ledger.length).toBe(c.expected);
      expect(state.rules.c?.count).toBe(c.expected);
    });
  }

  it("per-day caps count days in the rule set's time zone", () => {
    // 23:30 UTC and 00:30 UTC are two UTC days but one day in UTC+2.
    const late = Date.UTC(2025, 5, 1, 23, 30);
    const events = [ev({ type: "custom", at: late }), ev({ type: "custom", at: late + hour })];
    expect(run(events, withCaps({ perDay: 1 })).ledger.length).toBe(2);
    expect(run(events, { ...withCaps({ perDay: 1 }), dayOffsetMinutes: 120 }).ledger.length).toBe(1);
  });

  it("per-day caps follow the site's offset function across a DST change", () => {
    // Berlin's offset as a pure function: +1 h until 2026-03-29 01:00 UTC, +2 h after.
    const berlin = (at: number) => (at >= Date.UTC(2026, 2, 29, 1) ? 120 : 60);
    // 22:30 UTC on the 28th is 23:30 local (28th); 23:30 UTC is 00:30 local (29th); 21:30 UTC on
    // the 29th is 23:30 CEST (still the 29th); 22:30 UTC is 00:30 on the 30th.
    const at = [
      Date.UTC(2026, 2, 28, 22, 30),
      Date.UTC(2026, 2, 28, 23, 30),
      Date.UTC(2026, 2, 29, 21, 30),
      Date.UTC(2026, 2, 29, 22, 30),
    ];
    const events = at.map((t) => ev({ type: "custom", at: t }));
    const { ledger } = run(events, { ...withCaps({ perDay: 1 }), dayOffsetMinutes: 60, dayOffsetAt: berlin });
    expect(ledger.map((l) => l.at)).toEqual([at[0], at[1], at[3]]);
  });
});

describe("time and duplicates", () => {
  it("the same event id twice scores once", () => {
    const e = ev({ type: "form", name: "contact" });
    const { ledger, state } = run([e, { ...e }, ev({ type: "click", name: "product_image" }), { ...e }]);
    expect(ledger.map((l) => l.ruleId)).toEqual(["contact-form", "product-image-click"]);
    expect(state.engagement).toBe(23);
  });

  it("an event received earlier than the last one does not run decay backwards", () => {
    const first = ev({ type: "form", name: "contact", at: T0 + DAY_MS });
    const late = ev({ type: "click", name: "product_image", at: T0 });
    const { state, ledger } = run([first, late]);
    expect(ledger[1]?.at).toBe(T0 + DAY_MS);
    expect(state.engagement).toBe(23);
  });

  it("an event stamped in the future is scored at now", () => {
    const r = applyEvent(initialState(), ev({ type: "form", name: "contact", at: T0 + DAY_MS }), defaultRuleSet, T0);
    expect(r.ledger[0]?.at).toBe(T0);
    expect(r.state.engagementAt).toBe(T0);
  });

  it("engagement halves over one half-life before new points are added", () => {
    const { state } = run([
      ev({ type: "form", name: "contact", at: T0 }),
      ev({ type: "click", name: "product_image", at: T0 + 30 * DAY_MS }),
    ]);
    expect(state.engagement).toBeCloseTo(10 + 3, 10);
  });

  it("a disabled rule gives nothing", () => {
    const rules: RuleSet = {
      ...defaultRuleSet,
      rules: defaultRuleSet.rules.map((r) => (r.id === "contact-form" ? { ...r, enabled: false } : r)),
    };
    expect(run([ev({ type: "form", name: "contact" })], rules).ledger).toEqual([]);
  });

  it("every ledger entry records the rule id and rule-set version", () => {
    const { ledger } = run([ev({ id: 77, type: "form", name: "newsletter" })], { ...defaultRuleSet, version: 9 });
    expect(ledger).toEqual([
      {
        eventId: 77,
        ruleId: "newsletter-signup",
        ruleVersion: 9,
        kind: "engagement",
        delta: 7,
        at: T0,
        reason: "event",
      },
    ]);
  });
});

describe("the seed article's journey", () => {
  const minute = 60_000;
  it("QR scan +5, product image +3, newsletter +7 make 15; the careers page takes points away", () => {
    const { ledger, state, stageChanges } = run([
      ev({ type: "qr_scan", name: "poster-2025", campaign: { utm_medium: "poster" }, at: T0 }),
      ev({ type: "pageview", path: "/demo/", at: T0 }),
      ev({ type: "click", name: "product_image", at: T0 + minute }),
      ev({ type: "form", name: "newsletter", at: T0 + 2 * minute }),
    ]);
    expect(ledger.map((l) => [l.ruleId, l.delta])).toEqual([
      ["qr-poster-scan", 5],
      ["product-image-click", 3],
      ["newsletter-signup", 7],
    ]);
    expect(ledger.reduce((s, l) => s + l.delta, 0)).toBe(15);
    expect(combinedScore(state, defaultRuleSet, T0 + 2 * minute)).toBeCloseTo(15, 3);
    expect(stageChanges).toEqual([]);

    const careers = applyEvent(
      state,
      ev({ type: "pageview", path: "/demo/careers", at: T0 + 3 * minute }),
      defaultRuleSet,
      T0 + 3 * minute,
    );
    expect(careers.ledger.map((l) => [l.ruleId, l.delta])).toEqual([["careers-page", -10]]);
    expect(combinedScore(careers.state, defaultRuleSet, T0 + 3 * minute)).toBeCloseTo(5, 3);
  });

  it("crossing 35 makes the lead an MQL exactly once", () => {
    const { stageChanges, state } = run([
      ev({ type: "qr_scan", name: "poster-2025", at: T0 }),
      ev({ type: "click", name: "product_image", at: T0 + minute }),
      ev({ type: "form", name: "newsletter", at: T0 + 2 * minute }),
      ev({ type: "pageview", path: "/demo/pricing", at: T0 + 3 * minute }),
      ev({ type: "download", path: "/files/whitepaper.pdf", at: T0 + 4 * minute }), // 35 here
      ev({ type: "form", name: "contact", at: T0 + 5 * minute }),
      ev({ type: "pageview", path: "/demo/careers", at: T0 + 6 * minute }),
      ev({ type: "form", name: "demo_request", at: T0 + 7 * minute }),
    ]);
    expect(stageChanges).toHaveLength(1);
    expect(stageChanges[0]).toMatchObject({
      from: "lead",
      to: "mql",
      at: T0 + 4 * minute,
      actor: "rule:whitepaper-download",
    });
    expect(stageChanges[0]?.score).toBeCloseTo(35, 2);
    expect(state.stage).toBe("mql");
  });

  it("an anonymous visitor is scored but never becomes an MQL", () => {
    const { state, stageChanges } = run(
      [ev({ type: "form", name: "demo_request" }), ev({ type: "form", name: "contact" })],
      defaultRuleSet,
      initialState({ anonymous: true }),
    );
    expect(state.engagement).toBe(50);
    expect(state.stage).toBe("lead");
    expect(stageChanges).toEqual([]);
  });
});
