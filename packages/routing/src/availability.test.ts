import { describe, expect, it } from "vitest";
import { localTime, parseHhmm, presenceProblem } from "./availability.ts";
import type { Rep, WorkingHours } from "./types.ts";

const nineToFive: WorkingHours = {
  mon: [{ start: "09:00", end: "17:00" }],
  tue: [{ start: "09:00", end: "17:00" }],
  wed: [{ start: "09:00", end: "17:00" }],
  thu: [{ start: "09:00", end: "17:00" }],
  fri: [
    { start: "09:00", end: "12:00" },
    { start: "13:00", end: "17:00" },
  ],
};

const rep = (timeZone: string, extra: Partial<Rep> = {}): Rep => ({
  id: "r",
  weight: 1,
  capacity: 10,
  openLeads: 0,
  timeZone,
  workingHours: nineToFive,
  ...extra,
});

const utc = (iso: string) => Date.parse(`${iso}Z`);

describe("localTime", () => {
  it.each([
    // 2024-03-11 is a Monday.
    { zone: "UTC", at: "2024-03-11T00:00:00", weekday: "mon", hhmm: "00:00" },
    { zone: "Europe/Berlin", at: "2024-03-10T23:30:00", weekday: "mon", hhmm: "00:30" },
    { zone: "America/Los_Angeles", at: "2024-03-11T03:00:00", weekday: "sun", hhmm: "20:00" },
    { zone: "Asia/Kolkata", at: "2024-03-11T03:45:00", weekday: "mon", hhmm: "09:15" },
    { zone: "Pacific/Auckland", at: "2024-03-08T22:00:00", weekday: "sat", hhmm: "11:00" },
  ])("$at UTC is $weekday $hhmm in $zone", ({ zone, at, weekday, hhmm }) => {
    const local = localTime(utc(at), zone);
    expect(local?.weekday).toBe(weekday);
    expect(local?.minutes).toBe(parseHhmm(hhmm));
  });

  it("returns null for an unknown zone", () => {
    expect(localTime(utc("2024-03-11T10:00:00"), "Mars/Olympus_Mons")).toBeNull();
  });
});

describe("presenceProblem: working hours across time zones", () => {
  it.each([
    { name: "Berlin Monday 10:00 local (CET)", zone: "Europe/Berlin", at: "2024-03-11T09:00:00", want: null },
    {
      name: "Berlin Monday 08:59 local",
      zone: "Europe/Berlin",
      at: "2024-03-11T07:59:00",
      want: "outside_working_hours",
    },
    {
      name: "Berlin Monday 17:00 local (end is exclusive)",
      zone: "Europe/Berlin",
      at: "2024-03-11T16:00:00",
      want: "outside_working_hours",
    },
    { name: "Berlin Monday 16:59 local", zone: "Europe/Berlin", at: "2024-03-11T15:59:00", want: null },
    { name: "Berlin after DST (CEST): 09:30 local", zone: "Europe/Berlin", at: "2024-04-08T07:30:00", want: null },
    {
      name: "Berlin after DST (CEST): 08:30 local",
      zone: "Europe/Berlin",
      at: "2024-04-08T06:30:00",
      want: "outside_working_hours",
    },
    {
      name: "New York before DST (EST): 08:30 local",
      zone: "America/New_York",
      at: "2024-03-08T13:30:00",
      want: "outside_working_hours",
    },
    { name: "New York after DST (EDT): 09:30 local", zone: "America/New_York", at: "2024-03-11T13:30:00", want: null },
    { name: "Kolkata (+05:30) Monday 09:15 local", zone: "Asia/Kolkata", at: "2024-03-11T03:45:00", want: null },
    {
      name: "Kolkata (+05:30) Monday 08:45 local",
      zone: "Asia/Kolkata",
      at: "2024-03-11T03:15:00",
      want: "outside_working_hours",
    },
    {
      name: "Auckland: Friday in UTC is Saturday local",
      zone: "Pacific/Auckland",
      at: "2024-03-08T22:00:00",
      want: "outside_working_hours",
    },
    {
      name: "Auckland: Sunday in UTC is Monday 10:00 local",
      zone: "Pacific/Auckland",
      at: "2024-03-10T21:00:00",
      want: null,
    },
    { name: "Friday lunch break 12:30 local", zone: "UTC", at: "2024-03-08T12:30:00", want: "outside_working_hours" },
    { name: "Friday afternoon 13:00 local", zone: "UTC", at: "2024-03-08T13:00:00", want: null },
  ])("$name → $want", ({ zone, at, want }) => {
    expect(presenceProblem(rep(zone), utc(at))).toBe(want);
  });

  it("a rep without working hours is present at any hour", () => {
    expect(presenceProblem(rep("UTC", { workingHours: undefined }), utc("2024-03-10T03:00:00"))).toBeNull();
  });

  it("a rep whose zone is unknown is not routed to, and says why", () => {
    expect(presenceProblem(rep("Nowhere/City"), utc("2024-03-11T10:00:00"))).toBe("invalid_time_zone");
  });

  it("an inactive rep is unavailable whatever the time", () => {
    expect(presenceProblem(rep("UTC", { active: false }), utc("2024-03-11T10:00:00"))).toBe("unavailable");
  });
});

describe("presenceProblem: out of office", () => {
  const from = utc("2024-03-11T10:00:00");
  const until = utc("2024-03-15T00:00:00");
  const away = rep("UTC", { outOfOffice: [{ from, until, note: "holiday" }] });

  it.each([
    { name: "before the absence", at: from - 1, want: null },
    { name: "at its start", at: from, want: "out_of_office" },
    { name: "in the middle, in working hours", at: utc("2024-03-12T10:00:00"), want: "out_of_office" },
    { name: "one ms before its end", at: until - 1, want: "out_of_office" },
    { name: "at its end (exclusive), Friday 00:00 is outside hours", at: until, want: "outside_working_hours" },
    { name: "back on Friday 10:00", at: utc("2024-03-15T10:00:00"), want: null },
  ])("$name → $want", ({ at, want }) => {
    expect(presenceProblem(away, at)).toBe(want);
  });
});

describe("parseHhmm", () => {
  it.each([
    ["00:00", 0],
    ["09:30", 570],
    ["23:59", 1439],
    ["24:00", 1440],
    ["24:01", null],
    ["9:30", null],
    ["12:60", null],
    ["", null],
  ])("%s → %s", (text, want) => {
    expect(parseHhmm(text)).toBe(want);
  });
});
