import { describe, expect, it } from "vitest";
import { assignmentFromDecision, emptyRoutingState, explainRoute, route } from "./route.ts";
import type { Rep, RoutableLead, RoutingConfig, RoutingState } from "./types.ts";
import { validateRoutingConfig } from "./validate.ts";

const MONDAY_10_UTC = Date.parse("2024-03-11T10:00:00Z");
const office = { start: "08:00", end: "18:00" };
const weekdays = { mon: [office], tue: [office], wed: [office], thu: [office], fri: [office] };

const rep = (id: string, extra: Partial<Rep> = {}): Rep => ({
  id,
  weight: 1,
  capacity: 20,
  openLeads: 0,
  timeZone: "Europe/Berlin",
  workingHours: weekdays,
  ...extra,
});

function makeConfig(overrides: { reps?: Rep[] } = {}): RoutingConfig {
  return {
    reps: overrides.reps ?? [
      rep("anna", { weight: 2 }),
      rep("ben"),
      rep("carla", { timeZone: "America/New_York" }),
      rep("dan", { timeZone: "America/Chicago" }),
      rep("eve", { timeZone: "Europe/London" }),
    ],
    pools: [
      { id: "dach-enterprise", repIds: ["anna"], slaMinutes: 60 },
      { id: "dach", repIds: ["anna", "ben"], slaMinutes: 120 },
      { id: "na", repIds: ["carla", "dan"], slaMinutes: 30 },
      { id: "emea", repIds: ["eve", "ben"] },
    ],
    rules: [
      {
        id: "dach-enterprise",
        conditions: { regions: ["DACH"], companySize: [{ min: 1000 }] },
        poolId: "dach-enterprise",
      },
      { id: "webinar-na", conditions: { regions: ["NA"], campaigns: ["na-webinar"] }, poolId: "na" },
      { id: "dach", conditions: { regions: ["DACH"] }, poolId: "dach" },
      { id: "emea", conditions: { regions: ["EMEA"] }, poolId: "emea" },
    ],
  };
}

const germanCorp: RoutableLead = { id: "l-1", country: "DE", company: { employees: 5000, industry: "Retail" } };
const germanSmall: RoutableLead = { id: "l-2", country: "AT", company: { employees: 40 } };
const french: RoutableLead = { id: "l-3", country: "FR" };
const american: RoutableLead = { id: "l-4", company: { country: "US" }, campaigns: ["na-webinar"] };
const brazilian: RoutableLead = { id: "l-5", country: "BR" };

describe("route: rule priority and conditions", () => {
  it("the fixture config is valid", () => {
    expect(validateRoutingConfig(makeConfig())).toEqual([]);
  });

  it.each([
    {
      name: "first matching rule wins over a later broader one",
      lead: germanCorp,
      rule: "dach-enterprise",
      rep: "anna",
    },
    { name: "a small DACH company skips the enterprise rule", lead: germanSmall, rule: "dach", rep: "anna" },
    { name: "the rest of EMEA (tie between equal weights → smaller id)", lead: french, rule: "emea", rep: "ben" },
    {
      name: "campaign + region via the company's country, in New York office hours",
      lead: american,
      rule: "webinar-na",
      rep: "carla",
      at: Date.parse("2024-03-11T15:00:00Z"),
    },
  ])("$name", ({ lead, rule, rep: repId, at }) => {
    const { decision } = route(lead, makeConfig(), emptyRoutingState(), at ?? MONDAY_10_UTC);
    expect(decision).toMatchObject({ outcome: "assigned", ruleId: rule, repId, queueId: null });
  });

  it("records every rule's match, the failing conditions, and the rules after the chosen one as not reached", () => {
    const { decision } = route(germanSmall, makeConfig(), emptyRoutingState(), MONDAY_10_UTC);
    expect(decision.rules.map((r) => [r.ruleId, r.outcome, r.failedConditions])).toEqual([
      ["dach-enterprise", "no_match", ["companySize"]],
      ["webinar-na", "no_match", ["territory", "campaigns"]],
      ["dach", "chosen", []],
      ["emea", "not_reached", []],
    ]);
  });

  it("skips a disabled rule", () => {
    const config = makeConfig();
    const rules = config.rules.map((r) => (r.id === "dach-enterprise" ? { ...r, enabled: false } : r));
    const { decision } = route(germanCorp, { ...config, rules }, emptyRoutingState(), MONDAY_10_UTC);
    expect(decision.ruleId).toBe("dach");
    expect(decision.rules[0]?.outcome).toBe("disabled");
  });

  it("a rule with no conditions catches everything after the specific ones", () => {
    const config = makeConfig();
    const catchAll = { id: "catch-all", conditions: {}, poolId: "emea" };
    const { decision } = route(
      brazilian,
      { ...config, rules: [...config.rules, catchAll] },
      emptyRoutingState(),
      MONDAY_10_UTC,
    );
    expect(decision).toMatchObject({ outcome: "assigned", ruleId: "catch-all" });
  });

  it("sets the SLA due time from the chosen pool", () => {
    const { decision } = route(germanSmall, makeConfig(), emptyRoutingState(), MONDAY_10_UTC);
    expect(decision.slaDueAt).toBe(MONDAY_10_UTC + 120 * 60_000);
    const { decision: noSla } = route(french, makeConfig(), emptyRoutingState(), MONDAY_10_UTC);
    expect(noSla.slaDueAt).toBeNull();
  });
});

