import { describe, expect, it } from "vitest";
import { homeFor, rolesFor } from "./access.ts";

describe("rolesFor", () => {
  const cases: [string | null, string[] | undefined][] = [
    ["/", ["admin", "marketer"]],
    ["/behaviour", ["admin", "marketer"]],
    ["/scoring", ["admin", "marketer"]],
    ["/campaigns/[id]", ["admin", "marketer"]],
    ["/campaigns/[id]/links/[link]/qr.svg", ["admin", "marketer"]],
    ["/campaigns/[id]/links/[link]/qr.png", ["admin", "marketer"]],
    ["/settings", ["admin"]],
    ["/personas", ["admin", "marketer", "sales"]],
    ["/nurture", ["admin", "marketer", "sales"]],
    ["/leads", ["admin", "marketer", "sales"]],
    ["/leads/[id]", ["admin", "marketer", "sales"]],
    ["/api/me", ["admin", "marketer", "sales"]],
    ["/my-leads", ["admin", "marketer", "sales"]],
    ["/my-leads/export.csv", ["admin", "marketer", "sales"]],
    ["/notifications", ["admin", "marketer", "sales"]],
    ["/api/notifications/stream", ["admin", "marketer", "sales"]],
    ["/settings/routing", ["admin"]],
    ["/settings/webhooks", ["admin"]],
    ["/login", undefined],
    ["/setup", undefined],
    ["/invite/[token]", undefined],
    [null, undefined],
    // A route nobody listed still needs a log-in: forgetting the table must not open a page.
    ["/something-new", ["admin", "marketer", "sales"]],
  ];
  it.each(cases)("%s → %j", (route, roles) => {
    expect(rolesFor(route)).toEqual(roles);
  });

  it("sends sales to their leads and the others to the overview", () => {
    expect([homeFor("sales"), homeFor("marketer"), homeFor("admin")]).toEqual(["/my-leads", "/", "/"]);
  });
});
