import { describe, expect, it } from "vitest";
import { DAY_MS, DECAY_EPOCH_MS, dayNumber, decayedValue, decayFactor, engagementSortKey } from "./decay.ts";

describe("decay", () => {
  const cases: { name: string; elapsedDays: number; halfLife: number | null; factor: number }[] = [
    { name: "no time passed", elapsedDays: 0, halfLife: 30, factor: 1 },
    { name: "one half-life", elapsedDays: 30, halfLife: 30, factor: 0.5 },
    { name: "two half-lives", elapsedDays: 14, halfLife: 7, factor: 0.25 },
    { name: "half a half-life", elapsedDays: 15, halfLife: 30, factor: Math.SQRT1_2 },
    { name: "no decay configured", elapsedDays: 365, halfLife: null, factor: 1 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(decayFactor(c.elapsedDays * DAY_MS, c.halfLife)).toBeCloseTo(c.factor, 12);
    });
  }

  it("decays negative scores towards zero too", () => {
    expect(decayedValue(-10, 0, 7 * DAY_MS, 7)).toBeCloseTo(-5, 12);
  });

  it("day numbers honour the offset", () => {
    const t = Date.UTC(2025, 0, 1, 23, 30);
    expect(dayNumber(t, 60)).toBe(dayNumber(t) + 1);
  });
});

describe("sort key", () => {
  // Leads as (engagement, time it was stored at): positive, negative, zero, old and recent.
  const year = 365 * DAY_MS;
  const leads: [number, number | null][] = [
    [40, DECAY_EPOCH_MS],
    [10, DECAY_EPOCH_MS + 60 * DAY_MS],
    [12, DECAY_EPOCH_MS + 60 * DAY_MS],
    [0.001, DECAY_EPOCH_MS + 50 * year],
    [90, DECAY_EPOCH_MS + 49 * year],
    [3, DECAY_EPOCH_MS + 50 * year],
    [0, null],
    [-5, DECAY_EPOCH_MS + 50 * year],
    [-20, DECAY_EPOCH_MS + 50 * year - 30 * DAY_MS],
    [-1, DECAY_EPOCH_MS - 10 * year],
    [25, DECAY_EPOCH_MS - 10 * year],
  ];
  const halfLives = [1, 30, null];
  const moments = [DECAY_EPOCH_MS + 50 * year + DAY_MS, DECAY_EPOCH_MS + 51 * year, DECAY_EPOCH_MS + 80 * year];

  for (const h of halfLives) {
    it(`ordering by the stored key agrees with ordering by current engagement (half-life ${h ?? "none"})`, () => {
      let compared = 0;
      for (const now of moments) {
        const current = leads.map(([v, at]) => decayedValue(v, at, now, h));
        const keys = leads.map(([v, at]) => engagementSortKey(v, at, h));
        // Pairwise: whenever one lead is ahead now, its key is ahead. (Very old scores underflow to
        // zero as doubles, so ties in `current` say nothing; the key still orders them.)
        for (let i = 0; i < leads.length; i++) {
          for (let j = 0; j < leads.length; j++) {
            if ((current[i] as number) > (current[j] as number)) {
              expect(keys[i], `lead ${i} ahead of lead ${j}`).toBeGreaterThan(keys[j] as number);
              compared++;
            }
          }
        }
      }
      expect(compared).toBeGreaterThan(40);
    });
  }

  it("stays finite where the linear scaled value overflows (50 years, one-day half-life)", () => {
    const at = DECAY_EPOCH_MS + 50 * year;
    expect(40 * 2 ** ((at - DECAY_EPOCH_MS) / DAY_MS)).toBe(Number.POSITIVE_INFINITY);
    expect(Number.isFinite(engagementSortKey(40, at, 1))).toBe(true);
    expect(engagementSortKey(40, at, 1)).toBeGreaterThan(engagementSortKey(39.9, at, 1));
  });

  it("puts positive above zero above negative", () => {
    expect(engagementSortKey(0.0001, DECAY_EPOCH_MS - 100 * year, 1)).toBeGreaterThan(0);
    expect(engagementSortKey(-0.0001, DECAY_EPOCH_MS - 100 * year, 1)).toBeLessThan(0);
    expect(engagementSortKey(0, DECAY_EPOCH_MS, 1)).toBe(0);
  });
});
