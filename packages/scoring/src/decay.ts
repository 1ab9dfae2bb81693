/**
 * Engagement decays exponentially: a value E stored at time t0 is worth
 *   E(t) = E · 2^(−(t − t0) / H)
 * at time t, with half-life H. Because the decay is linear, a lead's engagement at any moment is
 * also the sum of its ledger deltas, each decayed from its own time (see `explain.ts`).
 *
 * Sort key. Ordering leads by current engagement must not require recomputing every score. For
 * E > 0, E(t) > E'(t) ⇔ log2 E + (t0 − epoch)/H > log2 E' + (t0' − epoch)/H for every t, so
 * L = log2|E| + (t0 − epoch)/H is a time-independent key. The textbook form E · 2^((t0 − epoch)/H)
 * overflows a double after ~1024 half-lives (under three years with a one-day half-life), so we
 * store the logarithm instead. Negative engagement (careers visits) orders the other way round,
 * so the key is sign(E) · (OFFSET + L): OFFSET = 2^30 keeps OFFSET + L > 0 for any realistic L
 * (|L| < 2·10^6 with half-lives ≥ 1 hour over 200 years), which puts every positive lead above
 * every zero lead above every negative one. With values near 2^30 a double still resolves
 * relative score differences of ~2·10⁻⁷. All leads of a site must share one half-life; publishing
 * a different half-life means re-scoring (the keys are recomputed then).
 */

/** The fixed epoch the sort key is scaled to (2024-01-01T00:00:00Z). */
export const DECAY_EPOCH_MS = Date.UTC(2024, 0, 1);
/** Offset separating positive, zero and negative sort keys; see the module comment. */
export const SORT_KEY_OFFSET = 2 ** 30;
/** One day in milliseconds. */
export const DAY_MS = 86_400_000;

/** The factor a value shrinks by over `elapsedMs` with the given half-life (null = no decay). */
export function decayFactor(elapsedMs: number, halfLifeDays: number | null): number {
  if (halfLifeDays === null || elapsedMs === 0) return 1;
  return 2 ** (-elapsedMs / (halfLifeDays * DAY_MS));
}

/** Engagement at `now` from a value stored at `at`. */
export function decayedValue(value: number, at: number | null, now: number, halfLifeDays: number | null): number {
  if (at === null || value === 0) return value;
  return value * decayFactor(now - at, halfLifeDays);
}

/**
 * Time-independent key such that ordering by it equals ordering by current engagement, at every
 * moment, for all leads sharing `halfLifeDays`. Store it in an indexed column.
 */
export function engagementSortKey(value: number, at: number | null, halfLifeDays: number | null): number {
  if (value === 0 || at === null) return 0;
  const elapsedHalfLives = halfLifeDays === null ? 0 : (at - DECAY_EPOCH_MS) / (halfLifeDays * DAY_MS);
  const magnitude = SORT_KEY_OFFSET + Math.log2(Math.abs(value)) + elapsedHalfLives;
  return value > 0 ? magnitude : -magnitude;
}

/**
 * The day number (days since 1970 in the site's time) that per-day caps count in: `offset` is a
 * fixed offset from UTC in minutes, or a pure function giving the offset in force at a time.
 */
export function dayNumber(at: number, offset: number | ((at: number) => number) = 0): number {
  const minutes = typeof offset === "number" ? offset : offset(at);
  return Math.floor((at + minutes * 60_000) / DAY_MS);
}
