import { describe, expect, it } from "vitest";
import {
  type CampaignGoal,
  type CampaignPeriod,
  costPer,
  type GoalStatus,
  goalProgress,
  goalWindow,
  monthlyCounts,
} from "./goals.ts";

const utc = (y: number, m: number, d: number, h = 0) => Date.UTC(y, m - 1, d, h);
// March, April and May 2025: 92 days.
const period: CampaignPeriod = { start: utc(2025, 3, 1), end: utc(2025, 6, 1) };
const LENGTH = period.end - period.start;
const at = (share: number) => period.start + share * LENGTH;
const leads90: CampaignGoal = { metric: "leads", target: 90, per: "period" };

describe("goalProgress: whole-period goals", () => {
  it.each<{
    name: string;
    goal?: CampaignGoal;
    actual: number;
    now: number;
    status: GoalStatus;
    projection: number | null;
  }>([
    { name: "period not started", actual: 0, now: period.start - 1, status: "not_started", projection: null },
    {
      name: "first instant: nothing can be behind",
      actual: 0,
      now: period.start,
      status: "on_track",
      projection: null,
    },
    { name: "half-way, pace reaches the target", actual: 45, now: at(0.5), status: "on_track", projection: 90 },
    { name: "half-way, pace falls short", actual: 40, now: at(0.5), status: "behind", projection: 80 },
    { name: "a quarter in, ahead of pace", actual: 30, now: at(0.25), status: "on_track", projection: 120 },
    { name: "target reached early", actual: 90, now: at(0.4), status: "met", projection: 225 },
    { name: "ended short", actual: 80, now: period.end, status: "missed", projection: 80 },
    { name: "ended above", actual: 95, now: period.end + 1, status: "met", projection: 95 },
    {
      name: "zero target is met once running",
      goal: { ...leads90, target: 0 },
      actual: 0,
      now: at(0.1),
      status: "met",
      projection: 0,
    },
    {
      name: "zero target before the start",
      goal: { ...leads90, target: 0 },
      actual: 0,
      now: period.start - 1,
      status: "not_started",
      projection: null,
    },
  ])("$name", ({ goal, actual, now, status, projection }) => {
    const progress = goalProgress(goal ?? leads90, actual, period, now);
    expect(progress.status).toBe(status);
    if (projection === null) expect(progress.projection).toBeNull();
    else expect(progress.projection).toBeCloseTo(projection, 6);
  });

  it("reports the expected count by now and the share of the target", () => {
    const p = goalProgress(leads90, 40, period, at(0.5));
    expect(p.expectedByNow).toBeCloseTo(45);
    expect(p.share).toBeCloseTo(40 / 90);
    expect(p.elapsedShare).toBeCloseTo(0.5);
    expect(goalProgress({ ...leads90, target: 0 }, 3, period, at(0.5)).share).toBeNull();
  });

  it("counts times inside the period and not after now", () => {
    const times = [period.start - 1, period.start, at(0.1), at(0.3), at(0.6), period.end];
    expect(goalProgress(leads90, times, period, at(0.5)).actual).toBe(3);
  });
});

describe("goalProgress: monthly goals", () => {
  const mqls30: CampaignGoal = { metric: "mqls", target: 30, per: "month" };

  it.each<{ name: string; p?: CampaignPeriod; now: number; start: number; end: number; target: number }>([
    { name: "the current month", now: utc(2025, 4, 10), start: utc(2025, 4, 1), end: utc(2025, 5, 1), target: 30 },
    {
      name: "before the start: the first month",
      now: utc(2025, 1, 5),
      start: utc(2025, 3, 1),
      end: utc(2025, 4, 1),
      target: 30,
    },
    {
      name: "after the end: the last month",
      now: utc(2025, 9, 1),
      start: utc(2025, 5, 1),
      end: utc(2025, 6, 1),
      target: 30,
    },
    {
      name: "a campaign starting on the 16th gets a prorated first month",
      p: { start: utc(2025, 3, 16), end: utc(2025, 6, 1) },
      now: utc(2025, 3, 20),
      start: utc(2025, 3, 16),
      end: utc(2025, 4, 1),
      target: (30 * 16) / 31,
    },
  ])("window: $name", ({ p, now, start, end, target }) => {
    const w = goalWindow(mqls30, p ?? period, now);
    expect([w.start, w.end]).toEqual([start, end]);
    expect(w.target).toBeCloseTo(target, 9);
  });

  it("judges only the current month's MQLs", () => {
    // April 10 at 00:00 is 9 of 30 days in: 9 MQLs project to exactly 30.
    const times = [utc(2025, 3, 5), utc(2025, 3, 20), ...Array.from({ length: 9 }, (_, i) => utc(2025, 4, 1 + i))];
    const p = goalProgress(mqls30, times, period, utc(2025, 4, 10));
    expect(p.actual).toBe(9);
    expect(p.projection).toBeCloseTo(30);
    expect(p.status).toBe("on_track");
    expect(goalProgress(mqls30, times.slice(0, -1), period, utc(2025, 4, 10)).status).toBe("behind");
  });

  it("months start at midnight in the given offset", () => {
    // 23:30 UTC on March 31 is already April in CET (+60 min).
    const lateMarch = utc(2025, 3, 31, 23) + 30 * 60_000;
    const now = utc(2025, 4, 2);
    expect(goalProgress(mqls30, [lateMarch], period, now).actual).toBe(0);
    expect(goalProgress(mqls30, [lateMarch], period, now, { offsetMinutes: 60 }).actual).toBe(1);
  });

  it("a month that ended short is missed", () => {
    const p = goalProgress(mqls30, 12, { start: utc(2025, 3, 1), end: utc(2025, 4, 1) }, utc(2025, 4, 15));
    expect(p.status).toBe("missed");
  });
});

describe("costPer", () => {
  it.each([
    { cost: 1000, count: 40, want: 25 },
    { cost: 0, count: 10, want: 0 },
    { cost: 1000, count: 0, want: null },
    { cost: null, count: 10, want: null },
    { cost: undefined, count: 10, want: null },
    { cost: Number.NaN, count: 10, want: null },
  ])("$cost / $count → $want", ({ cost, count, want }) => {
    expect(costPer(cost, count)).toBe(want);
  });
});

describe("monthlyCounts", () => {
  it("lists every month up to now, empty ones included", () => {
    const times = [utc(2025, 3, 2), utc(2025, 3, 30), utc(2025, 5, 1), utc(2025, 5, 3)];
    expect(monthlyCounts(times, period, utc(2025, 5, 2)).map((m) => [m.month, m.count])).toEqual([
      ["2025-03", 2],
      ["2025-04", 0],
      ["2025-05", 1],
    ]);
  });

  it("is empty before the campaign starts", () => {
    expect(monthlyCounts([], period, period.start - 1)).toEqual([]);
  });

  it("stops at the period's last month", () => {
    expect(monthlyCounts([], period, utc(2026, 1, 1)).map((m) => m.month)).toEqual(["2025-03", "2025-04", "2025-05"]);
  });
});
