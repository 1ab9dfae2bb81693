import { describe, expect, it } from "vitest";
import {
  CODE_RE,
  collectorBase,
  generateCode,
  parseLinkForm,
  parseTarget,
  qrPng,
  qrSvg,
  shortUrl,
} from "./campaigns-links.ts";

const SITE = { domains: ["acme.test", "*.acme.example"] };
const form = (fields: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
};

describe("parseTarget", () => {
  const cases: [string, string | undefined][] = [
    ["/pricing?plan=pro#top", "/pricing?plan=pro#top"],
    ["https://acme.test/demo", "https://acme.test/demo"],
    ["https://shop.acme.example/x", "https://shop.acme.example/x"],
    ["https://acme.example/x", "https://acme.example/x"],
    // Anything that would turn the short link into an open redirect, or not a web page at all.
    ["https://evil.test/", undefined],
    ["https://acme.test.evil.test/", undefined],
    ["//evil.test/x", undefined],
    ["/\\evil.test", undefined],
    ["javascript:alert(1)", undefined],
    ["ftp://acme.test/file", undefined],
    ["https://user:pw@acme.test/", undefined],
    ["pricing", undefined],
    ["", undefined],
  ];
  it.each(cases)("%s → %s", (input, expected) => {
    expect(parseTarget(input, SITE)).toBe(expected);
  });
});

describe("parseLinkForm", () => {
  const taken = new Set(["poster"]);
  const isTaken = async (code: string) => taken.has(code);
  const campaign = { utmCampaign: "spring" };
  const valid = { kind: "qr", target: "/pricing", source: "poster", medium: "qr", content: "a3" };

  it("builds the UTM parameters with the campaign's utm_campaign and a generated code", async () => {
    const parsed = await parseLinkForm(form(valid), SITE, campaign, isTaken);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value).toMatchObject({
      kind: "qr",
      target: "/pricing",
      utm: { utm_source: "poster", utm_medium: "qr", utm_campaign: "spring", utm_content: "a3" },
    });
    expect(parsed.value.code).toMatch(CODE_RE);
  });

  it("keeps a chosen code in lower case", async () => {
    const parsed = await parseLinkForm(form({ ...valid, code: "Spring-Poster" }), SITE, campaign, isTaken);
    expect(parsed.ok && parsed.value.code).toBe("spring-poster");
  });

  const invalid: [string, Record<string, string>, string, string][] = [
    ["an unknown kind", { kind: "sms" }, "links.badKind", "kind"],
    ["a target off the site", { target: "https://evil.test/" }, "links.badTarget", "target"],
    ["no source", { source: "" }, "links.utmRequired", "source"],
    ["a medium with spaces", { medium: "print ad" }, "links.badUtm", "medium"],
    ["a code with a slash", { code: "a/b" }, "links.badCode", "code"],
    ["a code of two letters", { code: "ab" }, "links.badCode", "code"],
    ["a code ending in a dash", { code: "abc-" }, "links.badCode", "code"],
    ["a taken code", { code: "poster" }, "links.codeTaken", "code"],
  ];
  it.each(invalid)("refuses %s", async (_name, override, error, field) => {
    expect(await parseLinkForm(form({ ...valid, ...override }), SITE, campaign, isTaken)).toEqual({
      ok: false,
      error,
      field,
    });
  });

  it("requires utm_campaign when the campaign has none and the form leaves it empty", async () => {
    expect(await parseLinkForm(form(valid), SITE, { utmCampaign: null }, isTaken)).toMatchObject({
      ok: false,
      field: "campaign",
    });
  });

  it("generates distinct codes from an alphabet without look-alike characters", () => {
    const codes = new Set(Array.from({ length: 200 }, generateCode));
    expect(codes.size).toBe(200);
    for (const code of codes) expect(code).toMatch(/^[a-hj-km-np-z2-9]{8}$/);
  });
});

describe("QR codes", () => {
  const url = shortUrl(collectorBase(undefined, new URL("https://dash.acme.test/campaigns/1")), "spring-poster");

  it("points at the collector's redirect", () => {
    expect(url).toBe("https://dash.acme.test:8787/r/spring-poster");
    expect(collectorBase("https://t.acme.test/", new URL("http://x/"))).toBe("https://t.acme.test");
  });

  it("renders an SVG document with the modules as a path", async () => {
    const svg = await qrSvg(url);
    expect(svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toMatch(/<path[^>]* d="M[^"]+"/);
  });

  it("renders a PNG of the requested size", async () => {
    const png = await qrPng(url, 512);
    expect([...png.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const view = new DataView(png.buffer, png.byteOffset);
    // IHDR: width and height at bytes 16 and 20.
    expect([view.getUint32(16), view.getUint32(20)]).toEqual([512, 512]);
  });
});
