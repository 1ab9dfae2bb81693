import { describe, expect, it } from "vitest";
import { csvField, toCsv } from "./csv.ts";

describe("csv", () => {
  const cases: [string, string | number | null, string][] = [
    ["plain text", "/pricing", "/pricing"],
    ["number", 12.5, "12.5"],
    ["null", null, ""],
    ["comma and quote", 'a,"b"', '"a,""b"""'],
    ["formula", '=HYPERLINK("x")', '"\'=HYPERLINK(""x"")"'],
    ["plus", "+1 234", '"\'+1 234"'],
    ["at", "@SUM(A1)", '"\'@SUM(A1)"'],
    ["negative number stays a number", -3, "-3"],
  ];
  it.each(cases)("%s", (_name, cell, expected) => {
    expect(csvField(cell)).toBe(expected);
  });

  it("joins rows with CRLF", () => {
    expect(toCsv(["a", "b"], [[1, "x"]])).toBe("a,b\r\n1,x");
  });
});
