import { describe, expect, it } from "vitest";
import { emptyProgress, markConsumed, markOffered } from "./progress.ts";
import { type ReportLead, trackReport } from "./report.ts";
import type { NurtureProgress, NurtureTrack } from "./types.ts";

const track: NurtureTrack = {
  id: "t",
  personaId: "it-lead",
  stages: ["lead", "nurture"],
  steps: [
    { id: "s1", contentId: "blog" },
    { id: "s2", contentId: "whitepaper" },
    { id: "s3", contentId: "case" },
  ],
};

/** A lead's progress: offers [step, at], then consumptions [content, at]. */
function progress(offers: [string, number][], consumed: [string, number][] = []): NurtureProgress {
  let p = emptyProgress();
  for (const [stepId, at] of offers) {
    const contentId = track.steps.find((s) => s.id === stepId)?.contentId ?? "?";
    p = markOffered(p, { trackId: "t", stepId, contentId }, at);
  }
  for (const [contentId, at] of consumed) p = markConsumed(p, contentId, at).progress;
  return p;
}

const leads: ReportLead[] = [
  // Read s1 and s2, MQL after s2, won later.
  {
    progress: progress(
      [
        ["s1", 10],
        ["s2", 20],
      ],
      [
        ["blog", 11],
        ["whitepaper", 25],
      ],
    ),
    stageChanges: [
      { to: "mql", at: 30 },
      { to: "sal", at: 31 },
      { to: "sql", at: 40 },
      { to: "won", at: 50 },
    ],
  },
  // Offered all three, read none; MQL between s1 and s2 — s1 gets the credit.
  {
    progress: progress([
      ["s1", 10],
      ["s2", 20],
      ["s3", 30],
    ]),
    stageChanges: [{ to: "mql", at: 15 }],
  },
  // Was MQL before any offer (rejected back to nurture): that MQL is not credited.
  {
    progress: progress([["s1", 100]], [["blog", 90]]),
    stageChanges: [
      { to: "mql", at: 50 },
      { to: "nurture", at: 60 },
    ],
  },
  // Never reached by this track.
  { progress: emptyProgress(), stageChanges: [{ to: "mql", at: 5 }] },
  // A step that was removed from the track is ignored; MQL at the instant of the offer is not "after".
  {
    progress: {
      ...progress([["s3", 70]]),
      tracks: { t: { ...progress([["s3", 70]]).tracks.t, old: { contentId: "x", offeredAt: 1, convertedAt: 2 } } },
    },
    stageChanges: [{ to: "mql", at: 70 }],
  },
];

describe("trackReport", () => {
  const report = trackReport(track, leads);

  it("counts reach, conversion and the MQL/won that followed each step", () => {
    expect(report.steps).toEqual([
      {
        stepId: "s1",
        contentId: "blog",
        reached: 3,
        converted: 1,
        conversionRate: 1 / 3,
        mqlAfter: 2,
        wonAfter: 1,
        lastBeforeMql: 1,
        lastBeforeWon: 0,
      },
      {
        stepId: "s2",
        contentId: "whitepaper",
        reached: 2,
        converted: 1,
        conversionRate: 0.5,
        mqlAfter: 1,
        wonAfter: 1,
        lastBeforeMql: 1,
        lastBeforeWon: 1,
      },
      {
        stepId: "s3",
        contentId: "case",
        reached: 2,
        converted: 0,
        conversionRate: 0,
        mqlAfter: 0,
        wonAfter: 0,
        lastBeforeMql: 0,
        lastBeforeWon: 0,
      },
    ]);
  });

  it("totals leads on the track and those that went on to MQL and won", () => {
    expect({ leads: report.leads, mql: report.mql, won: report.won }).toEqual({ leads: 4, mql: 2, won: 1 });
  });

  it("shows zeros and no rate for an empty track history", () => {
    const empty = trackReport(track, []);
    expect(empty.leads).toBe(0);
    expect(empty.steps.every((s) => s.reached === 0 && s.conversionRate === null)).toBe(true);
  });
});
