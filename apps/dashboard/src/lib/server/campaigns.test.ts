import { describe, expect, it } from "vitest";
import { formDays, parseCampaignForm, slugify } from "./campaigns.ts";

const form = (fields: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
};

describe("parseCampaignForm", () => {
  const valid = {
    name: "Spring Launch",
    channel: "print",
    startsOn: "2026-03-01",
    endsOn: "2026-05-31",
    budget: "1200.50",
    owner: "7",
    goal_leads: "100",
    goalPer_leads: "period",
    goal_mqls: "10",
    goalPer_mqls: "month",
  };

  it("accepts a full campaign: dates as a half-open period, utm_campaign from the name, goals in order", () => {
    const parsed = parseCampaignForm(form(valid), [7]);
    expect(parsed).toEqual({
      ok: true,
      value: {
        name: "Spring Launch",
        channel: "print",
        utmCampaign: "spring-launch",
        startsAt: Date.UTC(2026, 2, 1),
        endsAt: Date.UTC(2026, 5, 1),
        budget: 1200.5,
        ownerId: 7,
        goals: [
          { metric: "leads", target: 100, per: "period" },
          { metric: "mqls", target: 10, per: "month" },
        ],
      },
    });
  });

  it("takes the older single MQL goal field as a monthly MQL goal", () => {
    const parsed = parseCampaignForm(form({ name: "Old form", mqlGoal: "3" }), []);
    expect(parsed.ok && parsed.value.goals).toEqual([{ metric: "mqls", target: 3, per: "month" }]);
  });

  const invalid: [string, Record<string, string>, string, string][] = [
    ["no name", { name: " " }, "campaigns.nameRequired", "name"],
    ["a name over 200 characters", { name: "x".repeat(201) }, "campaigns.tooLong", "name"],
    ["a utm_campaign with spaces", { utmCampaign: "spring launch" }, "campaigns.badUtm", "utmCampaign"],
    ["a start that is not a day", { startsOn: "03/01/2026" }, "campaigns.badDate", "startsOn"],
    ["an end before the start", { endsOn: "2026-02-01" }, "campaigns.endBeforeStart", "endsOn"],
    ["a negative budget", { budget: "-1" }, "campaigns.badBudget", "budget"],
    ["a budget that is not a number", { budget: "lots" }, "campaigns.badBudget", "budget"],
    ["an owner not in the list", { owner: "8" }, "campaigns.badOwner", "owner"],
    ["a fractional goal", { goal_won: "1.5" }, "campaigns.badGoal", "goal_won"],
    ["a zero goal", { goal_sqls: "0" }, "campaigns.badGoal", "goal_sqls"],
    ["an unknown goal span", { goalPer_mqls: "week" }, "campaigns.badGoal", "goalPer_mqls"],
    ["a period goal without an end", { endsOn: "" }, "campaigns.periodGoalNeedsDates", "goalPer_leads"],
  ];
  it.each(invalid)("refuses %s", (_name, override, error, field) => {
    expect(parseCampaignForm(form({ ...valid, ...override }), [7])).toEqual({ ok: false, error, field });
  });

  it("derives a URL-safe utm_campaign from any name", () => {
    expect([slugify("Frühjahrs-Aktion 2026!"), slugify("  Webinar: Q3  ")]).toEqual([
      "fruhjahrs-aktion-2026",
      "webinar-q3",
    ]);
  });
});

describe("campaign form days", () => {
  it("shows a stored end instant as the inclusive end day", () => {
    expect(formDays({ startsAt: Date.UTC(2026, 3, 1), endsAt: Date.UTC(2026, 4, 1) })).toEqual({
      startsOn: "2026-04-01",
      endsOn: "2026-04-30",
    });
    expect(formDays({ startsAt: null, endsAt: null })).toEqual({ startsOn: "", endsOn: "" });
  });
});
