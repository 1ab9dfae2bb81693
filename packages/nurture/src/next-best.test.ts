import { DAY_MS } from "@leadtrail/scoring";
import { describe, expect, it } from "vitest";
import { applicableTracks, cookielessDefault, type NextBest, nextBestContent } from "./next-best.ts";
import { emptyProgress, markConsumed, markOffered } from "./progress.ts";
import type { NurtureLead, NurtureProgress, NurtureTrack, Persona } from "./types.ts";

const T0 = Date.UTC(2025, 2, 3, 9, 0, 0);
const day = (n: number) => T0 + n * DAY_MS;

const itTrack: NurtureTrack = {
  id: "t-it",
  personaId: "it-lead",
  stages: ["lead", "nurture"],
  steps: [
    { id: "s1", contentId: "blog-basics" },
    { id: "s2", contentId: "wp-security", conditions: { minDaysSincePreviousStep: 3 } },
    { id: "s3", contentId: "case-bank", conditions: { minScore: 20 } },
    { id: "s4", contentId: "webinar-demo", conditions: { notConsumed: ["pricing"], minDaysSinceLastTouch: 7 } },
  ],
};
const generic: NurtureTrack = {
  id: "t-generic",
  personaId: null,
  stages: ["lead", "nurture"],
  steps: [
    { id: "g1", contentId: "blog-basics" },
    { id: "g2", contentId: "pricing", conditions: { maxScore: 30 } },
  ],
};
const onboarding: NurtureTrack = {
  id: "t-onboarding",
  purpose: "onboarding",
  personaId: null,
  stages: ["won"],
  steps: [
    { id: "o1", contentId: "onboarding-guide" },
    { id: "o2", contentId: "addon-upsell", conditions: { minDaysSincePreviousStep: 14 } },
  ],
};
const off: NurtureTrack = {
  id: "a-off",
  personaId: null,
  stages: ["lead"],
  enabled: false,
  steps: [{ id: "x", contentId: "pricing" }],
};
const tracks = [generic, onboarding, off, itTrack];

/** Progress with the given steps offered at the given days. */
function offered(...offers: [trackId: string, stepId: string, contentId: string, day: number][]): NurtureProgress {
  let progress = emptyProgress();
  for (const [trackId, stepId, contentId, d] of offers)
    progress = markOffered(progress, { trackId, stepId, contentId }, day(d));
  return progress;
}

const itLead: NurtureLead = { stage: "lead", score: 10, personaId: "it-lead" };
const s1s2 = offered(["t-it", "s1", "blog-basics", 0], ["t-it", "s2", "wp-security", 3]);
const itDone = offered(
  ["t-it", "s1", "blog-basics", 0],
  ["t-it", "s2", "wp-security", 3],
  ["t-it", "s3", "case-bank", 4],
  ["t-it", "s4", "webinar-demo", 11],
);

