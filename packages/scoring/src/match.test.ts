import { describe, expect, it } from "vitest";
import { emailDomain, isFreeMailDomain } from "./free-mail.ts";
import { globMatch } from "./glob.ts";

describe("glob", () => {
  const cases: [string, string, boolean][] = [
    ["*/pricing*", "/pricing", true],
    ["*/pricing*", "/de/pricing/enterprise", true],
    ["*/pricing*", "/pricingless", true],
    ["*/pricing*", "/about", false],
    ["*.pdf", "/a/b/Guide.PDF", true],
    ["/blog/?", "/blog/a", true],
    ["/blog/?", "/blog/ab", false],
    ["/a+b(c)", "/a+b(c)", true],
    ["/a.c", "/abc", false],
    ["exact", "EXACT", true],
  ];
  for (const [pattern, value, hit] of cases) {
    it(`${pattern} ~ ${value} → ${hit}`, () => {
      expect(globMatch(pattern, value)).toBe(hit);
    });
  }
});

describe("free mail", () => {
  it("recognises providers, their subdomains and extra domains", () => {
    expect(isFreeMailDomain("gmail.com")).toBe(true);
    expect(isFreeMailDomain("mail.gmx.net")).toBe(true);
    expect(isFreeMailDomain("acme.de")).toBe(false);
    expect(isFreeMailDomain("mymail.example", ["mymail.example"])).toBe(true);
    expect(emailDomain("  A@B.De")).toBe("b.de");
    expect(emailDomain("nobody")).toBeUndefined();
  });
});
