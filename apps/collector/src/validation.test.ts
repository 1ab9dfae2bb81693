import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { issueReason, parseEnv } from "./validation.ts";

const schema = v.object({
  site: v.pipe(v.string(), v.minLength(3, "too short")),
  events: v.array(v.object({ id: v.string("expected text") })),
});

describe("issueReason", () => {
  it.each([
    ["names a field", { site: "a", events: [] }, "body", "", "site: too short"],
    [
      "names a nested field",
      { site: "abc", events: [{ id: "x" }, { id: 1 }] },
      "body",
      "",
      "events.1.id: expected text",
    ],
    ["prefixes a nested input's path", { site: "a", events: [] }, "body", "batch.", "batch.site: too short"],
  ])("%s", (_name, input, fallback, prefix, reason) => {
    const result = v.safeParse(schema, input);
    expect(result.success).toBe(false);
    expect(issueReason(result.issues ?? [], fallback, prefix)).toBe(reason);
  });

  it("falls back to the input's name for an issue without a path", () => {
    const result = v.safeParse(schema, "not an object");
    expect(issueReason(result.issues ?? [], "body")).toMatch(/^body: /);
  });
});

describe("parseEnv", () => {
  const env = v.object({ PORT: v.optional(v.pipe(v.string(), v.transform(Number), v.integer()), "8080") });
  it("parses with defaults", () => {
    expect(parseEnv(env, {})).toEqual({ PORT: 8080 });
    expect(parseEnv(env, { PORT: "9000", OTHER: "x" })).toEqual({ PORT: 9000 });
  });
  it("stops with the variable's name and the problem", () => {
    expect(() => parseEnv(env, { PORT: "nine" })).toThrow(/^invalid configuration: PORT: /);
  });
});
