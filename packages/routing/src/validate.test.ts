import { describe, expect, it } from "vitest";
import type { Rep, RoutingConfig } from "./types.ts";
import { validateRoutingConfig } from "./validate.ts";

const rep: Rep = { id: "anna", weight: 1, capacity: 5, openLeads: 0, timeZone: "Europe/Berlin" };
const valid: RoutingConfig = {
  reps: [rep, { ...rep, id: "ben", workingHours: { mon: [{ start: "09:00", end: "24:00" }] } }],
  pools: [{ id: "dach", repIds: ["anna", "ben"], slaMinutes: 30 }],
  rules: [
    {
      id: "r1",
      conditions: { regions: ["DACH", "key"], countries: ["de"], companySize: [{ min: 10 }] },
      poolId: "dach",
    },
    { id: "r2", conditions: {}, poolId: "dach" },
  ],
  regions: { Key: ["CH"] },
  fallbackQueueId: "inbox",
};

describe("validateRoutingConfig", () => {
  it("accepts a sound config", () => {
    expect(validateRoutingConfig(valid)).toEqual([]);
  });

  it.each<{ name: string; change: (c: RoutingConfig) => RoutingConfig; path: string; code: string }>([
    {
      name: "duplicate rep id",
      change: (c) => ({ ...c, reps: [...c.reps, rep] }),
      path: "reps[2].id",
      code: "duplicate_id",
    },
    {
      name: "empty pool id",
      change: (c) => ({ ...c, pools: [{ id: " ", repIds: [] }, ...c.pools] }),
      path: "pools[0].id",
      code: "empty_id",
    },
    {
      name: "zero weight",
      change: (c) => ({ ...c, reps: [{ ...rep, weight: 0 }, c.reps[1] as Rep] }),
      path: "reps[0].weight",
      code: "invalid_weight",
    },
    {
      name: "NaN weight",
      change: (c) => ({ ...c, reps: [{ ...rep, weight: Number.NaN }, c.reps[1] as Rep] }),
      path: "reps[0].weight",
      code: "invalid_weight",
    },
    {
      name: "fractional capacity",
      change: (c) => ({ ...c, reps: [{ ...rep, capacity: 2.5 }, c.reps[1] as Rep] }),
      path: "reps[0].capacity",
      code: "invalid_capacity",
    },
    {
      name: "negative open leads",
      change: (c) => ({ ...c, reps: [{ ...rep, openLeads: -1 }, c.reps[1] as Rep] }),
      path: "reps[0].openLeads",
      code: "invalid_open_leads",
    },
    {
      name: "unknown time zone",
      change: (c) => ({ ...c, reps: [{ ...rep, timeZone: "Europe/Atlantis" }, c.reps[1] as Rep] }),
      path: "reps[0].timeZone",
      code: "invalid_time_zone",
    },
    {
      name: "night shift in one span",
      change: (c) => ({
        ...c,
        reps: [{ ...rep, workingHours: { fri: [{ start: "22:00", end: "06:00" }] } }, c.reps[1] as Rep],
      }),
      path: "reps[0].workingHours.fri[0]",
      code: "invalid_working_hours",
    },
    {
      name: "malformed hour",
      change: (c) => ({
        ...c,
        reps: [{ ...rep, workingHours: { mon: [{ start: "9", end: "17:00" }] } }, c.reps[1] as Rep],
      }),
      path: "reps[0].workingHours.mon[0]",
      code: "invalid_working_hours",
    },
    {
      name: "unknown weekday",
      change: (c) => ({
        ...c,
        reps: [{ ...rep, workingHours: { monday: [] } as Rep["workingHours"] }, c.reps[1] as Rep],
      }),
      path: "reps[0].workingHours.monday",
      code: "invalid_working_hours",
    },
    {
      name: "absence ending before it starts",
      change: (c) => ({ ...c, reps: [{ ...rep, outOfOffice: [{ from: 10, until: 5 }] }, c.reps[1] as Rep] }),
      path: "reps[0].outOfOffice[0]",
      code: "invalid_out_of_office",
    },
    {
      name: "pool member missing",
      change: (c) => ({ ...c, pools: [{ id: "dach", repIds: ["anna", "zoe"] }] }),
      path: "pools[0].repIds[1]",
      code: "unknown_rep",
    },
    {
      name: "pool member twice",
      change: (c) => ({ ...c, pools: [{ id: "dach", repIds: ["anna", "anna"] }] }),
      path: "pools[0].repIds[1]",
      code: "duplicate_member",
    },
    {
      name: "zero SLA",
      change: (c) => ({ ...c, pools: [{ id: "dach", repIds: ["anna"], slaMinutes: 0 }] }),
      path: "pools[0].slaMinutes",
      code: "invalid_sla",
    },
    {
      name: "rule to a missing pool",
      change: (c) => ({ ...c, rules: [{ id: "r", conditions: {}, poolId: "nope" }] }),
      path: "rules[0].poolId",
      code: "unknown_pool",
    },
    {
      name: "empty condition list",
      change: (c) => ({ ...c, rules: [{ id: "r", conditions: { industries: [] }, poolId: "dach" }] }),
      path: "rules[0].conditions.industries",
      code: "empty_condition",
    },
    {
      name: "country name instead of code",
      change: (c) => ({ ...c, rules: [{ id: "r", conditions: { countries: ["Germany"] }, poolId: "dach" }] }),
      path: "rules[0].conditions.countries[0]",
      code: "invalid_country",
    },
    {
      name: "unknown region",
      change: (c) => ({ ...c, rules: [{ id: "r", conditions: { regions: ["MARS"] }, poolId: "dach" }] }),
      path: "rules[0].conditions.regions[0]",
      code: "unknown_region",
    },
    {
      name: "inverted size range",
      change: (c) => ({
        ...c,
        rules: [{ id: "r", conditions: { companySize: [{ min: 500, max: 50 }] }, poolId: "dach" }],
      }),
      path: "rules[0].conditions.companySize[0]",
      code: "invalid_size_range",
    },
    {
      name: "boundless size range",
      change: (c) => ({ ...c, rules: [{ id: "r", conditions: { companySize: [{}] }, poolId: "dach" }] }),
      path: "rules[0].conditions.companySize[0]",
      code: "invalid_size_range",
    },
    {
      name: "empty fallback queue",
      change: (c) => ({ ...c, fallbackQueueId: "" }),
      path: "fallbackQueueId",
      code: "invalid_fallback_queue",
    },
  ])("$name → $code at $path", ({ change, path, code }) => {
    expect(validateRoutingConfig(change(valid))).toEqual([expect.objectContaining({ path, code })]);
  });

  it("reports every problem at once instead of stopping at the first", () => {
    const issues = validateRoutingConfig({
      reps: [{ ...rep, weight: -1, capacity: -1 }],
      pools: [{ id: "p", repIds: ["ghost"] }],
      rules: [{ id: "r", conditions: { regions: ["ATLANTIS"] }, poolId: "q" }],
    });
    expect(issues.map((i) => i.code)).toEqual([
      "invalid_weight",
      "invalid_capacity",
      "unknown_rep",
      "unknown_pool",
      "unknown_region",
    ]);
  });
});
