import { describe, expect, it } from "vitest";
import { LruMap } from "./lru.ts";

describe("LruMap", () => {
  it("forgets the least recently used entry beyond its bound", () => {
    const lru = new LruMap<string, number>(2);
    lru.set("a", 1);
    lru.set("b", 2);
    expect(lru.get("a")).toBe(1); // a is now newer than b
    lru.set("c", 3);
    expect([lru.has("a"), lru.has("b"), lru.has("c"), lru.size]).toEqual([true, false, true, 2]);
  });

  it("replaces a value without growing, and keeps nothing with a bound of 0", () => {
    const lru = new LruMap<string, number>(2);
    lru.set("a", 1);
    lru.set("a", 2);
    expect([lru.get("a"), lru.size]).toEqual([2, 1]);
    const none = new LruMap<string, number>(0);
    none.set("a", 1);
    expect(none.get("a")).toBeUndefined();
  });
});
