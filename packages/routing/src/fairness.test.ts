import { describe, expect, it } from "vitest";
import { emptyRoutingState, route } from "./route.ts";
import type { OutOfOffice, Rep, RoutingConfig, RoutingState } from "./types.ts";

/** A small seeded PRNG (mulberry32): the simulation is random-looking but the same on every run. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface RepSpec {
  id: string;
  weight: number;
  capacity: number;
  outOfOffice?: OutOfOffice[];
}

interface SimulationResult {
  assigned: Map<string, number>;
  queued: number;
  maxOpen: Map<string, number>;
  /** Every time a rep held more than its capacity (must stay empty). */
  overCapacity: string[];
  /** Who got each lead, in order. */
  sequence: (string | null)[];
}

const START = Date.parse("2024-03-11T00:00:00Z");
const MINUTE = 60_000;

/**
 * Routes `leads` leads, one a minute, into one pool. Each assigned lead stays open for a pseudo-random
 * time in [minOpen, maxOpen] minutes and then closes, freeing capacity, as sales work would.
 */
function simulate(specs: RepSpec[], leads: number, minOpen: number, maxOpen: number, seed = 7): SimulationResult {
  const random = prng(seed);
  const open = new Map(specs.map((s) => [s.id, 0]));
  const closing: { at: number; repId: string }[] = [];
  const result: SimulationResult = {
    assigned: new Map(specs.map((s) => [s.id, 0])),
    queued: 0,
    maxOpen: new Map(specs.map((s) => [s.id, 0])),
    overCapacity: [],
    sequence: [],
  };
  let state: RoutingState = emptyRoutingState();
  for (let i = 0; i < leads; i++) {
    const now = START + i * MINUTE;
    for (let j = closing.length - 1; j >= 0; j--) {
      const item = closing[j];
      if (item && item.at <= now) {
        open.set(item.repId, (open.get(item.repId) ?? 0) - 1);
        closing.splice(j, 1);
      }
    }
    const reps: Rep[] = specs.map((s) => ({
      id: s.id,
      weight: s.weight,
      capacity: s.capacity,
      openLeads: open.get(s.id) ?? 0,
      timeZone: "UTC",
      outOfOffice: s.outOfOffice,
    }));
    const config: RoutingConfig = {
      reps,
      pools: [{ id: "pool", repIds: specs.map((s) => s.id) }],
      rules: [{ id: "all", conditions: {}, poolId: "pool" }],
    };
    const { decision, state: next } = route({ id: `lead-${i}` }, config, state, now);
    state = next;
    result.sequence.push(decision.repId);
    if (decision.repId === null) {
      result.queued++;
      continue;
    }
    const repId = decision.repId;
    const count = (open.get(repId) ?? 0) + 1;
    open.set(repId, count);
    result.assigned.set(repId, (result.assigned.get(repId) ?? 0) + 1);
    result.maxOpen.set(repId, Math.max(result.maxOpen.get(repId) ?? 0, count));
    const spec = specs.find((s) => s.id === repId);
    if (spec && count > spec.capacity) result.overCapacity.push(`${repId} held ${count} at lead ${i}`);
    const minutes = minOpen + Math.floor(random() * (maxOpen - minOpen + 1));
    closing.push({ at: now + minutes * MINUTE, repId });
  }
  return result;
}

/** Percentage points between each rep's share of the assigned leads and its share of the weight. */
function shareErrors(result: SimulationResult, specs: RepSpec[]): Record<string, number> {
  const totalWeight = specs.reduce((sum, s) => sum + s.weight, 0);
  const totalAssigned = [...result.assigned.values()].reduce((a, b) => a + b, 0);
  return Object.fromEntries(
    specs.map((s) => [
      s.id,
      Math.abs(((result.assigned.get(s.id) ?? 0) / totalAssigned - s.weight / totalWeight) * 100),
    ]),
  );
}

describe("fairness over 10,000 leads", () => {
  it.each([
    {
      name: "whole weights 5/3/2/1",
      reps: [
        { id: "anna", weight: 5, capacity: 150 },
        { id: "ben", weight: 3, capacity: 100 },
        { id: "carla", weight: 2, capacity: 80 },
        { id: "dan", weight: 1, capacity: 60 },
      ],
    },
    {
      name: "fractional weights 1.5/1/0.25 and an equal pair",
      reps: [
        { id: "a", weight: 1.5, capacity: 150 },
        { id: "b", weight: 1, capacity: 150 },
        { id: "c", weight: 0.25, capacity: 150 },
        { id: "d", weight: 1, capacity: 150 },
      ],
    },
  ])("$name: each share within ±1 point of its weight, nobody over capacity", ({ reps }) => {
    // Leads stay open 1–4 hours, so capacity frees up as the simulation runs but never binds.
    const result = simulate(reps, 10_000, 60, 240);
    expect(result.overCapacity).toEqual([]);
    expect(result.queued).toBe(0);
    for (const [repId, error] of Object.entries(shareErrors(result, reps))) {
      expect({ repId, withinOnePoint: error <= 1 }).toEqual({ repId, withinOnePoint: true });
    }
  });

  it("when capacity binds it is respected: the full rep never exceeds it and the others keep their ratio", () => {
    const reps = [
      { id: "anna", weight: 5, capacity: 40 },
      { id: "ben", weight: 3, capacity: 1000 },
      { id: "carla", weight: 1, capacity: 1000 },
    ];
    // Leads stay open 2–4 hours: anna's share would need ~90 open, so she sits at 40 much of the time.
    const result = simulate(reps, 10_000, 120, 240);
    expect(result.overCapacity).toEqual([]);
    expect(result.maxOpen.get("anna")).toBe(40);
    const anna = result.assigned.get("anna") ?? 0;
    const ben = result.assigned.get("ben") ?? 0;
    const carla = result.assigned.get("carla") ?? 0;
    expect(anna / 10_000).toBeLessThan(5 / 9 - 0.05);
    // Between themselves, the reps with room still split 3:1.
    expect(Math.abs((ben / (ben + carla)) * 100 - 75)).toBeLessThanOrEqual(1);
  });

  it("when everyone is full, leads go to the fallback queue and nobody exceeds capacity", () => {
    const reps = [
      { id: "anna", weight: 2, capacity: 5 },
      { id: "ben", weight: 1, capacity: 5 },
    ];
    const result = simulate(reps, 10_000, 30, 60);
    expect(result.overCapacity).toEqual([]);
    expect(result.maxOpen.get("anna")).toBe(5);
    expect(result.maxOpen.get("ben")).toBe(5);
    expect(result.queued).toBeGreaterThan(0);
    expect(result.queued + (result.assigned.get("anna") ?? 0) + (result.assigned.get("ben") ?? 0)).toBe(10_000);
  });

  it("a rep out of office gets nothing meanwhile, and no catch-up burst on return", () => {
    const from = START + 3000 * MINUTE;
    const until = START + 6000 * MINUTE;
    const reps = [
      { id: "anna", weight: 1, capacity: 1000, outOfOffice: [{ from, until }] },
      { id: "ben", weight: 1, capacity: 1000 },
    ];
    const result = simulate(reps, 10_000, 60, 120);
    const during = result.sequence.slice(3000, 6000);
    expect(during.every((id) => id === "ben")).toBe(true);
    const after = result.sequence.slice(6000, 6010);
    expect(after.filter((id) => id === "anna").length).toBe(5);
  });
});
