import { DAY_MS } from "@leadtrail/scoring";
import { describe, expect, it } from "vitest";
import {
  type LeadNurtureFacts,
  latestOpenOffer,
  type NurtureSite,
  nurtureWrite,
  offeredContent,
  siteOrigin,
  stepLead,
  storedProgress,
} from "./lead-step.ts";
import { emptyProgress, markConsumed, markOffered } from "./progress.ts";

const T0 = Date.UTC(2025, 2, 3, 9, 0, 0);
const day = (n: number) => T0 + n * DAY_MS;

const site: NurtureSite = {
  personas: [
    { id: "1", name: "IT lead", criteria: { roles: ["cto"] } },
    { id: "2", name: "Security reader", criteria: { topics: [{ topic: "security" }] } },
  ],
  catalogue: [
    { id: "blog-basics", kind: "blog", topics: ["basics"], match: ["/blog/basics"] },
    { id: "wp-security", title: "Security paper", kind: "whitepaper", topics: ["security"], match: ["/wp/security"] },
    {
      id: "webinar",
      kind: "webinar",
      topics: [],
      match: ["https://events.example.com/*"],
      href: "https://events.example.com/demo",
    },
  ],
  tracks: [
    {
      id: "7",
      personaId: null,
      stages: ["lead"],
      steps: [
        { id: "s1", contentId: "blog-basics" },
        { id: "s2", contentId: "wp-security", conditions: { minScore: 10 } },
      ],
    },
  ],
  halfLifeDays: 7,
  origin: "https://acme.example",
};

function lead(over: Partial<LeadNurtureFacts> = {}): LeadNurtureFacts {
  return {
    email: "ann@acme.example",
    role: null,
    traits: {},
    visitorCountry: null,
    stage: "lead",
    fitScore: 0,
    engagementScore: 0,
    scoredAt: null,
    viewed: [],
    progress: null,
    ...over,
  };
}

describe("stepLead", () => {
  const cases: {
    name: string;
    lead: LeadNurtureFacts;
    offer: { channel: string } | null;
    persona: string | null;
    offered: string | null;
    next: string;
    converted: number;
    score: number;
  }[] = [
    {
      name: "a new lead is offered the first step when a channel is given",
      lead: lead(),
      offer: { channel: "webhook" },
      persona: null,
      offered: "s1",
      next: "blocked",
      converted: 0,
      score: 0,
    },
    {
      name: "without a channel nothing is offered and the step stays due",
      lead: lead(),
      offer: null,
      persona: null,
      offered: null,
      next: "due",
      converted: 0,
      score: 0,
    },
    {
      name: "the stored role matches a persona when traits name none",
      lead: lead({ role: "CTO" }),
      offer: null,
      persona: "1",
      offered: null,
      next: "due",
      converted: 0,
      score: 0,
    },
    {
      name: "reading the offered content converts it; the score decays to now",
      lead: lead({
        fitScore: 4,
        engagementScore: 24,
        scoredAt: day(0),
        viewed: [
          { target: "/blog/basics", at: day(2) },
          { target: "/wp/security", at: day(3) },
        ],
        progress: markOffered(emptyProgress(), { trackId: "7", stepId: "s1", contentId: "blog-basics" }, day(1)),
      }),
      offer: { channel: "website" },
      persona: "2",
      offered: null,
      next: "exhausted",
      converted: 1,
      score: 16,
    },
  ];
  for (const c of cases)
    it(c.name, () => {
      const step = stepLead(site, c.lead, day(7), c.offer);
      expect(step.persona?.personaId ?? null).toBe(c.persona);
      expect(step.offered?.stepId ?? null).toBe(c.offered);
      expect(step.next.status).toBe(c.next);
      expect(step.converted).toHaveLength(c.converted);
      expect(step.score).toBeCloseTo(c.score, 10);
    });

  it("records the offer with its channel in the progress it returns", () => {
    const step = stepLead(site, lead(), day(1), { channel: "webhook" });
    expect(step.progress.tracks["7"]?.s1).toMatchObject({
      contentId: "blog-basics",
      offeredAt: day(1),
      channel: "webhook",
    });
  });
});

