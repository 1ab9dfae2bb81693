import { defaultRuleSet } from "@leadtrail/scoring";
import { describe, expect, it } from "vitest";
import {
  pageByScore,
  parseSalesAction,
  parseSalesListFilter,
  type ScoredLead,
  scoreRows,
  scoreSeries,
  whyHot,
} from "./sales-workspace.ts";

const DAY = 86_400_000;

function form(fields: Record<string, string>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
}

describe("parseSalesAction", () => {
  const cases: [string, string, Record<string, string>, unknown][] = [
    ["accept needs nothing", "accept", {}, { ok: true, action: "accept", reason: null, value: null }],
    ["reject needs a reason", "reject", { reason: "  " }, { ok: false, error: "sales.reasonRequired" }],
    ["reject with a reason", "reject", { reason: "no budget" }, { ok: true, reason: "no budget" }],
    ["lose needs a reason", "lose", { value: "100" }, { ok: false, error: "sales.reasonRequired" }],
    ["win with a value", "win", { value: "12000" }, { ok: true, action: "win", value: 12000 }],
    ["negative value", "win", { value: "-1" }, { ok: false, error: "sales.badValue" }],
    ["not a number", "win", { value: "lots" }, { ok: false, error: "sales.badValue" }],
    ["unknown action", "recycle", {}, { ok: false, error: "sales.badAction" }],
  ];
  it.each(cases)("%s", (_name, action, fields, expected) => {
    expect(parseSalesAction(action, form(fields))).toMatchObject(expected as object);
  });
});

describe("scoreSeries", () => {
  it("adds fit as it is and decays engagement between entries", () => {
    const series = scoreSeries(
      [
        { kind: "fit", delta: 10, at: 0 },
        { kind: "engagement", delta: 20, at: 0 },
        { kind: "engagement", delta: 5, at: 30 * DAY },
      ],
      30,
    );
    // One point per time; after one half-life the 20 engagement points are worth 10.
    expect(series).toEqual([
      { at: 0, score: 30 },
      { at: 30 * DAY, score: 25 },
    ]);
  });

  it("does not decay without a half-life", () => {
    expect(
      scoreSeries(
        [
          { kind: "engagement", delta: 7, at: 0 },
          { kind: "engagement", delta: -2, at: DAY },
        ],
        null,
      ),
    ).toEqual([
      { at: 0, score: 7 },
      { at: DAY, score: 5 },
    ]);
  });
});

describe("whyHot", () => {
  it("lists the biggest positive rules first, at most n", () => {
    const totals = [
      { ruleId: "careers", points: -10 },
      { ruleId: "pricing", points: 8 },
      { ruleId: "demo", points: 20 },
      { ruleId: "blog", points: 2 },
    ];
    expect(whyHot(totals, 2).map((t) => t.ruleId)).toEqual(["demo", "pricing"]);
  });
});

function lead(id: number, score: number): ScoredLead {
  return {
    id,
    siteId: 1,
    email: `l${id}@x.test`,
    name: null,
    stage: "mql",
    ownerId: null,
    ownerEmail: null,
    companyId: null,
    companyName: null,
    companyDomain: null,
    engagementScore: score,
    fitScore: 0,
    scoredAt: null,
    createdAt: 0,
    lastActivityAt: null,
    source: null,
    campaign: null,
    score,
    grade: "D4",
  };
}

describe("pageByScore", () => {
  it("walks every lead exactly once, hottest first, ties by id", () => {
    const leads = [lead(1, 5), lead(2, 50), lead(3, 5), lead(4, 20), lead(5, 50)];
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: { leads: ScoredLead[]; nextCursor: string | null } = pageByScore(leads, cursor, 2);
      seen.push(...page.leads.map((l) => l.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([2, 5, 4, 1, 3]);
  });

  it("has no next page when everything fits", () => {
    expect(pageByScore([lead(1, 1)], null, 2).nextCursor).toBeNull();
  });
});

describe("scoreRows and filters", () => {
  it("filters by the current (decayed) score and grade letter", () => {
    const now = 10 * DAY;
    const fresh = { ...lead(1, 40), scoredAt: now };
    const stale = { ...lead(2, 40), scoredAt: now - 200 * DAY };
    const rows = scoreRows([fresh, stale], defaultRuleSet, now, { minScore: 35 });
    expect(rows.map((r) => r.id)).toEqual([1]);
  });

  it("defaults a sales rep to their own queue and drops bad values", () => {
    const p = new URLSearchParams("stage=bogus&minScore=abc&grade=a1&days=7&q=ada");
    expect(parseSalesListFilter(p, "sales")).toMatchObject({
      stage: undefined,
      owner: "me",
      minScore: undefined,
      grade: "A1",
      activeDays: 7,
      search: "ada",
    });
    expect(parseSalesListFilter(new URLSearchParams(), "admin").owner).toBeUndefined();
    expect(parseSalesListFilter(new URLSearchParams("owner=pool"), "sales").owner).toBe("pool");
  });
});
