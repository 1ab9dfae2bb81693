import { describe, expect, it } from "vitest";
import { safeNext } from "./redirect.ts";

const ORIGIN = "https://dash.example.test";

// [next, where the browser is sent]
const CASES: [string, string | null, string][] = [
  ["same-site path", "/leads/12?stage=mql", "/leads/12?stage=mql"],
  ["path with fragment", "/my-leads#top", "/my-leads#top"],
  ["absolute URL of this origin", `${ORIGIN}/funnel`, "/funnel"],
  ["nothing", null, "/"],
  ["empty", "", "/"],
  ["protocol-relative", "//evil.example/phish", "/"],
  ["tab between the slashes", "/\t/evil.example/phish", "/"],
  ["newline between the slashes", "/\n/evil.example/phish", "/"],
  ["carriage return", "/\r/evil.example", "/"],
  ["newline in a path", "/leads\nSet-Cookie: x=1", "/"],
  ["NUL", "/leads\u0000", "/"],
  ["DEL", "/\u007f/evil.example", "/"],
  ["line separator", "/\u2028/evil.example", "/"],
  ["backslash after the slash", "/\\evil.example", "/"],
  ["backslashes only", "\\\\evil.example", "/"],
  ["another origin", "https://evil.example/phish", "/"],
  ["another origin, same host, other scheme", "http://dash.example.test/leads", "/"],
  ["another origin, other port", "https://dash.example.test:8443/leads", "/"],
  ["scheme-relative with credentials", "//user@evil.example", "/"],
  // The URL parser (like a browser) reads a same-scheme URL without slashes as a relative path.
  ["https: without slashes stays a path here", "https:evil.example", "/evil.example"],
  ["http: without slashes", "http:evil.example", "/"],
  ["javascript:", "javascript:alert(1)", "/"],
  ["JavaScript: in capitals", "JaVaScRiPt:alert(1)", "/"],
  ["data:", "data:text/html,<script>alert(1)</script>", "/"],
  // searchParams decode once: an encoded attack arrives decoded and is refused above; a doubly
  // encoded one stays a literal path segment of this origin.
  ["doubly encoded slashes stay a path here", "/%2F%2Fevil.example", "/%2F%2Fevil.example"],
  ["encoded tab stays a path here", "/%09/evil.example", "/%09/evil.example"],
  ["far too long", `/${"a".repeat(3000)}`, "/"],
];

describe("safeNext", () => {
  it.each(CASES)("%s", (_name, next, expected) => {
    expect(safeNext(next, ORIGIN)).toBe(expected);
  });

  it("never returns a target a browser would read as another host", () => {
    for (const [, next] of CASES) {
      const target = new URL(safeNext(next, ORIGIN), ORIGIN);
      expect(target.origin).toBe(ORIGIN);
    }
  });
});
