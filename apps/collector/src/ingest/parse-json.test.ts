import { jsonNestsDeeperThan } from "@leadtrail/db";
import { describe, expect, it } from "vitest";
import { ApiError } from "../errors.ts";
import { MAX_JSON_DEPTH, parseJsonBody } from "./parse-json.ts";
import { parseBatch, parseIdentify, parsePixel } from "./schema.ts";

describe("jsonNestsDeeperThan", () => {
  it.each([
    ["flat", '{"a":1}', 1, false],
    ["exactly the limit", "[[[]]]", 3, false],
    ["one over the limit", "[[[[]]]]", 3, true],
    ["objects and arrays mixed", '{"a":[{"b":[1]}]}', 3, true],
    ["brackets inside strings do not count", `["${"[".repeat(50)}"]`, 3, false],
    ["an escaped quote does not end the string", String.raw`["\"[[[[[[[["]`, 3, false],
    ["an escaped backslash does end it", String.raw`["\\",[[[[]]]]]`, 3, true],
    ["siblings do not add up", "[[],[],[],[],[]]", 2, false],
    ["text shorter than the limit is not scanned", "[[[", 16, false],
  ])("%s", (_name, text, max, expected) => {
    expect(jsonNestsDeeperThan(text, max)).toBe(expected);
  });
});

describe("parseJsonBody", () => {
  it("makes every key and string well-formed (lone surrogate escapes become U+FFFD)", () => {
    const parsed = parseJsonBody(String.raw`{"t":"\ud800x","\udc00k":["\ud83d\ude00","\\ud800"]}`);
    expect(parsed).toEqual({ t: "\ufffdx", "\ufffdk": ["😀", "\\ud800"] });
  });

  it.each([
    ["invalid JSON", "{", "body is not valid JSON"],
    ["nesting over the limit", "[".repeat(MAX_JSON_DEPTH + 1) + "]".repeat(MAX_JSON_DEPTH + 1), "nested deeper"],
  ])("refuses %s with 400", (_name, text, message) => {
    try {
      parseJsonBody(text);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).code).toBe("bad_request");
      expect((error as ApiError).message).toContain(message);
    }
  });
});

describe("schemas make text well-formed even when the parser let a lone surrogate through", () => {
  const event = { id: "evt_00000001", type: "pageview", time: 1, url: "https://a.test/\ud800" };

  it("batch fields, props keys and values, traits", () => {
    const parsed = parseBatch({
      site: "s",
      sentAt: 1,
      events: [{ ...event, title: "\udc00", props: { "k\ud800": "v\udfff" }, traits: { "\ud800": "\ud800" } }],
    });
    if (!parsed.ok) throw new Error(parsed.reason);
    const e = parsed.batch.events[0];
    expect([e?.url, e?.title]).toEqual(["https://a.test/\ufffd", "\ufffd"]);
    expect(e?.props).toEqual({ "k\ufffd": "v\ufffd" });
    expect(e?.traits).toEqual({ "\ufffd": "\ufffd" });
  });

  it("identify traits and pixel parameters", () => {
    const identify = parseIdentify({ site: "s", email: "a@b.test", traits: { name: "A\ud800" } });
    expect(identify.ok && identify.value.traits).toEqual({ name: "A\ufffd" });
    const pixel = parsePixel({ site: "s", u: "https://a.test/\ud800", n: "\udc00", utm_source: "x\ud800" });
    expect(pixel.ok && [pixel.value.u, pixel.value.n, pixel.value.utm_source]).toEqual([
      "https://a.test/\ufffd",
      "\ufffd",
      "x\ufffd",
    ]);
  });
});