describe("nurtureWrite", () => {
  const cases: { name: string; offer: boolean; dueAgain: boolean; track: number | null; dueAt: number | null }[] = [
    { name: "a due step is looked at again now when asked", offer: false, dueAgain: true, track: 7, dueAt: day(1) },
    {
      name: "a due step of a lead not to be contacted waits for a change",
      offer: false,
      dueAgain: false,
      track: 7,
      dueAt: null,
    },
    {
      name: "after an offer the next step blocked by its condition is not stored",
      offer: true,
      dueAgain: true,
      track: null,
      dueAt: null,
    },
  ];
  for (const c of cases)
    it(c.name, () => {
      const step = stepLead(site, lead(), day(1), c.offer ? { channel: "webhook" } : null);
      const row = nurtureWrite(42, step, day(1), null, c.dueAgain);
      expect(row).toMatchObject({ leadId: 42, nextTrackId: c.track, nextDueAt: c.dueAt, updatedAt: day(1) });
    });

  it("stores nothing next when the track is done", () => {
    const done = stepLead(
      site,
      lead({
        viewed: [
          { target: "/blog/basics", at: day(0) },
          { target: "/wp/security", at: day(0) },
        ],
      }),
      day(1),
      null,
    );
    expect(nurtureWrite(1, done, day(1), 5, true)).toMatchObject({
      nextTrackId: null,
      nextStepId: null,
      nextContentKey: null,
      nextDueAt: null,
      notifiedAt: 5,
    });
  });
});

describe("latestOpenOffer", () => {
  const twoOffers = markOffered(
    markOffered(emptyProgress(), { trackId: "7", stepId: "s1", contentId: "blog-basics" }, day(1)),
    { trackId: "7", stepId: "s2", contentId: "wp-security" },
    day(2),
  );
  const cases: { name: string; progress: ReturnType<typeof emptyProgress>; consumed: string[]; open: string | null }[] =
    [
      { name: "no offers", progress: emptyProgress(), consumed: [], open: null },
      { name: "the newest unread offer", progress: twoOffers, consumed: [], open: "wp-security" },
      {
        name: "content read elsewhere is skipped",
        progress: twoOffers,
        consumed: ["wp-security"],
        open: "blog-basics",
      },
      {
        name: "content consumed in the progress is skipped",
        progress: markConsumed(twoOffers, "wp-security", day(3)).progress,
        consumed: [],
        open: "blog-basics",
      },
      { name: "everything read", progress: twoOffers, consumed: ["wp-security", "blog-basics"], open: null },
    ];
  for (const c of cases) it(c.name, () => expect(latestOpenOffer(c.progress, c.consumed)).toBe(c.open));
});

describe("offeredContent and siteOrigin", () => {
  it.each([
    [
      "a site path joined to the origin",
      "wp-security",
      "https://acme.example",
      "/wp/security",
      "https://acme.example/wp/security",
    ],
    ["a site path without an origin has no URL", "wp-security", null, "/wp/security", null],
    [
      "an absolute href stays as it is",
      "webinar",
      null,
      "https://events.example.com/demo",
      "https://events.example.com/demo",
    ],
  ])("%s", (_name, key, origin, href, url) => {
    expect(offeredContent({ ...site, origin }, key)).toMatchObject({ key, href, url });
  });
  it("an unknown key is null", () => expect(offeredContent(site, "nope")).toBeNull());

  it.each([
    ["the first domain that is not a wildcard", ["*.acme.example", "acme.example"], "https://acme.example"],
    ["localhost over http", ["localhost:5173"], "http://localhost:5173"],
    ["127.x over http", ["127.0.0.1:8080"], "http://127.0.0.1:8080"],
    ["no usable domain", ["*.acme.example"], null],
    ["not a list", "acme.example", null],
  ])("%s", (_name, domains, origin) => expect(siteOrigin(domains)).toBe(origin));
});

describe("storedProgress", () => {
  it.each([
    ["missing", null],
    ["another version", { v: 2, tracks: {}, consumed: {} }],
    ["no tracks", { v: 1, consumed: {} }],
  ])("%s counts as empty", (_name, stored) => expect(storedProgress(stored)).toEqual(emptyProgress()));
  it("keeps stored progress of this version", () => {
    const p = markOffered(emptyProgress(), { trackId: "7", stepId: "s1", contentId: "blog-basics" }, day(1));
    expect(storedProgress(p)).toBe(p);
  });
});
