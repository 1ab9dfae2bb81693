import { describe, expect, it } from "vitest";
import { choose, mulberry32, pick, randomInt, weighted } from "./random.ts";

const draw = (seed: number, n: number) => {
  const random = mulberry32(seed);
  return Array.from({ length: n }, () => random());
};

describe("mulberry32", () => {
  it("repeats its stream for the same seed and differs for another", () => {
    expect(draw(7, 50)).toEqual(draw(7, 50));
    expect(draw(7, 50)).not.toEqual(draw(8, 50));
  });

  it("stays in [0, 1) and spreads over it", () => {
    const values = draw(1, 10_000);
    expect(values.every((x) => x >= 0 && x < 1)).toBe(true);
    const buckets = new Array(10).fill(0);
    for (const x of values) buckets[Math.floor(x * 10)]++;
    for (const count of buckets) expect(count).toBeGreaterThan(850);
  });
});

describe("helpers", () => {
  it("randomInt includes both ends and nothing outside", () => {
    const random = mulberry32(3);
    const seen = new Set(Array.from({ length: 500 }, () => randomInt(random, 2, 5)));
    expect([...seen].sort()).toEqual([2, 3, 4, 5]);
  });

  it("pick reaches every element", () => {
    const random = mulberry32(4);
    expect(new Set(Array.from({ length: 200 }, () => pick(random, ["a", "b", "c"])))).toEqual(new Set(["a", "b", "c"]));
  });

  it("choose follows the weights and never picks a zero weight", () => {
    const random = mulberry32(5);
    const table = weighted([
      ["rare", 1],
      ["never", 0],
      ["common", 9],
    ] as const);
    const counts = { rare: 0, never: 0, common: 0 };
    for (let i = 0; i < 10_000; i++) counts[choose(random, table)]++;
    expect(counts.never).toBe(0);
    expect(counts.common).toBeGreaterThan(8 * counts.rare);
  });
});
