/**
 * applyEvent throughput: 1,000,000 events spread over 10,000 leads with the default rules.
 * Prints events/s for the bare function and for the collector's real shape (state parsed from
 * and written back to JSON around every call). Figures only; never part of the test run.
 */
import { applyEvent, defaultRuleSet, initialState, type ScoreState } from "../src/index.ts";
import { prng, randomEvent, START } from "./streams.ts";

const LEADS = 10_000;
const EVENTS = 1_000_000;

function run(persist: boolean): number {
  const rand = prng(42);
  const states: ScoreState[] = Array.from({ length: LEADS }, () => initialState());
  const json: string[] = states.map((s) => JSON.stringify(s));
  // Pre-generate so the PRNG is not timed.
  const events = Array.from({ length: EVENTS }, (_, i) => randomEvent(rand, i, START + i * 500));
  const leadOf = Array.from({ length: EVENTS }, () => Math.floor(rand() * LEADS));
  const t0 = performance.now();
  for (let i = 0; i < EVENTS; i++) {
    const lead = leadOf[i] as number;
    const event = events[i];
    if (!event) continue;
    if (persist) {
      const state = JSON.parse(json[lead] as string) as ScoreState;
      json[lead] = JSON.stringify(applyEvent(state, event, defaultRuleSet, event.at).state);
    } else {
      states[lead] = applyEvent(states[lead] as ScoreState, event, defaultRuleSet, event.at).state;
    }
  }
  return performance.now() - t0;
}

run(false); // warm-up
const bare = run(false);
const withJson = run(true);
const rate = (ms: number) => Math.round(EVENTS / (ms / 1000)).toLocaleString("en-US");
console.log(
  `applyEvent, ${EVENTS.toLocaleString("en-US")} events over ${LEADS.toLocaleString("en-US")} leads, ${defaultRuleSet.rules.length} rules`,
);
console.log(`  bare function:            ${rate(bare)} events/s  (${((bare / EVENTS) * 1000).toFixed(2)} µs/event)`);
console.log(
  `  with JSON state in/out:   ${rate(withJson)} events/s  (${((withJson / EVENTS) * 1000).toFixed(2)} µs/event)`,
);
