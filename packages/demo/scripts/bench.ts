// Measures pure generation speed: no I/O, items are only counted. Prints events/s and peak heap.
// Usage: npm run -w @leadtrail/demo bench [-- <events, default 10000000>]
import { countEvents, EVENTS_PER_VISITOR, estimateEvents, generateDemo } from "../src/index.ts";

const target = Number(process.argv[2] ?? 10_000_000);
const visitorsPerDay = 2_500;
const days = Math.ceil(target / (visitorsPerDay * EVENTS_PER_VISITOR));
const opts = {
  seed: 42,
  siteKey: "bench",
  origin: "http://localhost:8787",
  start: Date.UTC(2025, 0, 1),
  days,
  visitorsPerDay,
};

let events = 0;
let items = 0;
let peakHeap = 0;
const began = performance.now();
for (const item of generateDemo(opts)) {
  events += countEvents(item);
  // Sampling the heap every 65k items keeps the measurement from slowing the loop.
  if ((++items & 0xffff) === 0) peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
}
const seconds = (performance.now() - began) / 1000;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
console.log(
  `days=${days} visitorsPerDay=${visitorsPerDay} items=${items} events=${events} (estimate ${estimateEvents(opts)})`,
);
console.log(
  `${seconds.toFixed(2)} s, ${Math.round(events / seconds).toLocaleString("en")} events/s, ${Math.round(items / seconds).toLocaleString("en")} items/s`,
);
console.log(
  `events per first-time visitor: ${(events / (days * visitorsPerDay)).toFixed(2)}; peak heap used ${mb(peakHeap)}`,
);
