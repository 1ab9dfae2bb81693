import { describe, expect, it } from "vitest";
import { DAY_MS } from "./decay.ts";
import { defaultRuleSet } from "./defaults.ts";
import { combinePreviews, emptyPreview, previewRuleChange } from "./preview.ts";
import { type ReplayStep, replay, rescoreLead } from "./replay.ts";
import { rescoreChunk, startRescore } from "./rescore.ts";
import type { RuleSet } from "./types.ts";

const T0 = Date.UTC(2025, 6, 1);
const step = (id: number, e: { type: string; name?: string; path?: string }, t = T0): ReplayStep => ({
  kind: "event",
  event: { id, ...e, at: t },
  now: t,
});
// Three leads: 30 points (pricing ×3 on three days), 25 points, and an MQL at 40.
const leads: ReplayStep[][] = [
  [0, 1, 2].map((d) => step(10 + d, { type: "pageview", path: "/pricing" }, T0 + d * 1000)),
  [
    step(20, { type: "form", name: "contact" }),
    step(21, { type: "click", name: "product_image" }),
    step(22, { type: "form", name: "newsletter" }),
  ],
  [step(30, { type: "form", name: "demo_request" }), step(31, { type: "pageview", path: "/pricing" })],
];
const morePricing: RuleSet = {
  ...defaultRuleSet,
  version: 2,
  rules: defaultRuleSet.rules.map((r) => (r.id === "pricing-page" ? { ...r, points: 15, caps: { perDay: 3 } } : r)),
};
const harsherCareers: RuleSet = {
  ...defaultRuleSet,
  version: 2,
  rules: defaultRuleSet.rules.map((r) => (r.id === "demo-request" ? { ...r, points: 10 } : r)),
};

describe("previewRuleChange", () => {
  it("counts the leads that would become MQL and shows the distribution before and after", () => {
    const now = T0 + 1000 * 60;
    const p = previewRuleChange(
      leads.map((steps, id) => ({ id, steps })),
      defaultRuleSet,
      morePricing,
      now,
    );
    expect(p.leads).toBe(3);
    expect(p.stageChanges).toBe(1);
    expect(p.changed).toEqual([expect.objectContaining({ id: 0, from: "lead", to: "mql" })]);
    expect(p.changed[0]?.scoreAfter).toBeCloseTo(45, 2);
    expect(p.scoreChanged).toBe(2); // lead 0 (pricing ×3) and lead 2 (one pricing view)
    const band = (h: { edges: number[]; counts: number[] }, v: number) =>
      h.counts[h.edges.filter((e) => v >= e).length];
    expect(band(p.before, 29.99)).toBe(1); // 30 shown as 29.99…
    expect(band(p.after, 45)).toBe(2); // leads 0 and 2 at 45
    expect(p.before.counts.reduce((s, c) => s + c, 0)).toBe(3);
  });

  it("reports MQLs that would fall below the threshold but keeps their stage", () => {
    const p = previewRuleChange(
      leads.map((steps) => ({ steps })),
      defaultRuleSet,
      harsherCareers,
      T0 + 5000,
    );
    expect(p.stageChanges).toBe(0);
    expect(p.fallBelowThreshold).toBe(1);
    expect(p.meanAfter).toBeLessThan(p.meanBefore);
  });

  it("writes nothing: the stored states are unchanged", () => {
    const stored = leads.map((steps) => ({ steps, state: replay(steps, defaultRuleSet).state }));
    const copy = JSON.stringify(stored);
    previewRuleChange(stored, defaultRuleSet, morePricing, T0 + DAY_MS);
    expect(JSON.stringify(stored)).toBe(copy);
  });

  it("adds up batch by batch to exactly the preview of all leads at once", () => {
    const all = leads.map((steps, id) => ({ id, steps }));
    const now = T0 + 60_000;
    const whole = previewRuleChange(all, defaultRuleSet, morePricing, now);
    let batched = emptyPreview();
    for (const lead of all)
      batched = combinePreviews(batched, previewRuleChange([lead], defaultRuleSet, morePricing, now));
    expect({ ...batched, meanBefore: 0, meanAfter: 0 }).toEqual({ ...whole, meanBefore: 0, meanAfter: 0 });
    expect(batched.meanBefore).toBeCloseTo(whole.meanBefore, 9);
    expect(batched.meanAfter).toBeCloseTo(whole.meanAfter, 9);
    expect(combinePreviews(whole, whole, 1).changed).toHaveLength(1);
  });
});

describe("rescore", () => {
  it("keeps the stage when the score falls and moves forward when it rises", () => {
    const mql = replay(leads[2] as ReplayStep[], defaultRuleSet).state;
    expect(mql.stage).toBe("mql");
    const down = rescoreLead(leads[2] as ReplayStep[], mql, harsherCareers, T0 + 5000);
    expect(down.state.stage).toBe("mql");
    expect(down.scoreAfter).toBeLessThan(35);
    expect(down.ledger.every((l) => l.ruleVersion === 2)).toBe(true);

    const lead = replay(leads[0] as ReplayStep[], defaultRuleSet).state;
    const up = rescoreLead(leads[0] as ReplayStep[], lead, morePricing, T0 + 5000);
    expect(up.stageChange).toMatchObject({
      from: "lead",
      to: "mql",
      actor: "system",
      reason: expect.stringContaining("re-scored"),
    });
  });

  it("runs in chunks with progress and a cursor to resume from", () => {
    const inputs = leads.map((steps, i) => ({ id: i + 1, steps, state: replay(steps, defaultRuleSet).state }));
    let progress = startRescore(morePricing, inputs.length);
    const seen: number[] = [];
    for (let from = 0; from < inputs.length; from += 2) {
      const r = rescoreChunk(inputs.slice(from, from + 2), morePricing, T0 + 5000, progress);
      progress = r.progress;
      seen.push(...r.results.map((x) => x.id as number));
      expect(r.results.every((x) => x.expectedSeq === inputs[(x.id as number) - 1]?.state.seq)).toBe(true);
    }
    expect(seen).toEqual([1, 2, 3]);
    expect(progress).toMatchObject({ ruleSetVersion: 2, cursor: 3, done: 3, total: 3, fraction: 1, finished: true });
  });
});
