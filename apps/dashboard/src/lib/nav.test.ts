import { describe, expect, it } from "vitest";
import { isCurrent, NAV_GROUPS, navFor } from "./nav.ts";

const hrefs = (role: string) => navFor(role).flatMap((g) => g.links.map((l) => l.href));
const ALL_HREFS = NAV_GROUPS.flatMap((g) => g.links.map((l) => l.href));

describe("navFor", () => {
  it("gives a sales rep the pipeline only, with My leads first", () => {
    const groups = navFor("sales");
    expect(groups.map((g) => g.id)).toEqual(["pipeline"]);
    expect(hrefs("sales")[0]).toBe("/my-leads");
    for (const page of ["/", "/behaviour", "/content", "/funnel", "/campaigns", "/visitors", "/scoring", "/settings"]) {
      expect(hrefs("sales")).not.toContain(page);
    }
  });

  it.each([
    ["admin", ["analytics", "pipeline", "setup"], true],
    ["marketer", ["analytics", "pipeline", "setup"], false],
  ] as const)("groups %s's pages as Analytics, Pipeline, Setup", (role, ids, settings) => {
    expect(navFor(role).map((g) => g.id)).toEqual(ids);
    expect(hrefs(role)[0]).toBe("/");
    expect(hrefs(role).includes("/settings")).toBe(settings);
  });

  it("shows nothing to someone without a role", () => {
    expect(navFor(undefined)).toEqual([]);
  });
});

describe("isCurrent", () => {
  it.each([
    ["/", "/", true],
    ["/", "/behaviour", false],
    ["/campaigns", "/campaigns/3", true],
    ["/settings", "/settings/routing", false],
    ["/settings/routing", "/settings/routing", true],
    ["/settings", "/settings/webhooks", true],
    ["/leads", "/leads/7", true],
    ["/leads", "/my-leads", false],
  ])("%s is current on %s: %s", (href, path, expected) => {
    expect(isCurrent(href, path, ALL_HREFS)).toBe(expected);
  });
});
