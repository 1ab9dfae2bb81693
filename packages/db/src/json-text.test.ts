import { createClient } from "@libsql/client";
import { describe, expect, it } from "vitest";
import { sqlJson, wellFormedJsonText } from "./json-text.ts";

describe("wellFormedJsonText", () => {
  it.each([
    ["a lone high surrogate escape", String.raw`["\ud800x"]`, String.raw`["\ufffdx"]`],
    ["a lone low surrogate escape", String.raw`["\udc00"]`, String.raw`["\ufffd"]`],
    ["upper-case hex digits", String.raw`["\uD9FF"]`, String.raw`["\ufffd"]`],
    ["a high escape followed by a high escape", String.raw`["\ud800\ud800"]`, String.raw`["\ufffd\ufffd"]`],
    ["a low escape before a high escape (wrong order)", String.raw`["\udc00\ud800"]`, String.raw`["\ufffd\ufffd"]`],
    ["a valid escaped pair (kept)", String.raw`["\ud83d\ude00"]`, String.raw`["\ud83d\ude00"]`],
    ["an escaped backslash before ud800 (literal text, kept)", String.raw`["\\ud800"]`, String.raw`["\\ud800"]`],
    ["an escaped backslash then a real escape", String.raw`["\\\ud800"]`, String.raw`["\\\ufffd"]`],
    ["control character escapes (kept)", String.raw`["\u0000\u001f\n"]`, String.raw`["\u0000\u001f\n"]`],
    ["ordinary BMP escapes (kept)", String.raw`["\u00e9\ud7ff\ue000"]`, String.raw`["\u00e9\ud7ff\ue000"]`],
    ["a raw lone surrogate", '["a\ud800"]', '["a\ufffd"]'],
    ["nothing to fix", '{"k":"Grüße 😀"}', '{"k":"Grüße 😀"}'],
  ])("%s", (_name, input, expected) => {
    expect(wellFormedJsonText(input)).toBe(expected);
    // Whatever came in, the result parses to well-formed strings.
    expect(JSON.stringify(JSON.parse(wellFormedJsonText(input))).isWellFormed()).toBe(true);
  });
});

describe("sqlJson", () => {
  it("keeps JSON.stringify's result for well-formed values", () => {
    const value = { title: 'Grüße "quoted" \\ 😀', n: 1, list: [null, true], ctl: "\u0000\u0007" };
    expect(sqlJson(value)).toBe(JSON.stringify(value));
  });

  it("hands SQLite JSON whose decoded text is valid UTF-8 (keys, values, nested JSON text)", async () => {
    const client = createClient({ url: ":memory:" });
    const props = { "k\udc01": "v\ud800", ok: "😀" };
    const payload = [["t\udfff", sqlJson(props)]];
    const rows = await client.execute({
      sql: "SELECT hex(value->>0) AS title, hex(value->>1) AS props, hex((value->>1)->>'$.\"k\uFFFD\"') AS v FROM json_each(?)",
      args: [sqlJson(payload)],
    });
    const decode = (hex: unknown) =>
      new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(Buffer.from(String(hex), "hex")));
    const row = rows.rows[0] as unknown as { title: string; props: string; v: string };
    expect(decode(row.title)).toBe("t\ufffd");
    expect(JSON.parse(decode(row.props))).toEqual({ "k\ufffd": "v\ufffd", ok: "😀" });
    expect(decode(row.v)).toBe("v\ufffd");
    client.close();
  });
});
