import { describe, expect, it } from "vitest";
import { currentScore } from "./current-score.ts";
import { DAY_MS } from "./decay.ts";

describe("currentScore", () => {
  const cases: {
    name: string;
    row: Parameters<typeof currentScore>[0];
    halfLifeDays: number | null;
    now: number;
    score: number;
  }[] = [
    {
      name: "fit only",
      row: { fitScore: 12, engagementScore: 0, scoredAt: null },
      halfLifeDays: 7,
      now: DAY_MS,
      score: 12,
    },
    {
      name: "never scored: engagement as stored",
      row: { fitScore: 0, engagementScore: 8, scoredAt: null },
      halfLifeDays: 7,
      now: 30 * DAY_MS,
      score: 8,
    },
    {
      name: "one half-life later",
      row: { fitScore: 10, engagementScore: 20, scoredAt: 0 },
      halfLifeDays: 7,
      now: 7 * DAY_MS,
      score: 20,
    },
    {
      name: "two half-lives later",
      row: { fitScore: 0, engagementScore: 20, scoredAt: 0 },
      halfLifeDays: 7,
      now: 14 * DAY_MS,
      score: 5,
    },
    {
      name: "no decay configured",
      row: { fitScore: 3, engagementScore: 20, scoredAt: 0 },
      halfLifeDays: null,
      now: 90 * DAY_MS,
      score: 23,
    },
    {
      name: "negative engagement decays too",
      row: { fitScore: 5, engagementScore: -10, scoredAt: 0 },
      halfLifeDays: 1,
      now: DAY_MS,
      score: 0,
    },
  ];
  for (const c of cases)
    it(c.name, () => {
      expect(currentScore(c.row, { halfLifeDays: c.halfLifeDays }, c.now)).toBeCloseTo(c.score, 10);
    });
});