describe("nextBestContent", () => {
  it.each<{ name: string; lead: NurtureLead; progress?: NurtureProgress; now: number; want: Partial<NextBest> }>([
    {
      name: "a new lead gets its persona track's first step",
      lead: itLead,
      now: day(0),
      want: { status: "due", trackId: "t-it", stepId: "s1", stepIndex: 0 },
    },
    {
      name: "the next step waits for the pause after the previous one",
      lead: itLead,
      progress: offered(["t-it", "s1", "blog-basics", 0]),
      now: day(1),
      want: { status: "waiting", stepId: "s2", until: day(3) },
    },
    {
      name: "due at the exact end of the pause",
      lead: itLead,
      progress: offered(["t-it", "s1", "blog-basics", 0]),
      now: day(3),
      want: { status: "due", stepId: "s2" },
    },
    {
      name: "a step whose score condition fails is passed for now; the next one waits for its touch pause",
      lead: itLead,
      progress: s1s2,
      now: day(4),
      want: { status: "waiting", stepId: "s4", until: day(10) },
    },
    {
      name: "the same lead with a higher score gets the passed step",
      lead: { ...itLead, score: 20 },
      progress: s1s2,
      now: day(4),
      want: { status: "due", stepId: "s3" },
    },
    {
      name: "content already consumed is not offered: the step is passed",
      lead: { ...itLead, consumedContentIds: ["blog-basics"] },
      now: day(0),
      want: { status: "due", stepId: "s2" },
    },
    {
      name: "a touch outside nurture counts for the touch pause",
      lead: { ...itLead, lastTouchAt: day(9) },
      progress: s1s2,
      now: day(12),
      want: { status: "waiting", stepId: "s4", until: day(16) },
    },
    {
      name: "blocked everywhere: the reasons are given",
      lead: { ...itLead, score: 40, consumedContentIds: ["pricing"] },
      progress: offered(
        ["t-it", "s1", "blog-basics", 0],
        ["t-it", "s2", "wp-security", 3],
        ["t-it", "s3", "case-bank", 4],
      ),
      now: day(30),
      want: {
        status: "blocked",
        trackId: "t-it",
        steps: [{ stepId: "s4", reasons: ["already consumed pricing"] }],
      },
    },
    {
      name: "persona track exhausted: the generic track takes over, skipping content already offered",
      lead: itLead,
      progress: itDone,
      now: day(12),
      want: { status: "due", trackId: "t-generic", stepId: "g2" },
    },
    {
      name: "every track exhausted",
      lead: itLead,
      progress: offered(...itDoneOffers(), ["t-generic", "g2", "pricing", 12]),
      now: day(40),
      want: { status: "exhausted", trackIds: ["t-it", "t-generic"] },
    },
    {
      name: "a lead without persona gets the generic track",
      lead: { stage: "nurture", score: 0, personaId: null },
      now: day(0),
      want: { status: "due", trackId: "t-generic", stepId: "g1" },
    },
    {
      name: "a lead of a persona without a track of its own gets the generic one",
      lead: { stage: "lead", score: 0, personaId: "cfo" },
      now: day(0),
      want: { status: "due", trackId: "t-generic" },
    },
    {
      name: "sales stages have no track",
      lead: { ...itLead, stage: "sql" },
      now: day(0),
      want: { status: "no_track" },
    },
    { name: "closed lost has no track", lead: { ...itLead, stage: "lost" }, now: day(0), want: { status: "no_track" } },
    {
      name: "customers (Closed Won) are on the onboarding track",
      lead: { ...itLead, stage: "won" },
      now: day(0),
      want: { status: "due", trackId: "t-onboarding", stepId: "o1" },
    },
    {
      name: "customers get the upsell step 14 days after onboarding",
      lead: { ...itLead, stage: "won" },
      progress: offered(["t-onboarding", "o1", "onboarding-guide", 0]),
      now: day(13),
      want: { status: "waiting", stepId: "o2", until: day(14) },
    },
    {
      name: "an MQL in the middle of the track leaves it; back in nurture it resumes",
      lead: { ...itLead, stage: "nurture", score: 25 },
      progress: s1s2,
      now: day(5),
      want: { status: "due", trackId: "t-it", stepId: "s3" },
    },
  ])("$name", ({ lead, progress, now, want }) => {
    expect(nextBestContent(lead, tracks, progress ?? emptyProgress(), now)).toMatchObject(want);
  });

  it("a waiting track holds the lead: the generic track does not jump in", () => {
    const result = nextBestContent(itLead, tracks, offered(["t-it", "s1", "blog-basics", 0]), day(1));
    expect(result.status).toBe("waiting");
    expect(result).toMatchObject({ trackId: "t-it" });
  });

  it("a blocked persona track lets the next track offer", () => {
    const gated: NurtureTrack = {
      id: "t-gated",
      personaId: "it-lead",
      stages: ["lead"],
      steps: [{ id: "big", contentId: "case-bank", conditions: { minScore: 50 } }],
    };
    expect(nextBestContent(itLead, [gated, generic], emptyProgress(), day(0))).toMatchObject({
      status: "due",
      trackId: "t-generic",
    });
  });

  it("unknown score fails a score bound", () => {
    const result = nextBestContent({ ...itLead, score: null }, [itTrack], s1s2, day(4));
    expect(result).toMatchObject({ status: "waiting", stepId: "s4" });
    const onlyS3: NurtureTrack = { ...itTrack, steps: [itTrack.steps[2] as NurtureTrack["steps"][number]] };
    expect(nextBestContent({ ...itLead, score: null }, [onlyS3], emptyProgress(), day(4))).toEqual({
      status: "blocked",
      trackId: "t-it",
      steps: [{ stepId: "s3", reasons: ["score unknown"] }],
    });
  });

  describe("ties between tracks", () => {
    const a: NurtureTrack = {
      id: "b-track",
      personaId: null,
      stages: ["lead"],
      steps: [{ id: "1", contentId: "one" }],
    };
    const b: NurtureTrack = {
      id: "a-track",
      personaId: null,
      stages: ["lead"],
      steps: [{ id: "1", contentId: "two" }],
    };
    const lead: NurtureLead = { stage: "lead", score: 0 };
    it.each([
      { name: "equal priority: smaller id first", list: [a, b], want: "a-track" },
      { name: "independent of load order", list: [b, a], want: "a-track" },
      { name: "lower priority number first", list: [{ ...a, priority: -1 }, b], want: "b-track" },
      {
        name: "persona track beats a generic one of higher priority",
        list: [{ ...a, personaId: "p", priority: 5 }, b],
        want: "b-track",
        persona: "p",
      },
    ])("$name", ({ list, want, persona }) => {
      const result = nextBestContent({ ...lead, personaId: persona ?? null }, list, emptyProgress(), day(0));
      expect(result).toMatchObject({ status: "due", trackId: want });
    });
  });

  it("closes the loop: offer, consume, and the next step follows", () => {
    let progress = emptyProgress();
    const first = nextBestContent(itLead, tracks, progress, day(0));
    if (first.status !== "due") throw new Error("expected a due step");
    progress = markOffered(progress, first, day(0), "webhook");
    const consumed = markConsumed(progress, "blog-basics", day(1));
    expect(consumed.converted).toEqual([{ trackId: "t-it", stepId: "s1", contentId: "blog-basics" }]);
    expect(nextBestContent(itLead, tracks, consumed.progress, day(3))).toMatchObject({ status: "due", stepId: "s2" });
  });
});

