import { describe, expect, it } from "vitest";
import { linkKind } from "./links.ts";

describe("linkKind", () => {
  const cases: [string, ReturnType<typeof linkKind>][] = [
    ["https://other.example/page", "outbound"],
    ["http://shop.example:8080/", "outbound"],
    ["https://shop.example/pricing", undefined],
    ["https://shop.example/files/Report.PDF", "download"],
    ["https://shop.example/a/sheet.xlsx?v=2", "download"],
    ["https://cdn.example/file.zip", "outbound"],
    ["mailto:someone@example.com", undefined],
    ["tel:+4912345", undefined],
    ["javascript:void(0)", undefined],
  ];
  it.each(cases)("%s → %s", (href, kind) => {
    expect(linkKind(new URL(href), "shop.example")).toBe(kind);
  });
});
