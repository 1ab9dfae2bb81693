import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "../testing.ts";
import { contentPipeline } from "./dashboard/content.ts";
import type { DashboardFilter } from "./dashboard/filters.ts";
import { funnel, timeInStage } from "./dashboard/funnel.ts";
import { rawContentPipeline, rawFunnel, rawTimeInStage } from "./dashboard/raw.ts";
import { rebuildLeadSummaries, recordStageChanges, refreshLeadSummaries, SUMMARY_TABLES } from "./lead-stage.ts";
import { createSite } from "./sites.ts";

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);

/** A small deterministic generator (mulberry32): the same "random" history on every run. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MOVES: Record<string, string[]> = {
  lead: ["mql"],
  mql: ["sal", "nurture", "lost"],
  sal: ["sql", "nurture", "lost"],
  sql: ["won", "lost"],
  nurture: ["mql"],
  lost: ["nurture"],
};

// Many leads with random histories (durations from seconds to weeks, so every duration bucket is
// used), random pages and visitors, written the way the write paths do: rows, then one refresh.
describe("lead funnel summaries", () => {
  let t: TestDb;
  let siteId: number;
  const filters = (): DashboardFilter[] => [
    { siteId, from: "2026-01-01", to: "2026-03-31" },
    { siteId, from: "2026-01-10", to: "2026-01-24" },
    { siteId, from: "2026-02-01", to: "2026-02-01" },
    { siteId, from: "2026-01-01", to: "2026-03-31", segment: "P1" },
  ];
  // Every summary row; counter rows at zero are the same as no row (a refresh can leave them).
  const dump = async () => {
    const out: Record<string, unknown[]> = {};
    for (const table of SUMMARY_TABLES) {
      const rows = (await t.db.$client.execute(`SELECT * FROM ${table} ORDER BY 1, 2, 3, 4`)).rows;
      out[table] = rows.map((r) => ({ ...r }) as Record<string, unknown>).filter((r) => r.leads !== 0 && r.exits !== 0);
    }
    return out;
  };

  beforeEach(async () => {
    t = await createTestDb();
    siteId = (await createSite(t.db, { publicKey: "pk", name: "Acme", domains: ["acme.test"] })).id;
    const next = random(42);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
    const exec = (sql: string, args: (string | number | null)[]) => t.db.$client.execute({ sql, args });
    for (const name of ["P1", "P2"])
      await exec("INSERT INTO personas (site_id, name, created_at) VALUES (?, ?, ?)", [siteId, name, T0]);
    for (let i = 0; i < 150; i++) {
      const createdAt = T0 + Math.floor(next() * 80 * DAY);
      const persona = next() < 0.3 ? 1 : next() < 0.5 ? 2 : null;
      const lead = Number(
        (
          await exec("INSERT INTO leads (site_id, email, persona_id, created_at) VALUES (?, ?, ?, ?) RETURNING id", [
            siteId,
            `l${i}@x.test`,
            persona,
            createdAt,
          ])
        ).rows[0]?.id,
      );
      for (let v = 0; v < 1 + Math.floor(next() * 2); v++) {
        const visitor = `v${i}_${v}`;
        const seen = createdAt - Math.floor(next() * 5 * DAY);
        await exec(
          "INSERT INTO visitors (site_id, id, lead_id, first_seen_at, last_seen_at, utm_campaign, channel) VALUES (?, ?, ?, ?, ?, ?, ?)",
          [siteId, visitor, lead, seen, seen, pick(["spring", "autumn", null]), pick(["email", "search", null])],
        );
        for (const path of ["/a", "/b", "/c", "/d"].filter(() => next() < 0.5)) {
          await exec("INSERT INTO content_touches (site_id, path, visitor_id, first_at) VALUES (?, ?, ?, ?)", [
            siteId,
            path,
            visitor,
            seen + Math.floor(next() * 20 * DAY),
          ]);
        }
      }
      let stage = "lead";
      let at = createdAt;
      const changes = [];
      for (let step = 0; step < 1 + Math.floor(next() * 8); step++) {
        const moves = MOVES[stage];
        if (!moves) break; // won is final
        const to = pick(moves);
        // Durations spread over powers of ten: seconds to about a month; some exact ties.
        at += next() < 0.1 ? 60_000 : Math.floor(10 ** (3 + next() * 6.4));
        changes.push({
          siteId,
          leadId: lead,
          fromStage: stage,
          toStage: to,
          actor: "system",
          reason: null,
          at,
          score: null,
        });
        stage = to;
      }
      await exec("UPDATE leads SET stage = ? WHERE id = ?", [stage, lead]);
      await recordStageChanges(t.db, changes, [lead]);
    }
  });
  afterEach(() => t.cleanup());

  it("answer the funnel, pipeline and time-in-stage widgets exactly as the raw tables do", async () => {
    const paths = ["/a", "/b", "/c", "/d", "/none"];
    for (const f of filters()) {
      for (const cohort of [undefined, "month", "campaign", "source", "persona"] as const) {
        expect(await funnel(t.db, f, cohort)).toEqual(await rawFunnel(t.db, f, cohort));
      }
      expect(await contentPipeline(t.db, f, paths)).toEqual(await rawContentPipeline(t.db, f, paths));
      const times = await timeInStage(t.db, f);
      expect(times).toEqual(await rawTimeInStage(t.db, f));
    }
    // The histories are long enough for every stage to have exits in several buckets.
    const [whole] = filters();
    const times = await timeInStage(t.db, whole as DashboardFilter);
    expect(times.map((s) => s.stage)).toEqual(["lead", "mql", "sal", "sql", "nurture", "lost"]);
    const buckets = await t.db.$client.execute("SELECT count(DISTINCT bucket) AS n FROM stage_exits");
    expect(Number(buckets.rows[0]?.n)).toBeGreaterThan(10);
  });

  it("are the same when rebuilt from scratch, and a refresh without changes changes nothing", async () => {
    const incremental = await dump();
    expect(incremental.lead_funnel).toHaveLength(150);
    await refreshLeadSummaries(
      t.db,
      Array.from({ length: 150 }, (_, i) => i + 1),
    );
    expect(await dump()).toEqual(incremental);
    expect(await rebuildLeadSummaries(t.db, siteId, 40)).toBe(150);
    expect(await dump()).toEqual(incremental);
  });
});
