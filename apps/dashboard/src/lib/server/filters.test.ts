import { describe, expect, it } from "vitest";
import { parseFilterParams } from "./filters.ts";

const NOW = Date.UTC(2026, 10, 20, 15);

describe("parseFilterParams", () => {
  it.each([
    ["", "30d"],
    ["period=7d", "7d"],
    ["period=quarter&from=2026-01-01", "quarter"],
    ["from=2026-01-01&to=2026-01-31", "custom"],
    ["period=custom&from=2026-01-01&to=2026-01-31", "custom"],
    ["period=bogus", "30d"],
  ])("?%s is the %s period", (query, preset) => {
    expect(parseFilterParams(new URLSearchParams(query), NOW).preset).toBe(preset);
  });

  it("defaults to the 30 days up to today", () => {
    expect(parseFilterParams(new URLSearchParams(), NOW)).toMatchObject({ from: "2026-10-22", to: "2026-11-20" });
  });

  it("keeps valid values from the URL", () => {
    const p = parseFilterParams(
      new URLSearchParams("site=s1&from=2026-01-01&to=2026-01-31&campaign=spring&channel=search&segment=cto"),
      NOW,
    );
    expect(p).toEqual({
      site: "s1",
      preset: "custom",
      from: "2026-01-01",
      to: "2026-01-31",
      campaign: "spring",
      channel: "search",
      segment: "cto",
    });
  });

  it("swaps a reversed range and caps it at a year", () => {
    expect(parseFilterParams(new URLSearchParams("from=2026-02-01&to=2026-01-01"), NOW)).toMatchObject({
      from: "2026-01-01",
      to: "2026-02-01",
    });
    expect(parseFilterParams(new URLSearchParams("from=2020-01-01&to=2026-01-01"), NOW).from).toBe("2025-01-01");
    expect(parseFilterParams(new URLSearchParams("from=&to="), NOW)).toMatchObject({
      from: "2026-10-22",
      to: "2026-11-20",
    });
  });

  it.each([
    ["from=2026-02-30", "from"],
    ["to=2026-02-29", "to"],
    ["from=2026-04-31&to=2026-05-01", "from"],
    ["from=2026-13-45", "from"],
    ["to=yesterday", "to"],
    ["from=2026-1-1", "from"],
  ])("refuses %s instead of rolling it into another day", (query, field) => {
    expect(() => parseFilterParams(new URLSearchParams(query), NOW)).toThrow(
      new RegExp(`^${field} is not a calendar day`),
    );
  });
});
