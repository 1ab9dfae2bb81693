/**
 * Throughput of the two per-lead calls a batch job makes: persona matching and the next best content.
 * Synthetic leads from a seeded generator, so runs are comparable; prints figures, asserts nothing.
 * Run: npm run bench -w @leadtrail/nurture
 */
import { performance } from "node:perf_hooks";
import type { Stage } from "@leadtrail/scoring";
import {
  emptyProgress,
  markOffered,
  matchPersona,
  type NurtureProgress,
  type NurtureTrack,
  nextBestContent,
  type Persona,
  type PersonaSubject,
} from "../src/index.ts";

const LEADS = 100_000;
const DAY = 86_400_000;
const NOW = Date.UTC(2025, 5, 1);

// mulberry32: a tiny seeded generator; the benchmark must not depend on the run.
let seed = 42;
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;

const ROLES = ["Head of IT", "CTO", "CFO", "Marketing Manager", "Developer", "Sales Director", "Office Manager"];
const COUNTRIES = ["DE", "AT", "CH", "FR", "US", "GB", "JP", "BR"];
const INDUSTRIES = ["Software", "Banking", "Manufacturing", "Retail", "Health"];
const TOPICS = ["security", "compliance", "lead scoring", "pricing", "banking", "product"];
const STAGES: Stage[] = ["lead", "lead", "lead", "nurture", "mql", "won"];

const personas: Persona[] = Array.from({ length: 20 }, (_, i) => ({
  id: `p-${String(i).padStart(2, "0")}`,
  name: `Persona ${i}`,
  criteria: {
    roles: [pick(ROLES).toLowerCase().split(" ").at(-1) ?? "it"],
    industries: [pick(INDUSTRIES), pick(INDUSTRIES)],
    regions: [pick(["DACH", "EMEA", "NA", "APAC"])],
    companySize: [{ min: pick([1, 50, 200]) }],
    topics: [{ topic: pick(TOPICS), min: 1 + Math.floor(random() * 3) }],
  },
  required: ["role"],
  minMatch: 0.6,
}));
const tracks: NurtureTrack[] = personas.map((p, i) => ({
  id: `t-${i}`,
  personaId: p.id,
  stages: ["lead", "nurture"],
  steps: Array.from({ length: 8 }, (_, j) => ({
    id: `s${j}`,
    contentId: `c-${(i * 3 + j) % 60}`,
    conditions: j % 2 === 0 ? { minDaysSincePreviousStep: 3 } : { minScore: 10 * j, notConsumed: [`c-${j}`] },
  })),
}));
tracks.push({ id: "t-generic", personaId: null, stages: ["lead", "nurture"], steps: [{ id: "g", contentId: "c-0" }] });
tracks.push({ id: "t-onboard", personaId: null, stages: ["won"], steps: [{ id: "o", contentId: "c-59" }] });

const subjects: PersonaSubject[] = [];
const progresses: NurtureProgress[] = [];
for (let i = 0; i < LEADS; i++) {
  const topics: Record<string, number> = {};
  for (let k = 0; k < 3; k++) topics[pick(TOPICS)] = 1 + Math.floor(random() * 4);
  subjects.push({
    traits: {
      role: pick(ROLES),
      country: pick(COUNTRIES),
      industry: pick(INDUSTRIES),
      companySize: Math.floor(random() * 2000),
    },
    topics,
  });
  let progress = emptyProgress();
  const offered = Math.floor(random() * 5);
  for (let j = 0; j < offered; j++) {
    progress = markOffered(
      progress,
      { trackId: `t-${i % 20}`, stepId: `s${j}`, contentId: `c-${j}` },
      NOW - (10 - j) * DAY,
    );
  }
  progresses.push(progress);
}

function time(label: string, run: () => number): void {
  run(); // warm-up
  const start = performance.now();
  const checksum = run();
  const ms = performance.now() - start;
  console.log(
    `${label}: ${LEADS} leads in ${ms.toFixed(0)} ms = ${Math.round(LEADS / (ms / 1000)).toLocaleString("en")} leads/s (checksum ${checksum})`,
  );
}

const matched: (string | null)[] = new Array(LEADS).fill(null);
time("matchPersona (20 personas)", () => {
  let n = 0;
  for (let i = 0; i < LEADS; i++) {
    const m = matchPersona(subjects[i] as PersonaSubject, personas);
    matched[i] = m?.personaId ?? null;
    if (m) n++;
  }
  return n;
});
time("nextBestContent (22 tracks, 8 steps)", () => {
  let due = 0;
  for (let i = 0; i < LEADS; i++) {
    const lead = { stage: STAGES[i % STAGES.length] as Stage, score: i % 60, personaId: matched[i] ?? null };
    if (nextBestContent(lead, tracks, progresses[i] as NurtureProgress, NOW).status === "due") due++;
  }
  return due;
});
