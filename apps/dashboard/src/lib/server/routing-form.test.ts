import { describe, expect, it } from "vitest";
import { formatWorkingHours, parseConditions, parseWorkingHours } from "./routing-form.ts";

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
