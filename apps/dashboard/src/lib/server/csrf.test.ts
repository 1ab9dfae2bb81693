import { describe, expect, it } from "vitest";
import { isCrossSiteWrite } from "./csrf.ts";

const APP = "https://dash.example";

function req(method: string, headers: Record<string, string>) {
  return new Request(`${APP}/api/me`, { method, headers });
}

describe("isCrossSiteWrite", () => {
  const cases: [string, string, Record<string, string>, boolean][] = [
    ["GET from anywhere", "GET", { origin: "https://evil.example" }, false],
    ["same-origin JSON PATCH", "PATCH", { origin: APP, "content-type": "application/json" }, false],
    ["cross-origin JSON POST", "POST", { origin: "https://evil.example", "content-type": "application/json" }, true],
    ["cross-origin DELETE", "DELETE", { origin: "https://evil.example" }, true],
    ["same host, other scheme", "POST", { origin: "http://dash.example" }, true],
    ["opaque origin (sandboxed iframe)", "POST", { origin: "null" }, true],
    ["no Origin but same-origin fetch metadata", "POST", { "sec-fetch-site": "same-origin" }, false],
    ["no Origin, cross-site fetch metadata", "POST", { "sec-fetch-site": "cross-site" }, true],
    ["neither header", "PUT", {}, true],
  ];
  it.each(cases)("%s", (_name, method, headers, expected) => {
    expect(isCrossSiteWrite(req(method, headers), APP)).toBe(expected);
  });
});
