import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "../../testing.ts";
import { recordStageChanges } from "../lead-stage.ts";
import { createSite } from "../sites.ts";
import { daysOf, previousPeriod } from "./filters.ts";
import { exitReasons, funnel, quantile, timeInStage } from "./funnel.ts";
import { monthsBetween } from "./overview.ts";
import { rawFunnel, rawTimeInStage } from "./raw.ts";

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 9, 1);

describe("period helpers", () => {
  it("compares with the same number of days just before", () => {
    expect(previousPeriod({ from: "2026-11-01", to: "2026-11-30" })).toEqual({ from: "2026-10-02", to: "2026-10-31" });
    expect(daysOf({ from: "2026-02-27", to: "2026-03-02" })).toEqual([
      "2026-02-27",
      "2026-02-28",
      "2026-03-01",
      "2026-03-02",
    ]);
    expect(monthsBetween("2025-11-15", "2026-02-01")).toEqual(["2025-11", "2025-12", "2026-01", "2026-02"]);
  });

  it.each([
    [[], 0.5, 0],
    [[5], 0.9, 5],
    [[1, 2, 3, 4], 0.5, 2],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9, 9],
    [Array.from({ length: 30 }, (_, i) => i + 1), 0.9, 27],
  ])("quantile(%j, %d) = %d", (list, q, expected) => {
    expect(quantile(list, q)).toBe(expected);
  });
});

// Leads and their stage history are the funnel's input (written by the collector's scoring and by
// sales actions in production, through recordStageChanges, which keeps the per-lead summaries the
// funnel reads current). Each answer is also checked against the same question asked of the raw rows.
describe("funnel queries", () => {
  let t: TestDb;
  let siteId: number;
  const filter = () => ({ siteId, from: "2026-10-01", to: "2026-10-31" });

  const personaIds = new Map<string, number>();
  async function lead(
    email: string,
    createdAt: number,
    stage: string,
    persona: string,
    history: [string, string, number, string?][],
  ) {
    let personaId = personaIds.get(persona);
    if (personaId === undefined) {
      const p = await t.db.$client.execute({
        sql: "INSERT INTO personas (site_id, name, created_at) VALUES (?, ?, ?) RETURNING id",
        args: [siteId, persona, T0],
      });
      personaId = Number(p.rows[0]?.id);
      personaIds.set(persona, personaId);
    }
    const r = await t.db.$client.execute({
      sql: "INSERT INTO leads (site_id, email, stage, persona_id, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
      args: [siteId, email, stage, personaId, createdAt],
    });
    const id = Number(r.rows[0]?.id);
    await recordStageChanges(
      t.db,
      history.map(([fromStage, toStage, at, reason]) => ({
        siteId,
        leadId: id,
        fromStage,
        toStage,
        actor: "system",
        reason: reason ?? null,
        at,
        score: null,
      })),
      [id],
    );
  }

  beforeEach(async () => {
    t = await createTestDb();
    siteId = (await createSite(t.db, { publicKey: "pk", name: "Acme", domains: ["acme.test"] })).id;
    personaIds.clear();
    await lead("a@x.test", T0, "won", "cto", [
      ["lead", "mql", T0 + 1 * DAY],
      ["mql", "sal", T0 + 2 * DAY],
      ["sal", "sql", T0 + 4 * DAY],
      ["sql", "won", T0 + 8 * DAY],
    ]);
    await lead("b@x.test", T0, "nurture", "cto", [
      ["lead", "mql", T0 + 3 * DAY],
      ["mql", "nurture", T0 + 4 * DAY, "no budget"],
    ]);
    await lead("c@x.test", T0 + DAY, "lead", "dev", []);
    await lead("old@x.test", T0 - 40 * DAY, "mql", "dev", [["lead", "mql", T0 - 39 * DAY]]); // outside the period
  });
  afterEach(() => t.cleanup());

  it("counts how far the period's leads got, keeping what a rejected lead had reached", async () => {
    const [all] = await funnel(t.db, filter());
    expect(all?.counts).toEqual({ lead: 3, mql: 2, sal: 1, sql: 1, won: 1 });
    expect(all?.conversion.mql).toBeCloseTo(2 / 3);
    expect(all?.conversion.sal).toBeCloseTo(1 / 2);
  });

  it("groups by persona and filters by segment", async () => {
    const rows = await funnel(t.db, filter(), "persona");
    expect(rows.map((r) => [r.cohort, r.counts.lead, r.counts.won])).toEqual([
      ["cto", 2, 1],
      ["dev", 1, 0],
    ]);
    const [dev] = await funnel(t.db, { ...filter(), segment: "dev" });
    expect(dev?.counts.lead).toBe(1);
    expect(rows).toEqual(await rawFunnel(t.db, filter(), "persona"));
  });

  it("measures time in stage from entering to leaving it", async () => {
    const times = await timeInStage(t.db, filter());
    const byStage = Object.fromEntries(times.map((s) => [s.stage, s]));
    // lead: a left after 1 day, b after 3 days; mql: a after 1 day, b after 1 day.
    expect(byStage.lead).toMatchObject({ count: 2, medianMs: DAY, p90Ms: 3 * DAY });
    expect(byStage.mql).toMatchObject({ count: 2, medianMs: DAY });
    expect(byStage.sql).toMatchObject({ count: 1, medianMs: 4 * DAY });
    expect(times).toEqual(await rawTimeInStage(t.db, filter()));
  });

  it("does not count a note or reassignment (kept in the history with the stage unchanged) as leaving a stage", async () => {
    const a = Number((await t.db.$client.execute("SELECT id FROM leads WHERE email = 'a@x.test'")).rows[0]?.id);
    await recordStageChanges(t.db, [
      {
        siteId,
        leadId: a,
        fromStage: "sal",
        toStage: "sal",
        actor: "user:1",
        reason: "note: called",
        at: T0 + 3 * DAY,
        score: null,
      },
    ]);
    const byStage = Object.fromEntries((await timeInStage(t.db, filter())).map((s) => [s.stage, s]));
    expect(byStage.sal).toMatchObject({ count: 1, medianMs: 2 * DAY });
  });

  it("lists rejection reasons", async () => {
    expect(await exitReasons(t.db, filter())).toEqual([
      { toStage: "nurture", fromStage: "mql", reason: "no budget", count: 1 },
    ]);
  });
});
