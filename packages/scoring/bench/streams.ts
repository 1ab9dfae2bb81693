/** Deterministic synthetic traffic for the benchmarks (a seeded PRNG; no Math.random). */
import type { ReplayStep, ScoringEvent } from "../src/index.ts";

/** mulberry32: a tiny, fast, seedable PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TEMPLATES: Omit<ScoringEvent, "id" | "at">[] = [
  { type: "pageview", path: "/demo/", visitStart: true },
  { type: "pageview", path: "/demo/blog/post-1" },
  { type: "pageview", path: "/demo/blog/post-2" },
  { type: "pageview", path: "/demo/pricing" },
  { type: "pageview", path: "/demo/careers" },
  { type: "click", name: "product_image" },
  { type: "click", name: "cta" },
  { type: "qr_scan", name: "poster-1", campaign: { utm_medium: "poster" } },
  { type: "form", name: "newsletter" },
  { type: "form", name: "contact" },
  { type: "download", path: "/files/whitepaper.pdf" },
  { type: "link_click", name: "nl-1", campaign: { utm_medium: "email" } },
  { type: "engagement", props: { engagedMs: 12000 } },
];
// Page views dominate real traffic; weights approximate that.
const WEIGHTS = [8, 10, 10, 3, 1, 3, 2, 1, 1, 1, 1, 1, 8];
const CUMULATIVE = WEIGHTS.map(
  (
    (sum) => (w: number) =>
      (sum += w)
  )(0),
);
const TOTAL = CUMULATIVE[CUMULATIVE.length - 1] as number;

export const START = Date.UTC(2025, 0, 1);

/** One event drawn from the mix. */
export function randomEvent(rand: () => number, id: number, at: number): ScoringEvent {
  const x = rand() * TOTAL;
  const i = CUMULATIVE.findIndex((c) => x < c);
  return { ...(TEMPLATES[i] as Omit<ScoringEvent, "id" | "at">), id, at };
}

/** A lead's history of `n` events spread over ~90 days, deterministic per lead id. */
export function leadSteps(leadId: number, n: number): ReplayStep[] {
  const rand = prng(leadId * 2654435761);
  const steps: ReplayStep[] = [];
  let at = START + Math.floor(rand() * 30 * 86_400_000);
  for (let k = 0; k < n; k++) {
    at += Math.floor(rand() * 3 * 86_400_000);
    const event = randomEvent(rand, leadId * 1000 + k, at);
    steps.push({ kind: "event", event, now: at });
  }
  return steps;
}
