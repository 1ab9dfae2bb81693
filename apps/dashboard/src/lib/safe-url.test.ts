import { describe, expect, it } from "vitest";
import { safeHref } from "./safe-url.ts";

describe("safeHref", () => {
  const cases: [string | null, string | null][] = [
    ["https://acme.test/a?b=1", "https://acme.test/a?b=1"],
    ["http://acme.test/", "http://acme.test/"],
    ["javascript:alert(1)", null],
    [" JavaScript:alert(1)", null],
    ["data:text/html,<script>alert(1)</script>", null],
    ["/relative", null],
    [null, null],
  ];
  it.each(cases)("%s", (url, expected) => {
    expect(safeHref(url)).toBe(expected);
  });
});
