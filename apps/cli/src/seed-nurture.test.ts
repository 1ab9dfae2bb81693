import { listNurtureTracks, listPersonas } from "@leadtrail/db";
import { createTestDb, type TestDb } from "@leadtrail/db/testing";
import { validateTracks } from "@leadtrail/nurture";
import { leadNurtureView } from "@leadtrail/workflows";
import { afterEach, describe, expect, it } from "vitest";
import { seedDemo } from "./seed-demo.ts";

const NOW = Date.UTC(2026, 10, 27, 12);

describe("demo personas and nurturing", () => {
  let t: TestDb;
  afterEach(() => t.cleanup());

  it("match the demo's leads to personas and give them next best content", async () => {
    t = await createTestDb();
    const { siteId } = await seedDemo(t.db, { now: NOW, days: 14, visitorsPerDay: 25 });
    const personas = await listPersonas(t.db, siteId);
    expect(personas.map((p) => p.name)).toEqual(["Marketing manager", "Sales leader", "Executive buyer"]);
    // Every persona has leads after the first matching run.
    for (const p of personas) expect(p.leadCount, p.name).toBeGreaterThan(0);
    const tracks = await listNurtureTracks(t.db, siteId);
    expect(tracks.map((tr) => [tr.name, tr.stages])).toEqual([
      ["Lead nurture", ["lead", "mql", "nurture"]],
      ["Customer onboarding", ["won"]],
    ]);
    expect(
      validateTracks(
        tracks.map((tr) => ({ ...tr, id: String(tr.id), personaId: null })),
        {},
      ).ok,
    ).toBe(true);
    const offered = await t.db.$client.execute("SELECT lead_id FROM lead_nurture WHERE next_content_key IS NOT NULL");
    expect(offered.rows.length).toBeGreaterThan(0);
    const view = await leadNurtureView(t.db, Number(offered.rows[0]?.lead_id), NOW);
    expect(view?.nextContent?.title).toBeTruthy();
  });
});
