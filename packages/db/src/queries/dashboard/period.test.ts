import { describe, expect, it } from "vitest";
import { localDay, localDayNumber, offsetChanges, startOfLocalDay, tzOffsetMinutes } from "../../local-time.ts";
import { bucketsOf, granularityFor, type PeriodPreset, resolvePeriod } from "./period.ts";

const at = (iso: string) => Date.parse(iso);

describe("resolvePeriod", () => {
  // now, zone, preset → range, previous, granularity
  const cases: [string, string, string, PeriodPreset, string, string, string, string, string][] = [
    [
      "today in UTC",
      "2026-03-10T12:00:00Z",
      "UTC",
      "today",
      "2026-03-10",
      "2026-03-10",
      "2026-03-09",
      "2026-03-09",
      "hour",
    ],
    // 23:30 UTC is already the next day in Berlin (and still the same day in New York)
    [
      "today is the site's day (Berlin)",
      "2026-03-10T23:30:00Z",
      "Europe/Berlin",
      "today",
      "2026-03-11",
      "2026-03-11",
      "2026-03-10",
      "2026-03-10",
      "hour",
    ],
    [
      "today is the site's day (New York)",
      "2026-03-11T03:30:00Z",
      "America/New_York",
      "today",
      "2026-03-10",
      "2026-03-10",
      "2026-03-09",
      "2026-03-09",
      "hour",
    ],
    ["last 7 days", "2026-03-10T12:00:00Z", "UTC", "7d", "2026-03-04", "2026-03-10", "2026-02-25", "2026-03-03", "day"],
    [
      "last 30 days across February",
      "2026-03-10T12:00:00Z",
      "UTC",
      "30d",
      "2026-02-09",
      "2026-03-10",
      "2026-01-10",
      "2026-02-08",
      "day",
    ],
    [
      "this month so far vs. last month's same days",
      "2026-03-10T12:00:00Z",
      "UTC",
      "month",
      "2026-03-01",
      "2026-03-10",
      "2026-02-01",
      "2026-02-10",
      "day",
    ],
    [
      "this month on the 31st: February is clamped",
      "2026-03-31T12:00:00Z",
      "UTC",
      "month",
      "2026-03-01",
      "2026-03-31",
      "2026-02-01",
      "2026-02-28",
      "day",
    ],
    [
      "last month in January is December",
      "2026-01-15T12:00:00Z",
      "UTC",
      "last-month",
      "2025-12-01",
      "2025-12-31",
      "2025-11-01",
      "2025-11-30",
      "day",
    ],
    [
      "last month after a leap February",
      "2028-03-02T00:00:00Z",
      "UTC",
      "last-month",
      "2028-02-01",
      "2028-02-29",
      "2028-01-01",
      "2028-01-31",
      "day",
    ],
    [
      "this quarter (Q2) vs. Q1 to the same day",
      "2026-05-20T12:00:00Z",
      "UTC",
      "quarter",
      "2026-04-01",
      "2026-05-20",
      "2026-01-01",
      "2026-02-20",
      "week",
    ],
    [
      "this quarter on its first day",
      "2026-10-01T00:30:00Z",
      "Europe/Berlin",
      "quarter",
      "2026-10-01",
      "2026-10-01",
      "2026-07-01",
      "2026-07-01",
      "hour",
    ],
    [
      "this quarter's first day in UTC is still Q3 in Los Angeles",
      "2026-10-01T05:00:00Z",
      "America/Los_Angeles",
      "quarter",
      "2026-07-01",
      "2026-09-30",
      "2026-04-01",
      "2026-06-30",
      "week",
    ],
    [
      "last 12 months",
      "2026-03-10T12:00:00Z",
      "UTC",
      "12m",
      "2025-04-01",
      "2026-03-10",
      "2024-04-01",
      "2025-03-10",
      "month",
    ],
  ];
  it.each(cases)("%s", (_name, now, tz, preset, from, to, pFrom, pTo, granularity) => {
    const p = resolvePeriod(preset, at(now), tz);
    expect([p.from, p.to, p.previous.from, p.previous.to, p.granularity]).toEqual([from, to, pFrom, pTo, granularity]);
  });

  it("a custom range is compared with the equally long run of days before it", () => {
    const p = resolvePeriod("custom", 0, "UTC", { from: "2026-02-20", to: "2026-03-05" });
    expect(p.previous).toEqual({ from: "2026-02-06", to: "2026-02-19" });
    expect(p.granularity).toBe("day");
  });
});

