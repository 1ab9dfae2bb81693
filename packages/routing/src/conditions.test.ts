import { describe, expect, it } from "vitest";
import { failedConditions, leadCountry, parseCompanySize } from "./conditions.ts";
import { buildRegionIndex, regionsOf } from "./regions.ts";
import type { RoutableLead, RuleConditions } from "./types.ts";

const regions = buildRegionIndex({ ALPS: ["CH", "AT", "IT", "FR", "SI", "LI", "DE"] });

const lead: RoutableLead = {
  id: "l1",
  country: "de",
  persona: "IT Lead",
  interests: ["analytics", "Scoring"],
  campaigns: ["spring-webinar"],
  company: { country: "US", industry: "Manufacturing ", employees: 250 },
};

describe("failedConditions: one case per condition kind", () => {
  it.each<{ name: string; conditions: RuleConditions; subject?: RoutableLead; failed: string[] }>([
    { name: "no conditions match every lead", conditions: {}, failed: [] },
    { name: "no conditions match an empty lead", conditions: {}, subject: { id: "x" }, failed: [] },
    { name: "country listed (case-insensitive)", conditions: { countries: ["DE"] }, failed: [] },
    { name: "country not listed", conditions: { countries: ["FR", "AT"] }, failed: ["territory"] },
    { name: "region contains the country", conditions: { regions: ["dach"] }, failed: [] },
    { name: "wider region contains it", conditions: { regions: ["EMEA"] }, failed: [] },
    { name: "custom region", conditions: { regions: ["ALPS"] }, failed: [] },
    { name: "region without it", conditions: { regions: ["NA", "APAC"] }, failed: ["territory"] },
    { name: "country or region (union)", conditions: { countries: ["FR"], regions: ["DACH"] }, failed: [] },
    {
      name: "person's country wins over the company's",
      conditions: { regions: ["NA"] },
      failed: ["territory"],
    },
    {
      name: "company's country when the person has none",
      conditions: { regions: ["NA"] },
      subject: { ...lead, country: null },
      failed: [],
    },
    { name: "no country at all", conditions: { regions: ["EMEA"] }, subject: { id: "x" }, failed: ["territory"] },
    { name: "industry (trimmed, any case)", conditions: { industries: ["manufacturing", "retail"] }, failed: [] },
    { name: "other industry", conditions: { industries: ["Retail"] }, failed: ["industry"] },
    { name: "industry unknown", conditions: { industries: ["Retail"] }, subject: { id: "x" }, failed: ["industry"] },
    { name: "size in range", conditions: { companySize: [{ min: 200, max: 999 }] }, failed: [] },
    { name: "size at lower bound (inclusive)", conditions: { companySize: [{ min: 250 }] }, failed: [] },
    { name: "size at upper bound (inclusive)", conditions: { companySize: [{ max: 250 }] }, failed: [] },
    { name: "size above range", conditions: { companySize: [{ max: 249 }] }, failed: ["companySize"] },
    {
      name: "size in the second of two ranges",
      conditions: { companySize: [{ max: 10 }, { min: 100, max: 500 }] },
      failed: [],
    },
    { name: "size unknown", conditions: { companySize: [{ min: 0 }] }, subject: { id: "x" }, failed: ["companySize"] },
    { name: "shared interest", conditions: { interests: ["scoring", "routing"] }, failed: [] },
    { name: "no shared interest", conditions: { interests: ["routing"] }, failed: ["interests"] },
    { name: "campaign touched", conditions: { campaigns: ["spring-webinar"] }, failed: [] },
    { name: "campaign not touched", conditions: { campaigns: ["fair-2024"] }, failed: ["campaigns"] },
    { name: "persona", conditions: { personas: ["it lead"] }, failed: [] },
    { name: "other persona", conditions: { personas: ["CFO"] }, failed: ["persona"] },
    {
      name: "all kinds must hold (AND), each failure named",
      conditions: { regions: ["DACH"], industries: ["Retail"], companySize: [{ min: 1000 }], personas: ["IT Lead"] },
      failed: ["industry", "companySize"],
    },
  ])("$name", ({ conditions, subject, failed }) => {
    expect(failedConditions(conditions, subject ?? lead, regions)).toEqual(failed);
  });
});

describe("regionsOf", () => {
  it.each([
    { country: "DE", want: ["DACH", "EMEA", "EUROPE"] },
    { country: "ch", want: ["DACH", "EMEA", "EUROPE"] },
    { country: "NL", want: ["BENELUX", "EMEA", "EUROPE"] },
    { country: "US", want: ["AMER", "NA"] },
    { country: "BR", want: ["AMER", "LATAM"] },
    { country: "AE", want: ["EMEA", "MIDDLE_EAST"] },
    { country: "JP", want: ["APAC"] },
    { country: "ZZ", want: [] },
    { country: null, want: [] },
  ])("$country → $want", ({ country, want }) => {
    expect(regionsOf(country)).toEqual(want);
  });

  it("custom regions are added, and replace a default of the same name", () => {
    const index = buildRegionIndex({ dach: ["DE", "AT"], "Key accounts": ["CH"] });
    expect(regionsOf("CH", index)).toEqual(["EMEA", "EUROPE", "KEY ACCOUNTS"]);
    expect(regionsOf("DE", index)).toEqual(["DACH", "EMEA", "EUROPE"]);
  });
});

describe("leadCountry and parseCompanySize", () => {
  it("falls back to the company's country, upper-cased", () => {
    expect(leadCountry({ id: "x", country: " ", company: { country: "at" } })).toBe("AT");
  });

  it.each([
    ["51-200", 51],
    ["1,000+", 1000],
    ["10 – 49 employees", 10],
    ["250", 250],
    ["unknown", null],
    [null, null],
  ])("%s → %s", (text, want) => {
    expect(parseCompanySize(text)).toBe(want);
  });
});
