import type { RefusalReason } from "@leadtrail/db";
import { REFUSAL_WRITE_EVERY_MS } from "../ingest/refusals.ts";
import type { RefusalReport } from "../internal/protocol.ts";

/**
 * The edge's half of the install check: refusals seen at the edge (a foreign origin, a bot, a
 * malformed batch, an IP over its limit) are reported to the origin (`POST /internal/refusals`),
 * which records them in `site_refusals` as it records its own. Throttled like the origin's log
 * (ingest/refusals.ts): per site at most one report every REFUSAL_WRITE_EVERY_MS — the first
 * refusal of a quiet site at once, later ones with the count of everything refused meanwhile.
 *
 * Unlike the origin's log this one does no I/O by itself: `note` only counts, and `due` hands the
 * request that is finishing the reports to send (a delayed one waits out the window first), for the
 * caller to keep alive with `ctx.waitUntil` after the browser has its answer. A worker cannot send
 * them from a timer of its own: I/O belongs to the request that starts it. State is per isolate,
 * so with many isolates each reports at most once per window and site.
 */
export function createEdgeRefusals(send: (report: RefusalReport) => Promise<void>, everyMs = REFUSAL_WRITE_EVERY_MS) {
  const pending = new Map<number, RefusalReport>();
  const lastSent = new Map<number, number>();
  /** Sites whose delayed report some request is already waiting to send. */
  const waiting = new Set<number>();

  function sendNow(siteId: number, now: number): Promise<void> {
    const report = pending.get(siteId);
    if (!report) return Promise.resolve();
    pending.delete(siteId);
    lastSent.set(siteId, now);
    // A diagnostic: a failed report is dropped, never retried, never an error for anyone.
    return send(report).catch(() => {});
  }

  return {
    /** Counts a refused request of a site (the CollectDeps `noteRefusal` of the edge). */
    note(siteId: number, host: string | undefined, reason: RefusalReason, now: number): void {
      const before = pending.get(siteId);
      pending.set(siteId, { siteId, host: host ?? null, reason, at: now, count: (before?.count ?? 0) + 1 });
      // Bounded: only sites known to the origin get here (unknown keys are refused before).
      if (lastSent.size > 10_000) lastSent.clear();
    },

    /** The reports a finishing request should carry out (none while nothing was refused). */
    due(now: number): Promise<void>[] {
      if (pending.size === 0) return [];
      const work: Promise<void>[] = [];
      for (const siteId of pending.keys()) {
        if (waiting.has(siteId)) continue;
        const since = now - (lastSent.get(siteId) ?? Number.NEGATIVE_INFINITY);
        if (since >= everyMs) {
          work.push(sendNow(siteId, now));
          continue;
        }
        waiting.add(siteId);
        const wait = Math.min(everyMs, Math.max(0, everyMs - since));
        work.push(
          new Promise((resolve) => setTimeout(resolve, wait)).then(() => {
            waiting.delete(siteId);
            return sendNow(siteId, Date.now());
          }),
        );
      }
      return work;
    },
  };
}
