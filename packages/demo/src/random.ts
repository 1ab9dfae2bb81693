// Seeded randomness. The generator must be reproducible (same seed, same output, on every machine),
// so it never touches Math.random or the clock; everything random flows from one of these.

/** A source of uniform numbers in [0, 1). */
export type Random = () => number;

/**
 * mulberry32: a tiny 32-bit generator, fast and well distributed enough for synthetic traffic
 * (not for cryptography). Its whole state is one integer, so a seed fully determines the stream.
 */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniform integer in [min, max], both inclusive. */
export function randomInt(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** One element of a non-empty array, uniformly. */
export function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

/** A weighted choice prepared once: `choose(random)` returns a value with probability weight / total. */
export interface Weighted<T> {
  readonly values: readonly T[];
  readonly cumulative: Float64Array;
  readonly total: number;
}

/** Prepares a weighted choice from [value, weight] pairs; zero weights are never chosen. */
export function weighted<T>(entries: ReadonlyArray<readonly [T, number]>): Weighted<T> {
  const cumulative = new Float64Array(entries.length);
  let total = 0;
  entries.forEach(([, weight], i) => {
    total += Math.max(0, weight);
    cumulative[i] = total;
  });
  return { values: entries.map(([value]) => value), cumulative, total };
}

/** Draws from a prepared weighted choice (linear scan: tables here have a handful of entries). */
export function choose<T>(random: Random, table: Weighted<T>): T {
  const x = random() * table.total;
  const { cumulative, values } = table;
  for (let i = 0; i < cumulative.length; i++) {
    if (x < (cumulative[i] as number)) return values[i] as T;
  }
  return values[values.length - 1] as T;
}
