/**
 * Prints routing throughput and the fairness figures of a 10,000-lead run. Not part of `npm test`:
 * run with `npm run bench -w @leadtrail/routing`. Figures depend on the machine; compare runs on one.
 */
import { performance } from "node:perf_hooks";
import { emptyRoutingState, type Rep, type RoutingConfig, route } from "../src/index.ts";

const NOW = Date.parse("2024-03-11T10:00:00Z");
const office = [{ start: "08:00", end: "18:00" }];
const zones = ["Europe/Berlin", "America/New_York", "Asia/Kolkata", "UTC"];

function makeConfig(repCount: number, ruleCount: number): RoutingConfig {
  const reps: Rep[] = Array.from({ length: repCount }, (_, i) => ({
    id: `rep-${String(i).padStart(3, "0")}`,
    weight: 1 + (i % 4),
    capacity: 1_000_000,
    openLeads: 0,
    timeZone: zones[i % zones.length] ?? "UTC",
    workingHours: { mon: office, tue: office, wed: office, thu: office, fri: office },
  }));
  // Specific rules that do not match the benchmark lead first, so every call walks the whole list.
  const rules = Array.from({ length: ruleCount - 1 }, (_, i) => ({
    id: `rule-${i}`,
    conditions: { industries: [`industry-${i}`], regions: ["DACH"] },
    poolId: "all",
  }));
  return {
    reps,
    pools: [{ id: "all", repIds: reps.map((r) => r.id), slaMinutes: 60 }],
    rules: [...rules, { id: "catch-all", conditions: {}, poolId: "all" }],
  };
}

function measure(repCount: number, ruleCount: number, calls: number): void {
  const config = makeConfig(repCount, ruleCount);
  let state = emptyRoutingState();
  const counts = new Map<string, number>();
  const started = performance.now();
  for (let i = 0; i < calls; i++) {
    const result = route({ id: `l-${i}`, country: "DE", company: { industry: "Retail" } }, config, state, NOW);
    state = result.state;
    const repId = result.decision.repId ?? "queued";
    counts.set(repId, (counts.get(repId) ?? 0) + 1);
  }
  const ms = performance.now() - started;
  const eligible = config.reps.filter((r) => r.timeZone !== "America/New_York");
  const totalWeight = eligible.reduce((sum, r) => sum + r.weight, 0);
  let worst = 0;
  for (const rep of eligible)
    worst = Math.max(worst, Math.abs((counts.get(rep.id) ?? 0) / calls - rep.weight / totalWeight) * 100);
  console.log(
    `${repCount} reps, ${ruleCount} rules: ${Math.round((calls / ms) * 1000).toLocaleString("en")} routes/s ` +
      `(${((ms / calls) * 1000).toFixed(1)} µs each), ${calls} leads, worst share error ${worst.toFixed(3)} points`,
  );
}

measure(5, 5, 10_000);
measure(20, 20, 10_000);
measure(100, 50, 10_000);