describe("route: candidates, skipping and fallback", () => {
  it("lists each candidate with the reason it was skipped", () => {
    const config = makeConfig({
      reps: [
        rep("anna", { openLeads: 20, capacity: 20 }),
        rep("ben", { outOfOffice: [{ from: MONDAY_10_UTC - 1, until: MONDAY_10_UTC + 1 }] }),
        rep("carla", { timeZone: "America/New_York" }),
        rep("dan", { active: false }),
        rep("eve", { timeZone: "Europe/London" }),
      ],
    });
    const { decision } = route(germanSmall, config, emptyRoutingState(), MONDAY_10_UTC);
    expect(decision.candidates.map((c) => [c.poolId, c.repId, c.status, c.skipReason])).toEqual([
      ["dach", "anna", "skipped", "at_capacity"],
      ["dach", "ben", "skipped", "out_of_office"],
      ["emea", "eve", "chosen", null],
      ["emea", "ben", "skipped", "out_of_office"],
    ]);
    expect(decision).toMatchObject({ ruleId: "emea", repId: "eve", fellThroughRuleIds: ["dach"] });
    expect(decision.summary).toContain('rule "dach" matched but pool "dach" could not take it');

    const { decision: na } = route(american, config, emptyRoutingState(), MONDAY_10_UTC);
    // 06:00 in New York: outside hours; dan is inactive.
    expect(na.candidates.map((c) => c.skipReason)).toEqual(["outside_working_hours", "unavailable"]);
    expect(na).toMatchObject({ outcome: "queued", queueReason: "no_rep_available", queueId: "unassigned" });
  });

  it.each([
    {
      name: "no rule matched",
      lead: brazilian,
      queueReason: "no_rule_matched",
      summary: 'no rule matched; queued in "leads-inbox"',
    },
    {
      name: "every matching pool is out of hours (Sunday)",
      lead: germanSmall,
      at: Date.parse("2024-03-10T10:00:00Z"),
      queueReason: "no_rep_available",
      fellThrough: ["dach", "emea"],
    },
  ])("queues the lead in the fallback queue when $name", ({ lead, at, queueReason, summary, fellThrough }) => {
    const config = { ...makeConfig(), fallbackQueueId: "leads-inbox" };
    const state = emptyRoutingState();
    const result = route(lead, config, state, at ?? MONDAY_10_UTC);
    expect(result.decision).toMatchObject({
      outcome: "queued",
      repId: null,
      ruleId: null,
      queueId: "leads-inbox",
      queueReason,
    });
    if (summary) expect(result.decision.summary).toBe(summary);
    if (fellThrough) expect(result.decision.fellThroughRuleIds).toEqual(fellThrough);
    expect(result.state).toEqual(state);
    expect(assignmentFromDecision(result.decision)).toBeNull();
  });

  it("never gives the lead to an excluded rep", () => {
    const { decision } = route(germanSmall, makeConfig(), emptyRoutingState(), MONDAY_10_UTC, {
      excludeRepIds: ["anna"],
    });
    expect(decision).toMatchObject({ repId: "ben", excludedRepIds: ["anna"] });
    expect(decision.candidates.find((c) => c.repId === "anna")?.skipReason).toBe("excluded");
  });

  it("survives a rule pointing at a missing pool and a pool listing a missing rep", () => {
    const config = makeConfig();
    const broken: RoutingConfig = {
      ...config,
      pools: [...config.pools, { id: "ghosts", repIds: ["nobody", "ben"] }],
      rules: [
        { id: "lost", conditions: {}, poolId: "nowhere" },
        { id: "ghosts", conditions: {}, poolId: "ghosts" },
      ],
    };
    const { decision } = route(french, broken, emptyRoutingState(), MONDAY_10_UTC);
    expect(decision.rules.map((r) => r.outcome)).toEqual(["unknown_pool", "chosen"]);
    expect(decision.candidates.map((c) => [c.repId, c.skipReason])).toEqual([
      ["nobody", "unknown_rep"],
      ["ben", null],
    ]);
  });
});

