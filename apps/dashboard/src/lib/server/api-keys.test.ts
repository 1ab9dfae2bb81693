import { describe, expect, it } from "vitest";
import { parseKeyGrant } from "./api-keys.ts";

function form(fields: [string, string][]): FormData {
  const f = new FormData();
  for (const [k, v] of fields) f.append(k, v);
  return f;
}

describe("parseKeyGrant", () => {
  const cases: [string, [string, string][], ReturnType<typeof parseKeyGrant>][] = [
    [
      "read only",
      [
        ["site", "1"],
        ["scopes", "read"],
      ],
      { ok: true, siteId: 1, scopes: ["read"] },
    ],
    [
      "read and write, in a fixed order, once each",
      [
        ["site", "2"],
        ["scopes", "write"],
        ["scopes", "read"],
        ["scopes", "write"],
      ],
      { ok: true, siteId: 2, scopes: ["read", "write"] },
    ],
    [
      "the admin scope (scoring rules as code)",
      [
        ["site", "1"],
        ["scopes", "admin"],
      ],
      { ok: true, siteId: 1, scopes: ["admin"] },
    ],
    [
      "unknown scopes only",
      [
        ["site", "1"],
        ["scopes", "owner"],
      ],
      { ok: false, error: "webhooks.noScopes" },
    ],
    ["no scope", [["site", "1"]], { ok: false, error: "webhooks.noScopes" }],
    [
      "a site that does not exist",
      [
        ["site", "9"],
        ["scopes", "read"],
      ],
      { ok: false, error: "webhooks.badGrant" },
    ],
    ["no site", [["scopes", "read"]], { ok: false, error: "webhooks.badGrant" }],
  ];
  it.each(cases)("%s", (_name, fields, expected) => {
    expect(parseKeyGrant(form(fields), [1, 2])).toEqual(expected);
  });
});
