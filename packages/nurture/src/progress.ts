/**
 * A lead's nurture progress and the two events that move it: a step is offered (the webhook went out,
 * the site showed it) and content is consumed (which converts every open offer of that content —
 * the closed loop). Both return a new object; the caller persists it.
 */
import { contentAt } from "./catalogue.ts";
import type { ContentItem, NurtureProgress } from "./types.ts";

/** A fresh progress for a lead that has not been nurtured yet. */
export function emptyProgress(): NurtureProgress {
  return { v: 1, tracks: {}, consumed: {}, lastTouchAt: null };
}

/** Which step was offered. */
export interface Offer {
  trackId: string;
  stepId: string;
  contentId: string;
}

/**
 * Records that a step was offered at `now`, which is also the lead's latest touch. Offering the same
 * step again changes nothing, so a retried webhook delivery does not restart the step's clock.
 */
export function markOffered(progress: NurtureProgress, offer: Offer, now: number, channel?: string): NurtureProgress {
  const track = progress.tracks[offer.trackId] ?? {};
  if (track[offer.stepId] !== undefined) return progress;
  return {
    ...progress,
    tracks: {
      ...progress.tracks,
      [offer.trackId]: {
        ...track,
        [offer.stepId]: {
          contentId: offer.contentId,
          offeredAt: now,
          convertedAt: null,
          ...(channel === undefined ? {} : { channel }),
        },
      },
    },
    lastTouchAt: Math.max(progress.lastTouchAt ?? now, now),
  };
}

/** What `markConsumed` changed. */
export interface ConsumeResult {
  progress: NurtureProgress;
  /** Content ids the consumption resolved to (empty: an uncatalogued page, nothing recorded). */
  contentIds: string[];
  /** Steps that converted now: offered earlier, not converted before, same content. */
  converted: { trackId: string; stepId: string; contentId: string }[];
}

/**
 * Records that the lead consumed content, given as a content id or, with a catalogue, as the page path
 * or URL it viewed. Every open offer of that content made at or before `now` converts; content consumed
 * before it was offered is remembered (its step will be passed over) but converts nothing, since the
 * offer cannot have caused it. The first consumption time of each content id is kept.
 */
export function markConsumed(
  progress: NurtureProgress,
  contentIdOrPath: string,
  now: number,
  catalogue?: readonly ContentItem[],
): ConsumeResult {
  const looksLikePath = contentIdOrPath.startsWith("/") || /^https?:\/\//i.test(contentIdOrPath);
  const contentIds =
    catalogue !== undefined && looksLikePath
      ? contentAt(contentIdOrPath, catalogue).map((item) => item.id)
      : looksLikePath
        ? []
        : [contentIdOrPath];
  if (contentIds.length === 0) return { progress, contentIds, converted: [] };
  const ids = new Set(contentIds);
  const consumed = { ...progress.consumed };
  for (const id of ids) consumed[id] = Math.min(consumed[id] ?? now, now);
  const converted: ConsumeResult["converted"] = [];
  const tracks: NurtureProgress["tracks"] = {};
  for (const [trackId, steps] of Object.entries(progress.tracks)) {
    let changed: Record<string, (typeof steps)[string]> | null = null;
    for (const [stepId, step] of Object.entries(steps)) {
      if (step.convertedAt !== null || !ids.has(step.contentId) || step.offeredAt > now) continue;
      changed ??= { ...steps };
      changed[stepId] = { ...step, convertedAt: now };
      converted.push({ trackId, stepId, contentId: step.contentId });
    }
    tracks[trackId] = changed ?? steps;
  }
  return { progress: { ...progress, tracks, consumed }, contentIds, converted };
}
