/** Event flags stored in `events.flags`. */
export const FLAG_FUTURE = 1;
export const FLAG_ANCIENT = 2;

/** How far ahead of the receive time a corrected client time may be before it is "future". */
export const MAX_FUTURE_MS = 60_000;
/** How old an event may be (the tracker's retry queue keeps events about a day). */
export const MAX_AGE_MS = 7 * 86_400_000;

/**
 * The client time of an event corrected by the batch's clock skew (receive time minus the
 * batch's sent-at: a browser clock that is hours off still orders its events right), then clamped
 * to [receivedAt − 7 days, receivedAt]. Events outside that window are flagged, not dropped; the
 * receive time stays the authoritative time for scoring and rollups.
 */
export function correctClientTime(time: number, sentAt: number, receivedAt: number): { time: number; flags: number } {
  const corrected = Math.round(time + (receivedAt - sentAt));
  if (corrected > receivedAt + MAX_FUTURE_MS) return { time: receivedAt, flags: FLAG_FUTURE };
  if (corrected < receivedAt - MAX_AGE_MS) return { time: receivedAt - MAX_AGE_MS, flags: FLAG_ANCIENT };
  return { time: Math.min(corrected, receivedAt), flags: 0 };
}
