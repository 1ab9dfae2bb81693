/**
 * Re-scoring 100,000 leads (20 events each, 2,000,000 events) with a new rule version, in chunks
 * of 1,000 as the background job does. Streams are generated deterministically per lead id; the
 * stored states (old rules) are computed first and not timed. Prints the time for the re-score.
 */
import { defaultRuleSet, type RescoreInput, type RuleSet, replay, rescoreChunk, startRescore } from "../src/index.ts";
import { leadSteps } from "./streams.ts";

const LEADS = 100_000;
const EVENTS_PER_LEAD = 20;
const CHUNK = 1_000;
const next: RuleSet = {
  ...defaultRuleSet,
  version: 2,
  mqlThreshold: 25,
  rules: defaultRuleSet.rules.map((r) => (r.id === "pricing-page" ? { ...r, points: 15 } : r)),
};
const now = Date.UTC(2025, 1, 10); // shortly after the generated histories end

let progress = startRescore(next, LEADS);
let timed = 0;
let newMqls = 0;
const wall0 = performance.now();
for (let from = 1; from <= LEADS; from += CHUNK) {
  const chunk: RescoreInput[] = [];
  for (let id = from; id < from + CHUNK && id <= LEADS; id++) {
    const steps = leadSteps(id, EVENTS_PER_LEAD);
    chunk.push({ id, steps, state: replay(steps, defaultRuleSet).state });
  }
  const t0 = performance.now();
  const r = rescoreChunk(chunk, next, now, progress);
  timed += performance.now() - t0;
  progress = r.progress;
  newMqls += r.results.filter((x) => x.stageChange).length;
}
const wall = performance.now() - wall0;
console.log(`re-score ${LEADS.toLocaleString("en-US")} leads × ${EVENTS_PER_LEAD} events in chunks of ${CHUNK}`);
console.log(
  `  re-score time:  ${(timed / 1000).toFixed(2)} s  (${Math.round((LEADS * EVENTS_PER_LEAD) / (timed / 1000)).toLocaleString("en-US")} events/s)`,
);
console.log(`  incl. generating streams and old states: ${(wall / 1000).toFixed(2)} s`);
console.log(`  progress: ${progress.done}/${progress.total} finished=${progress.finished}, new MQLs: ${newMqls}`);
