import { describe, expect, it } from "vitest";
import {
  addAwayPeriod,
  currentAwayPeriods,
  formatWorkingHours,
  MAX_AWAY_PERIODS,
  parseAwayPeriod,
  parseConditions,
  parseWorkingHours,
  removeAwayPeriod,
} from "./routing-form.ts";

describe("parseWorkingHours", () => {
  const cases: [string, string, unknown][] = [
    ["empty means always", "  ", null],
    [
      "a weekday range",
      "mon-wed 09:00-17:00",
      {
        mon: [{ start: "09:00", end: "17:00" }],
        tue: [{ start: "09:00", end: "17:00" }],
        wed: [{ start: "09:00", end: "17:00" }],
      },
    ],
    [
      "two spans and a second line",
      "sat 10:00-12:00, 13:00-24:00\nsun 10:00-11:00",
      {
        sat: [
          { start: "10:00", end: "12:00" },
          { start: "13:00", end: "24:00" },
        ],
        sun: [{ start: "10:00", end: "11:00" }],
      },
    ],
    ["unknown day", "xyz 09:00-17:00", undefined],
    ["backwards range of days", "fri-mon 09:00-17:00", undefined],
    ["end before start", "mon 17:00-09:00", undefined],
    ["bad time", "mon 9-17", undefined],
  ];
  it.each(cases)("%s", (_name, text, expected) => {
    expect(parseWorkingHours(text)).toEqual(expected);
  });

  it("round-trips through the form text", () => {
    const hours = parseWorkingHours("mon-fri 09:00-17:00");
    expect(parseWorkingHours(formatWorkingHours(hours))).toEqual(hours);
  });
});

describe("parseConditions", () => {
  it("keeps only filled lists and upper-cases countries", () => {
    const form = new FormData();
    form.set("countries", "de, at,,de");
    form.set("industries", "");
    form.set("interests", "lead-scoring");
    expect(parseConditions(form)).toEqual({ countries: ["DE", "AT"], interests: ["lead-scoring"] });
  });
});

const DAY = 86_400_000;
const DEC1 = Date.UTC(2026, 11, 1);

function awayForm(fields: Record<string, string>): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  return form;
}

describe("parseAwayPeriod", () => {
  const cases: [string, Record<string, string>, unknown][] = [
    ["both days included", { awayFrom: "2026-12-01", awayUntil: "2026-12-03" }, { from: DEC1, until: DEC1 + 3 * DAY }],
    ["a single day", { awayFrom: "2026-12-01", awayUntil: "2026-12-01" }, { from: DEC1, until: DEC1 + DAY }],
    [
      "with a note, trimmed",
      { awayFrom: "2026-12-01", awayUntil: "2026-12-01", note: "  trade fair " },
      { from: DEC1, until: DEC1 + DAY, note: "trade fair" },
    ],
    ["end before start", { awayFrom: "2026-12-03", awayUntil: "2026-12-01" }, undefined],
    ["missing end", { awayFrom: "2026-12-01" }, undefined],
    ["not a date", { awayFrom: "tomorrow", awayUntil: "2026-12-01" }, undefined],
  ];
  it.each(cases)("%s", (_name, fields, expected) => {
    expect(parseAwayPeriod(awayForm(fields))).toEqual(expected);
  });
});

describe("out-of-office periods", () => {
  const now = DEC1;
  const past = { from: now - 10 * DAY, until: now - 5 * DAY };
  const later = { from: now + 10 * DAY, until: now + 12 * DAY };
  const soon = { from: now + DAY, until: now + 2 * DAY, note: "fair" };

  it("keeps several periods, sorted by start, and drops the ones that are over", () => {
    const added = addAwayPeriod([past, later], soon, now);
    expect(added).toEqual({ ok: true, periods: [soon, later] });
  });

  it("stores the same period once", () => {
    expect(addAwayPeriod([later], later, now)).toEqual({ ok: true, periods: [later] });
  });

  it("refuses a period that is already over, and more than the maximum", () => {
    expect(addAwayPeriod([], past, now)).toEqual({ ok: false, error: "routing.awayPast" });
    const full = Array.from({ length: MAX_AWAY_PERIODS }, (_, i) => ({
      from: now + i * DAY,
      until: now + (i + 1) * DAY,
    }));
    expect(addAwayPeriod(full, { from: now + 100 * DAY, until: now + 101 * DAY }, now)).toEqual({
      ok: false,
      error: "routing.awayTooMany",
    });
  });

  it("removes exactly the named period and ignores malformed stored entries", () => {
    expect(removeAwayPeriod([soon, later, { from: "x" }, null], soon.from, soon.until, now)).toEqual([later]);
    expect(currentAwayPeriods([{ from: 1 }, "junk", later], now)).toEqual([later]);
  });
});