describe("granularityFor", () => {
  it.each([
    ["2026-01-01", "2026-01-01", "hour"],
    ["2026-01-01", "2026-01-02", "day"],
    ["2026-01-01", "2026-02-14", "day"],
    ["2026-01-01", "2026-02-15", "week"],
    ["2026-01-01", "2026-04-30", "week"],
    ["2026-01-01", "2026-05-01", "month"],
  ])("%s … %s → %s", (from, to, g) => expect(granularityFor({ from, to })).toBe(g));
});

describe("local days", () => {
  // Berlin: CET (+60) until 2026-03-29 01:00 UTC, CEST (+120) until 2026-10-25 01:00 UTC.
  it.each([
    ["2026-03-28T23:00:00Z", "Europe/Berlin", "2026-03-29", 60], // 00:00 local on the short day
    ["2026-03-28T22:59:59Z", "Europe/Berlin", "2026-03-28", 60],
    ["2026-03-29T00:59:00Z", "Europe/Berlin", "2026-03-29", 60], // 01:59 CET, just before the jump
    ["2026-03-29T01:00:00Z", "Europe/Berlin", "2026-03-29", 120], // 03:00 CEST
    ["2026-03-29T21:59:00Z", "Europe/Berlin", "2026-03-29", 120], // 23:59 CEST
    ["2026-03-29T22:00:00Z", "Europe/Berlin", "2026-03-30", 120],
    ["2026-10-24T22:00:00Z", "Europe/Berlin", "2026-10-25", 120], // 00:00 on the long day
    ["2026-10-25T01:00:00Z", "Europe/Berlin", "2026-10-25", 60], // the second 02:00
    ["2026-10-25T22:59:00Z", "Europe/Berlin", "2026-10-25", 60],
    ["2026-10-25T23:00:00Z", "Europe/Berlin", "2026-10-26", 60],
    ["2026-06-30T18:15:00Z", "Asia/Kathmandu", "2026-07-01", 345],
    ["2026-07-01T03:59:00Z", "America/New_York", "2026-06-30", -240],
    ["2026-07-01T23:59:00Z", "UTC", "2026-07-01", 0],
  ])("%s in %s is %s (offset %i)", (iso, tz, day, offset) => {
    expect(localDay(tz, at(iso))).toBe(day);
    expect(tzOffsetMinutes(tz, at(iso))).toBe(offset);
    expect(localDayNumber(tz, at(iso))).toBe(Date.parse(`${day}T00:00:00Z`) / 86_400_000);
  });

  it.each([
    ["Europe/Berlin", "2026-03-29", "2026-03-28T23:00:00Z", 23],
    ["Europe/Berlin", "2026-10-25", "2026-10-24T22:00:00Z", 25],
    ["Europe/Berlin", "2026-07-01", "2026-06-30T22:00:00Z", 24],
    ["America/New_York", "2026-03-08", "2026-03-08T05:00:00Z", 23],
    ["UTC", "2026-03-29", "2026-03-29T00:00:00Z", 24],
  ])("%s: %s starts at %s and has %i hours", (tz, day, start, hours) => {
    expect(new Date(startOfLocalDay(tz, day)).toISOString()).toBe(new Date(at(start)).toISOString());
    const buckets = bucketsOf({ from: day, to: day }, "hour", tz);
    expect(buckets.length).toBe(hours);
    expect(buckets.every((b) => b.from === day)).toBe(true);
  });

  it("finds a zone's DST changes to the minute", () => {
    const changes = offsetChanges("Europe/Berlin", 2026, 2026);
    expect(changes.slice(1).map((c) => [new Date(c.fromMs).toISOString(), c.offsetMinutes])).toEqual([
      ["2026-03-29T01:00:00.000Z", 120],
      ["2026-10-25T01:00:00.000Z", 60],
    ]);
    expect(offsetChanges("UTC", 2000, 2030)).toEqual([{ fromMs: -8.64e15, offsetMinutes: 0 }]);
  });
});

describe("bucketsOf", () => {
  it("weeks start on Monday and are clipped to the range", () => {
    const b = bucketsOf({ from: "2026-04-01", to: "2026-04-20" }, "week", "UTC");
    expect(b.map((x) => [x.key, x.from, x.to])).toEqual([
      ["2026-03-30", "2026-04-01", "2026-04-05"],
      ["2026-04-06", "2026-04-06", "2026-04-12"],
      ["2026-04-13", "2026-04-13", "2026-04-19"],
      ["2026-04-20", "2026-04-20", "2026-04-20"],
    ]);
  });
  it("months run over the range only", () => {
    const b = bucketsOf({ from: "2025-04-01", to: "2026-03-10" }, "month", "UTC");
    expect(b.length).toBe(12);
    expect(b[0]).toEqual({ key: "2025-04-01", from: "2025-04-01", to: "2025-04-30" });
    expect(b.at(-1)).toEqual({ key: "2026-03-01", from: "2026-03-01", to: "2026-03-10" });
  });
});
