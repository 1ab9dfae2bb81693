import { describe, expect, it } from "vitest";
import { randomId } from "./ids.ts";

describe("randomId", () => {
  it("makes ids the collector accepts, all different", () => {
    const ids = Array.from({ length: 1000 }, randomId);
    for (const id of ids) expect(id).toMatch(/^[\w-]{8,64}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
