import { describe, expect, it } from "vitest";
import { emptyProgress, markConsumed, markOffered } from "./progress.ts";
import type { ContentItem } from "./types.ts";

const catalogue: ContentItem[] = [
  { id: "wp-security", kind: "whitepaper", topics: ["security"], match: ["/whitepapers/security*"] },
  { id: "pricing", kind: "pricing", topics: ["buying"], match: ["/pricing"] },
];

const offer = { trackId: "t", stepId: "s1", contentId: "wp-security" };

describe("markOffered", () => {
  it("records the offer and the touch without changing the input", () => {
    const before = emptyProgress();
    const after = markOffered(before, offer, 1000, "webhook");
    expect(after).toEqual({
      v: 1,
      tracks: { t: { s1: { contentId: "wp-security", offeredAt: 1000, convertedAt: null, channel: "webhook" } } },
      consumed: {},
      lastTouchAt: 1000,
    });
    expect(before).toEqual(emptyProgress());
  });

  it("is idempotent: a retried delivery keeps the first time", () => {
    const once = markOffered(emptyProgress(), offer, 1000);
    expect(markOffered(once, offer, 5000)).toBe(once);
  });

  it("never moves the last touch backwards", () => {
    const later = markOffered(emptyProgress(), { ...offer, stepId: "s2" }, 9000);
    expect(markOffered(later, offer, 1000).lastTouchAt).toBe(9000);
  });
});

describe("markConsumed", () => {
  const offeredAt1000 = markOffered(emptyProgress(), offer, 1000);

  it.each<{
    name: string;
    consumed: string;
    at: number;
    withCatalogue?: boolean;
    converted: string[];
    contentIds: string[];
  }>([
    {
      name: "the offered content by id converts the step",
      consumed: "wp-security",
      at: 2000,
      converted: ["t/s1"],
      contentIds: ["wp-security"],
    },
    {
      name: "a viewed path resolves through the catalogue",
      consumed: "/whitepapers/security-2025.pdf?utm_medium=email",
      at: 2000,
      withCatalogue: true,
      converted: ["t/s1"],
      contentIds: ["wp-security"],
    },
    {
      name: "a full URL resolves too",
      consumed: "https://x.example/whitepapers/security",
      at: 2000,
      withCatalogue: true,
      converted: ["t/s1"],
      contentIds: ["wp-security"],
    },
    { name: "other content converts nothing", consumed: "pricing", at: 2000, converted: [], contentIds: ["pricing"] },
    {
      name: "an uncatalogued page records nothing",
      consumed: "/imprint",
      at: 2000,
      withCatalogue: true,
      converted: [],
      contentIds: [],
    },
    {
      name: "a path without a catalogue records nothing",
      consumed: "/pricing",
      at: 2000,
      converted: [],
      contentIds: [],
    },
    {
      name: "consumed before the offer: not caused by it",
      consumed: "wp-security",
      at: 999,
      converted: [],
      contentIds: ["wp-security"],
    },
    {
      name: "consumed at the offer's instant counts",
      consumed: "wp-security",
      at: 1000,
      converted: ["t/s1"],
      contentIds: ["wp-security"],
    },
  ])("$name", ({ consumed, at, withCatalogue, converted, contentIds }) => {
    const result = markConsumed(offeredAt1000, consumed, at, withCatalogue ? catalogue : undefined);
    expect(result.converted.map((c) => `${c.trackId}/${c.stepId}`)).toEqual(converted);
    expect(result.contentIds).toEqual(contentIds);
    for (const id of contentIds) expect(result.progress.consumed[id]).toBe(at);
    expect(result.progress.tracks.t?.s1?.convertedAt).toBe(converted.length > 0 ? at : null);
  });

  it("converts once: a second read keeps the first conversion time", () => {
    const first = markConsumed(offeredAt1000, "wp-security", 2000).progress;
    const second = markConsumed(first, "wp-security", 3000);
    expect(second.converted).toEqual([]);
    expect(second.progress.tracks.t?.s1?.convertedAt).toBe(2000);
    expect(second.progress.consumed["wp-security"]).toBe(2000);
  });

  it("keeps the earliest consumption time when events arrive late", () => {
    const late = markConsumed(emptyProgress(), "pricing", 5000).progress;
    expect(markConsumed(late, "pricing", 4000).progress.consumed.pricing).toBe(4000);
  });

  it("converts the same content offered by two tracks", () => {
    const both = markOffered(offeredAt1000, { trackId: "u", stepId: "x", contentId: "wp-security" }, 1500);
    expect(markConsumed(both, "wp-security", 2000).converted.map((c) => c.trackId)).toEqual(["t", "u"]);
  });

  it("does not change the input", () => {
    const snapshot = structuredClone(offeredAt1000);
    markConsumed(offeredAt1000, "wp-security", 2000);
    expect(offeredAt1000).toEqual(snapshot);
  });
});
