import { describe, expect, it } from "vitest";
import {
  type CampaignPlan,
  campaignMonths,
  campaignPeriod,
  type DayCounts,
  goalViews,
  metricTimes,
  monthlyGoalLine,
  overallStatus,
  recentMonths,
  sumCounts,
} from "./campaign-results.ts";

const now = Date.UTC(2026, 3, 16); // half of April gone
const campaign: CampaignPlan = {
  startsAt: Date.UTC(2026, 3, 1),
  endsAt: Date.UTC(2026, 4, 1),
  goals: [
    { metric: "leads", target: 10, per: "month" },
    { metric: "mqls", target: 4, per: "period" },
    { metric: "won", target: 1, per: "period" },
  ],
  createdAt: Date.UTC(2026, 2, 20),
};
/** One attributed lead as the day counts hold it: created on one day, MQL (maybe) on another. */
const day = (at: number, counts: Partial<DayCounts>): DayCounts => ({
  day: at,
  leads: 0,
  mqls: 0,
  sqls: 0,
  won: 0,
  ...counts,
});
const lead = (createdAt: number, mqlAt: number | null = null): DayCounts[] => [
  day(createdAt, { leads: 1 }),
  ...(mqlAt === null ? [] : [day(mqlAt, { mqls: 1 })]),
];

describe("goal progress", () => {
  it("projects each goal over its window and calls it on track, behind or met", () => {
    const milestones = [
      ...Array.from({ length: 6 }, (_, i) => lead(Date.UTC(2026, 3, 2 + i), i < 2 ? Date.UTC(2026, 3, 10) : null)),
      lead(Date.UTC(2026, 2, 25)), // before the period: not in April's count
    ].flat();
    const goals = goalViews(campaign, milestones, now);
    expect(goals.map((g) => [g.metric, g.actual, Math.round(g.projection ?? -1), g.status])).toEqual([
      ["leads", 6, 12, "on_track"],
      ["mqls", 2, 4, "on_track"],
      ["won", 0, 0, "behind"],
    ]);
    expect(overallStatus(goals)).toBe("behind");
    expect(overallStatus([])).toBeNull();
  });

  it.each([
    ["the worst status wins", ["met", "on_track", "missed"], "missed"],
    ["behind before on track", ["on_track", "behind"], "behind"],
    ["not started before met", ["met", "not_started"], "not_started"],
    ["all met", ["met", "met"], "met"],
  ] as const)("overallStatus: %s", (_name, statuses, worst) => {
    expect(overallStatus(statuses.map((status) => ({ status })))).toBe(worst);
  });
});

describe("campaignPeriod", () => {
  it.each([
    [
      "given days are kept",
      { startsAt: Date.UTC(2026, 0, 5), endsAt: Date.UTC(2026, 1, 5) },
      Date.UTC(2026, 0, 5),
      Date.UTC(2026, 1, 5),
    ],
    [
      "an open campaign runs from its creation month to the end of now's month",
      { startsAt: null, endsAt: null },
      Date.UTC(2026, 1, 1),
      Date.UTC(2026, 4, 1),
    ],
    [
      "an open end starting after now lasts at least a day",
      { startsAt: Date.UTC(2026, 5, 1), endsAt: null },
      Date.UTC(2026, 5, 1),
      Date.UTC(2026, 5, 2),
    ],
  ])("%s", (_name, days, start, end) => {
    expect(campaignPeriod({ ...days, createdAt: Date.UTC(2026, 1, 10) }, now)).toEqual({ start, end });
  });
});

describe("counts and series", () => {
  const days = [day(Date.UTC(2026, 3, 2), { leads: 2, mqls: 1 }), day(Date.UTC(2026, 3, 9), { leads: 1, won: 1 })];

  it("adds up the day counts and spreads them into event times", () => {
    expect(sumCounts(days)).toEqual({ leads: 3, mqls: 1, sqls: 0, won: 1 });
    expect(metricTimes(days, "leads")).toEqual([Date.UTC(2026, 3, 2), Date.UTC(2026, 3, 2), Date.UTC(2026, 3, 9)]);
    expect(sumCounts([])).toEqual({ leads: 0, mqls: 0, sqls: 0, won: 0 });
  });

  it("the last twelve months end with now's month", () => {
    expect(recentMonths(now)).toEqual({ start: Date.UTC(2025, 4, 1), end: Date.UTC(2026, 4, 1) });
    expect(recentMonths(now, 1)).toEqual({ start: Date.UTC(2026, 3, 1), end: Date.UTC(2026, 4, 1) });
  });

  it("a campaign's months carry each metric and its monthly goal as a line", () => {
    const open: CampaignPlan = { ...campaign, startsAt: Date.UTC(2026, 2, 1) };
    const months = campaignMonths(open, days, now);
    expect(months.labels).toEqual(["2026-03", "2026-04"]);
    expect(months.series).toEqual([
      { metric: "leads", data: [0, 3] },
      { metric: "mqls", data: [0, 1] },
      { metric: "sqls", data: [0, 0] },
      { metric: "won", data: [0, 1] },
    ]);
    expect(months.goals).toEqual([{ metric: "leads", data: [10, 10] }]);
  });

  it("the overview's goal line is the target only in the months the campaign runs", () => {
    const months = [Date.UTC(2026, 2, 1), Date.UTC(2026, 3, 1), Date.UTC(2026, 4, 1)].map((start) => ({ start }));
    expect(monthlyGoalLine(campaign, "leads", months, now)).toEqual([0, 10, 0]);
    expect(monthlyGoalLine(campaign, "mqls", months, now)).toBeNull(); // a period goal, not monthly
  });
});