describe("route: determinism and state", () => {
  it("same inputs give the same decision and state, and the inputs are not modified", () => {
    const config = makeConfig();
    const state: RoutingState = { pools: { dach: { credits: { anna: -1, ben: 1 } } } };
    const frozen = structuredClone({ config, state });
    const first = route(germanSmall, config, state, MONDAY_10_UTC);
    const second = route(germanSmall, structuredClone(config), structuredClone(state), MONDAY_10_UTC);
    expect(second).toEqual(first);
    expect({ config, state }).toEqual(frozen);
  });

  it("the order reps are listed in a pool does not change the choice (ties go to the smaller id)", () => {
    const config = makeConfig({ reps: [rep("anna"), rep("ben"), rep("carla"), rep("dan"), rep("eve")] });
    const reversed = { ...config, pools: config.pools.map((p) => ({ ...p, repIds: [...p.repIds].reverse() })) };
    const run = (c: RoutingConfig) => {
      let state = emptyRoutingState();
      return Array.from({ length: 6 }, (_, i) => {
        const result = route({ ...germanSmall, id: `l-${i}` }, c, state, MONDAY_10_UTC);
        state = result.state;
        return result.decision.repId;
      });
    };
    expect(run(config)).toEqual(["anna", "ben", "anna", "ben", "anna", "ben"]);
    expect(run(reversed)).toEqual(run(config));
  });

  it("advances only the chosen pool's credits, and weighted reps take turns", () => {
    let state = emptyRoutingState();
    const picks: (string | null)[] = [];
    for (let i = 0; i < 6; i++) {
      const result = route({ ...germanSmall, id: `l-${i}` }, makeConfig(), state, MONDAY_10_UTC);
      picks.push(result.decision.repId);
      state = result.state;
    }
    expect(picks).toEqual(["anna", "ben", "anna", "anna", "ben", "anna"]);
    expect(Object.keys(state.pools)).toEqual(["dach"]);
  });
});

describe("explainRoute", () => {
  it("shows which rule and rep a lead would get and why, without advancing the round robin", () => {
    const config = makeConfig();
    const state = route(germanSmall, config, emptyRoutingState(), MONDAY_10_UTC).state;
    const preview = explainRoute(germanSmall, config, state, MONDAY_10_UTC);
    const again = explainRoute(germanSmall, config, state, MONDAY_10_UTC);
    const actual = route(germanSmall, config, state, MONDAY_10_UTC).decision;
    expect(again).toEqual(preview);
    expect(preview.decision).toMatchObject({ ruleId: actual.ruleId, repId: actual.repId, trigger: "manual" });
    expect(preview.decision.repId).toBe("ben");
    expect(preview.lines).toEqual([
      'rule "dach-enterprise" → pool "dach-enterprise": does not match (companySize); no match',
      'rule "webinar-na" → pool "na": does not match (territory, campaigns); no match',
      'rule "dach" → pool "dach": matches; chosen',
      'rule "emea" → pool "emea": matches; not reached',
      '  rep "anna" in "dach" (0/20 open, weight 2): eligible',
      '  rep "ben" in "dach" (0/20 open, weight 1): chosen',
      'rule "dach" matched; pool "dach" chose rep "ben" by weighted round robin among 2 of 2 reps',
    ]);
  });
});

describe("assignmentFromDecision", () => {
  it("builds the pending assignment the caller stores", () => {
    const { decision } = route(germanCorp, makeConfig(), emptyRoutingState(), MONDAY_10_UTC);
    expect(assignmentFromDecision(decision)).toEqual({
      leadId: "l-1",
      repId: "anna",
      poolId: "dach-enterprise",
      ruleId: "dach-enterprise",
      assignedAt: MONDAY_10_UTC,
      slaDueAt: MONDAY_10_UTC + 60 * 60_000,
      acceptedAt: null,
      endedAt: null,
    });
  });
});
