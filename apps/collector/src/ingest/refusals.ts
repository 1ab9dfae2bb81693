import type { RefusalReason } from "@leadtrail/db";

/** At most one write per site in this window, however many requests are refused. */
export const REFUSAL_WRITE_EVERY_MS = 5_000;

interface Pending {
  host: string | null;
  reason: RefusalReason;
  at: number;
  count: number;
}

type Store = (siteId: number, refusal: Pending) => Promise<void>;

/**
 * The install check's memory of refused requests. Refusals are gathered in memory per site and
 * written at most once per REFUSAL_WRITE_EVERY_MS: the first refusal of a quiet site at once (an
 * admin testing the snippet sees it within a poll), later ones with the count of everything
 * refused meanwhile, by a timer. A flood of refused requests — which is what a misconfigured big
 * site or an attacker sends — therefore costs one small upsert per site every few seconds, never
 * one per request. A failed write is dropped: this is a diagnostic, not data.
 */
export function createRefusalLog(store: Store, everyMs = REFUSAL_WRITE_EVERY_MS) {
  const pending = new Map<number, Pending>();
  const lastWrite = new Map<number, number>();
  const timers = new Set<number>();

  function write(siteId: number, now: number) {
    const refusal = pending.get(siteId);
    if (!refusal) return;
    pending.delete(siteId);
    lastWrite.set(siteId, now);
    store(siteId, refusal).catch(() => {});
  }

  return {
    note(siteId: number, host: string | undefined, reason: RefusalReason, now: number): void {
      const before = pending.get(siteId);
      pending.set(siteId, { host: host ?? null, reason, at: now, count: (before?.count ?? 0) + 1 });
      const since = now - (lastWrite.get(siteId) ?? Number.NEGATIVE_INFINITY);
      if (since >= everyMs) write(siteId, now);
      else if (!timers.has(siteId)) {
        timers.add(siteId);
        // Request times may run backwards (the demo loader replays two months of traffic): the wait
        // stays within one window, never a negative or overflowing delay that would fire at once.
        const wait = Math.min(everyMs, Math.max(0, everyMs - since));
        const timer = setTimeout(() => {
          timers.delete(siteId);
          write(siteId, Date.now());
        }, wait);
        // Node: a pending diagnostic must not keep a stopping process alive.
        (timer as { unref?: () => void }).unref?.();
      }
      // Bounded: sites are few; garbage site ids never reach here (unknown keys are refused first).
      if (lastWrite.size > 10_000) lastWrite.clear();
    },
  };
}
