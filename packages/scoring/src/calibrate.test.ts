import { describe, expect, it } from "vitest";
import { type CalibrationLead, calibrate } from "./calibrate.ts";
import type { Stage } from "./types.ts";

const lead = (score: number, path: Stage[]): CalibrationLead => ({
  score: 0,
  history: path.map((to) => ({ to, score: to === "mql" ? score : null })),
});
const good = (score: number) => lead(score, ["mql", "sal", "sql", "won"]);
const sqlOnly = (score: number) => lead(score, ["mql", "sal", "sql", "lost"]);
const bad = (score: number) => lead(score, ["mql", "nurture"]);

describe("calibrate", () => {
  it("finds that a threshold of 50 would separate better than 35, and says the current one does not", () => {
    // Leads at 35–49 are mostly rejected; from 50 up they mostly reach SQL.
    const leads = [
      ...[36, 38, 40, 42, 44, 46, 48].map(bad),
      good(45),
      ...[50, 55, 60, 70].map(good),
      sqlOnly(52),
      bad(65),
    ];
    const c = calibrate(leads, { threshold: 35 });
    expect(c.suggestedThreshold).toBe(50);
    expect(c.suggested?.youden).toBeGreaterThan(0.7);
    expect(c.separates).toBe(false); // everything here is ≥ 35: the current threshold separates nothing
    const band50 = c.bands.find((b) => b.from === 50);
    expect(band50).toMatchObject({ leads: 6, decided: 6, sql: 5, won: 4, lost: 1, winRate: 0.8 });
    expect(band50?.sqlRate).toBeCloseTo(5 / 6, 10);
  });

  it("confirms a threshold that works", () => {
    // Below-threshold leads that sales worked anyway and rejected: no MQL score, so their current score counts.
    const rejectedLow = [10, 15, 20, 25, 30].map(
      (score): CalibrationLead => ({ score, history: [{ to: "nurture", score: null }] }),
    );
    const leads = [...rejectedLow, ...[36, 40, 45, 60, 80].map(good)];
    const c = calibrate(leads, { threshold: 35 });
    expect(c.separates).toBe(true);
    expect(c.current.above.sqlRate).toBe(1);
    expect(c.current.below.sqlRate).toBe(0);
    expect(c.suggestedThreshold).toBe(35); // ties broken towards the current threshold
  });

  it("declines to suggest with too few outcomes, and ignores undecided leads in rates", () => {
    const c = calibrate([good(40), bad(20), lead(50, ["mql"]), lead(60, ["mql", "sal"])], { threshold: 35 });
    expect(c.suggestedThreshold).toBeNull();
    expect(c.note).toMatch(/Too few outcomes/);
    const band = c.bands.find((b) => b.from === 50);
    expect(band).toMatchObject({ leads: 2, decided: 0, sqlRate: null });
  });
});
