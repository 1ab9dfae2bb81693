import { describe, expect, it } from "vitest";
import { pathOf, referrerDomain, urlParts } from "./enrich.ts";
import { hostOf } from "./submit.ts";

describe("URL enrichment (memoised)", () => {
  it.each([
    ["https://acme.test/pricing?x=1#top", "acme.test", "/pricing"],
    ["http://WWW.Acme.test", "www.acme.test", "/"],
    ["javascript:alert(1)", "", undefined],
    ["not a url", undefined, undefined],
  ])("%s → host %s, path %s — the same on a second (cached) call", (url, host, path) => {
    for (let i = 0; i < 2; i++) {
      expect([hostOf(url), pathOf(url)]).toEqual([host, path]);
    }
  });

  it("names the referrer's domain without www, and none for the page's own host", () => {
    expect(referrerDomain("https://www.google.com/search?q=x", "acme.test")).toBe("google.com");
    expect(referrerDomain("https://www.acme.test/blog", "acme.test")).toBeUndefined();
    expect(referrerDomain("garbage", "acme.test")).toBeUndefined();
  });

  it("does not remember very long strings (unbounded memory from attackers' URLs)", () => {
    const long = `https://acme.test/${"a".repeat(600)}`;
    expect(urlParts(long)).not.toBe(urlParts(long));
    expect(urlParts("https://acme.test/short")).toBe(urlParts("https://acme.test/short"));
  });
});
