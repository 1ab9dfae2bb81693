import { describe, expect, it } from "vitest";
import { assignmentFromDecision, emptyRoutingState, route } from "./route.ts";
import { findSlaBreaches, rerouteAfterSlaBreach, slaWarningAt } from "./sla.ts";
import type { Assignment, Rep, RoutableLead, RoutingConfig } from "./types.ts";

const T0 = Date.parse("2024-03-11T10:00:00Z");
const MIN = 60_000;

const pending = (leadId: string, extra: Partial<Assignment> = {}): Assignment => ({
  leadId,
  repId: "anna",
  poolId: "dach",
  ruleId: "dach",
  assignedAt: T0,
  slaDueAt: T0 + 30 * MIN,
  acceptedAt: null,
  endedAt: null,
  ...extra,
});

describe("findSlaBreaches", () => {
  it.each([
    { name: "pending and due in the future", a: pending("l"), now: T0 + 29 * MIN, breached: false },
    { name: "pending and due exactly now", a: pending("l"), now: T0 + 30 * MIN, breached: true },
    { name: "pending and overdue", a: pending("l"), now: T0 + 45 * MIN, breached: true },
    { name: "accepted in time", a: pending("l", { acceptedAt: T0 + 5 * MIN }), now: T0 + 45 * MIN, breached: false },
    {
      name: "accepted late (already handled)",
      a: pending("l", { acceptedAt: T0 + 40 * MIN }),
      now: T0 + 45 * MIN,
      breached: false,
    },
    {
      name: "ended (reassigned, re-routed)",
      a: pending("l", { endedAt: T0 + 10 * MIN }),
      now: T0 + 45 * MIN,
      breached: false,
    },
    { name: "pool without SLA", a: pending("l", { slaDueAt: null }), now: T0 + 9999 * MIN, breached: false },
  ])("$name → breached: $breached", ({ a, now, breached }) => {
    expect(findSlaBreaches([a], now).length).toBe(breached ? 1 : 0);
  });

  it("reports how late, ordered by due time then lead id", () => {
    const breaches = findSlaBreaches(
      [
        pending("l-b", { slaDueAt: T0 + 20 * MIN }),
        pending("l-c", { slaDueAt: T0 + 10 * MIN, repId: "ben" }),
        pending("l-a", { slaDueAt: T0 + 20 * MIN }),
        pending("l-d", { slaDueAt: T0 + 90 * MIN }),
      ],
      T0 + 30 * MIN,
    );
    expect(breaches.map((b) => [b.leadId, b.repId, b.overdueMs])).toEqual([
      ["l-c", "ben", 20 * MIN],
      ["l-a", "anna", 10 * MIN],
      ["l-b", "anna", 10 * MIN],
    ]);
  });
});

describe("rerouteAfterSlaBreach", () => {
  const rep = (id: string, extra: Partial<Rep> = {}): Rep => ({
    id,
    weight: 1,
    capacity: 10,
    openLeads: 0,
    timeZone: "UTC",
    ...extra,
  });
  const config: RoutingConfig = {
    reps: [rep("anna"), rep("ben"), rep("carla")],
    pools: [
      { id: "dach", repIds: ["anna", "ben"], slaMinutes: 30 },
      { id: "overflow", repIds: ["carla"], slaMinutes: 60 },
    ],
    rules: [
      { id: "dach", conditions: { regions: ["DACH"] }, poolId: "dach" },
      { id: "overflow", conditions: {}, poolId: "overflow" },
    ],
  };
  const lead: RoutableLead = { id: "l-1", country: "DE" };

  it("an unaccepted lead is found at its SLA and goes to another rep; the miss is recorded", () => {
    const first = route(lead, config, emptyRoutingState(), T0);
    expect(first.decision.repId).toBe("anna");
    const assignment = assignmentFromDecision(first.decision);
    if (!assignment) throw new Error("expected an assignment");

    expect(findSlaBreaches([assignment], T0 + 29 * MIN)).toEqual([]);
    const now = T0 + 31 * MIN;
    const [breach] = findSlaBreaches([assignment], now);
    if (!breach) throw new Error("expected a breach");

    const again = rerouteAfterSlaBreach(lead, breach, config, first.state, now);
    expect(again.miss).toEqual({
      leadId: "l-1",
      repId: "anna",
      poolId: "dach",
      ruleId: "dach",
      assignedAt: T0,
      slaDueAt: T0 + 30 * MIN,
      overdueMs: MIN,
      detectedAt: now,
    });
    expect(again.decision).toMatchObject({
      trigger: "sla_reroute",
      outcome: "assigned",
      repId: "ben",
      ruleId: "dach",
      excludedRepIds: ["anna"],
      slaDueAt: now + 30 * MIN,
      at: now,
    });
    expect(again.decision.candidates.find((c) => c.repId === "anna")?.skipReason).toBe("excluded");
  });

  it("excludes the rep who missed even when the round robin would pick them next", () => {
    // With these credits anna is due next; the re-route must still pass her over.
    const state = { pools: { dach: { credits: { anna: 5, ben: -5 } } } };
    const breach = findSlaBreaches([pending("l-1")], T0 + 30 * MIN)[0];
    if (!breach) throw new Error("expected a breach");
    expect(route(lead, config, state, T0).decision.repId).toBe("anna");
    expect(rerouteAfterSlaBreach(lead, breach, config, state, T0 + 30 * MIN).decision.repId).toBe("ben");
  });

  it("falls through to the next rule when the pool's only other reps also missed", () => {
    const breach = findSlaBreaches([pending("l-1", { repId: "ben" })], T0 + 30 * MIN)[0];
    if (!breach) throw new Error("expected a breach");
    const result = rerouteAfterSlaBreach(lead, breach, config, emptyRoutingState(), T0 + 30 * MIN, {
      excludeRepIds: ["anna"],
    });
    expect(result.decision).toMatchObject({ repId: "carla", ruleId: "overflow", fellThroughRuleIds: ["dach"] });
    expect(result.decision.excludedRepIds).toEqual(["anna", "ben"]);
  });

  it("queues the lead when nobody else can take it, and says why", () => {
    const solo: RoutingConfig = { ...config, rules: [config.rules[0] as RoutingConfig["rules"][number]] };
    const breach = findSlaBreaches([pending("l-1")], T0 + 30 * MIN)[0];
    if (!breach) throw new Error("expected a breach");
    const result = rerouteAfterSlaBreach(lead, breach, solo, emptyRoutingState(), T0 + 30 * MIN, {
      excludeRepIds: ["ben"],
    });
    expect(result.decision).toMatchObject({ outcome: "queued", queueReason: "no_rep_available", repId: null });
    expect(result.miss.repId).toBe("anna");
  });
});

describe("slaWarningAt", () => {
  const cases = [
    {
      name: "window before the deadline",
      at: 0,
      due: 4 * 3_600_000,
      window: 900_000,
      expected: 4 * 3_600_000 - 900_000,
    },
    { name: "short SLA: halfway, not at assignment", at: 0, due: 600_000, window: 900_000, expected: 300_000 },
    { name: "zero window warns at the deadline", at: 0, due: 600_000, window: 0, expected: 600_000 },
  ];
  for (const c of cases) {
    it(c.name, () => expect(slaWarningAt(c.at, c.due, c.window)).toBe(c.expected));
  }
});