function itDoneOffers(): [string, string, string, number][] {
  return [
    ["t-it", "s1", "blog-basics", 0],
    ["t-it", "s2", "wp-security", 3],
    ["t-it", "s3", "case-bank", 4],
    ["t-it", "s4", "webinar-demo", 11],
  ];
}

describe("applicableTracks", () => {
  it("filters by stage, persona and enabled, in working order", () => {
    expect(applicableTracks("it-lead", "lead", tracks).map((t) => t.id)).toEqual(["t-it", "t-generic"]);
    expect(applicableTracks(null, "lead", tracks).map((t) => t.id)).toEqual(["t-generic"]);
    expect(applicableTracks("it-lead", "won", tracks).map((t) => t.id)).toEqual(["t-onboarding"]);
  });
});

describe("cookielessDefault", () => {
  const persona: Persona = { id: "it-lead", name: "IT", criteria: {} };
  it.each<{ name: string; persona: Persona | null; exclude?: string[]; want: unknown }>([
    {
      name: "the persona's track's first step",
      persona,
      want: { contentId: "blog-basics", trackId: "t-it", stepId: "s1" },
    },
    {
      name: "skips the page being viewed",
      persona,
      exclude: ["blog-basics"],
      want: { contentId: "wp-security", trackId: "t-it", stepId: "s2" },
    },
    {
      name: "skips steps that need a known score",
      persona,
      exclude: ["blog-basics", "wp-security"],
      want: { contentId: "webinar-demo", trackId: "t-it", stepId: "s4" },
    },
    {
      name: "the persona's own default comes first",
      persona: { ...persona, defaultContentId: "pricing" },
      want: { contentId: "pricing", trackId: null, stepId: null },
    },
    {
      name: "an excluded default falls back to the tracks",
      persona: { ...persona, defaultContentId: "pricing" },
      exclude: ["pricing"],
      want: { contentId: "blog-basics", trackId: "t-it", stepId: "s1" },
    },
    {
      name: "no persona: the generic track",
      persona: null,
      want: { contentId: "blog-basics", trackId: "t-generic", stepId: "g1" },
    },
    { name: "nothing left", persona: null, exclude: ["blog-basics", "pricing"], want: null },
  ])("$name", ({ persona, exclude, want }) => {
    expect(cookielessDefault(persona, tracks, exclude ? { exclude } : {})).toEqual(want);
  });
});
