import { describe, expect, it } from "vitest";
import { isCalendarDay, parseChoice, parseDay, parseId, parseNumber } from "./input.ts";

const GARBAGE = ["abc", "NaN", "1e999", "1e3", "-1", "0", "1.5", "", " ", "0x10", "Infinity", "9".repeat(40), "١٢"];

describe("parseId", () => {
  it.each([
    ["1", 1],
    [" 42 ", 42],
    ["9007199254740991", 9007199254740991],
  ])("reads %j as %d", (raw, id) => {
    expect(parseId(raw)).toBe(id);
  });

  it.each([...GARBAGE, "9007199254740993", "01"])("refuses %j", (raw) => {
    expect(parseId(raw)).toBeUndefined();
  });

  it("refuses a missing field and a file", () => {
    expect(parseId(null)).toBeUndefined();
    expect(parseId(new File(["1"], "1"))).toBeUndefined();
  });
});

describe("parseNumber", () => {
  const range = { min: 0, max: 1000 };
  it.each([
    ["0", 0],
    ["12.5", 12.5],
    [" 1000 ", 1000],
  ])("reads %j", (raw, n) => {
    expect(parseNumber(raw, range)).toBe(n);
  });
  it.each([...GARBAGE.filter((g) => g !== "0" && g !== "1.5"), "1001", "-0.5"])("refuses %j", (raw) => {
    expect(parseNumber(raw, range)).toBeUndefined();
  });
  it("refuses fractions where whole numbers are asked", () => {
    expect(parseNumber("1.5", { ...range, integer: true })).toBeUndefined();
    expect(parseNumber("2", { ...range, integer: true })).toBe(2);
  });
});

describe("parseChoice", () => {
  it("accepts only listed values", () => {
    expect(parseChoice("sales", ["admin", "sales"])).toBe("sales");
    expect(parseChoice("root", ["admin", "sales"])).toBeUndefined();
    expect(parseChoice("", ["admin", "sales"])).toBeUndefined();
    expect(parseChoice(null, ["admin", "sales"])).toBeUndefined();
  });
});

describe("calendar days", () => {
  it.each(["2026-02-28", "2024-02-29", "2000-02-29", "2026-12-31", "2026-04-30"])("%s exists", (day) => {
    expect(isCalendarDay(day)).toBe(true);
    expect(parseDay(day)).toBe(day);
  });
  it.each([
    "2026-02-29",
    "2026-02-30",
    "1900-02-29",
    "2026-04-31",
    "2026-13-01",
    "2026-00-10",
    "2026-01-00",
    "2026-1-1",
    "26-01-01",
    "2026-01-01T00:00",
    "0999-01-01",
    "abc",
  ])("%s does not", (day) => {
    expect(isCalendarDay(day)).toBe(false);
    expect(parseDay(day)).toBeNull();
  });
  it("treats an empty field as absent", () => {
    expect(parseDay("")).toBeUndefined();
    expect(parseDay(null)).toBeUndefined();
  });
});
