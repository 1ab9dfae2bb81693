import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { pickWeighted, type WeightedCandidate } from "./round-robin.ts";

/** Runs `n` picks over a fixed set of reps and returns the sequence of winners. */
function sequence(reps: readonly WeightedCandidate[], n: number): string[] {
  let credits: Record<string, number> = {};
  const ids = reps.map((rep) => rep.id);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const pick = pickWeighted(reps, credits, ids);
    if (!pick) throw new Error("no pick");
    out.push(pick.chosenId);
    credits = pick.credits;
  }
  return out;
}

describe("pickWeighted (smooth weighted round robin)", () => {
  it.each([
    // nginx's documented example: weights 5/1/1 interleave instead of bunching.
    { weights: { a: 5, b: 1, c: 1 }, want: "a a b a c a a" },
    { weights: { a: 1, b: 1, c: 1 }, want: "a b c a b c" },
    { weights: { a: 2, b: 1 }, want: "a b a a b a" },
    { weights: { b: 1, a: 1 }, want: "a b a b" },
    { weights: { a: 0.5, b: 1.5 }, want: "b a b b b a b b" },
  ])("weights $weights give $want", ({ weights, want }) => {
    const reps = Object.entries(weights).map(([id, weight]) => ({ id, weight }));
    expect(sequence(reps, want.split(" ").length).join(" ")).toBe(want);
  });

  it("returns null when nobody is eligible", () => {
    expect(pickWeighted([], { a: 3 }, ["a"])).toBeNull();
  });

  it("does not modify the credits passed in, and drops credits of reps who left the pool", () => {
    const credits = Object.freeze({ a: 1, gone: 4 });
    const pick = pickWeighted([{ id: "a", weight: 1 }], credits, ["a", "b"]);
    expect(pick).toEqual({ chosenId: "a", credits: { a: 1, b: 0 } });
    expect(credits).toEqual({ a: 1, gone: 4 });
  });

  it("leaves a skipped rep's credit alone, so it gets no burst on return", () => {
    const all = [
      { id: "a", weight: 1 },
      { id: "b", weight: 1 },
    ];
    let credits: Record<string, number> = {};
    for (let i = 0; i < 50; i++)
      credits = pickWeighted([all[0] as WeightedCandidate], credits, ["a", "b"])?.credits ?? {};
    expect(credits.b).toBe(0);
    const after = [];
    for (let i = 0; i < 6; i++) {
      const pick = pickWeighted(all, credits, ["a", "b"]);
      after.push(pick?.chosenId);
      credits = pick?.credits ?? {};
    }
    expect(after.join("")).toBe("ababab");
  });

  it("property: with whole weights, every cycle of sum(weights) picks gives each rep exactly its weight", () => {
    const weightsArb = fc.uniqueArray(
      fc.record({ id: fc.string({ minLength: 1, maxLength: 4 }), weight: fc.integer({ min: 1, max: 9 }) }),
      {
        minLength: 1,
        maxLength: 6,
        selector: (rep) => rep.id,
      },
    );
    fc.assert(
      fc.property(weightsArb, fc.integer({ min: 1, max: 4 }), (reps, cycles) => {
        const total = reps.reduce((sum, rep) => sum + rep.weight, 0);
        const picks = sequence(reps, total * cycles);
        for (const rep of reps) {
          expect(picks.filter((id) => id === rep.id).length).toBe(rep.weight * cycles);
        }
      }),
    );
  });

  it("property: the order reps are listed in does not change who is picked", () => {
    const weightsArb = fc.uniqueArray(
      fc.record({ id: fc.string({ minLength: 1, maxLength: 3 }), weight: fc.integer({ min: 1, max: 5 }) }),
      {
        minLength: 2,
        maxLength: 5,
        selector: (rep) => rep.id,
      },
    );
    fc.assert(
      fc.property(weightsArb, (reps) => {
        expect(sequence([...reps].reverse(), 30)).toEqual(sequence(reps, 30));
      }),
    );
  });
});
