/** Counts per score band: counts[0] is below edges[0], counts[i] is [edges[i-1], edges[i]), the last is ≥ the last edge. */
export interface Histogram {
  edges: number[];
  counts: number[];
}

/** Default band edges for score distributions: fine around the default MQL threshold of 35. */
export const DEFAULT_SCORE_EDGES = [0, 10, 20, 30, 35, 40, 50, 75, 100];

/** Puts scores into bands (edges ascending). */
export function histogram(values: Iterable<number>, edges: readonly number[] = DEFAULT_SCORE_EDGES): Histogram {
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (const v of values) {
    const i = bandIndex(v, edges);
    counts[i] = (counts[i] ?? 0) + 1;
  }
  return { edges: [...edges], counts };
}

/** Index of the band a value falls into. */
export function bandIndex(value: number, edges: readonly number[]): number {
  let i = 0;
  while (i < edges.length && value >= (edges[i] as number)) i++;
  return i;
}
