import { describe, expect, it } from "vitest";
import { checkItem } from "./check-item.ts";
import type { DemoItem } from "./types.ts";

const request = (event: Record<string, unknown>, batch: Record<string, unknown> = {}): DemoItem =>
  ({
    kind: "request",
    at: 1_000,
    ip: "84.1.2.3",
    userAgent: "Mozilla/5.0",
    country: "DE",
    batch: {
      site: "demo",
      visitor: "visitor-1",
      sentAt: 1_000,
      events: [{ id: "event-0001", type: "pageview", time: 1_000, url: "http://localhost/demo/", ...event }],
      ...batch,
    },
  }) as DemoItem;

describe("checkItem", () => {
  it.each<[string, DemoItem]>([
    ["a page view", request({})],
    [
      "a form with traits",
      request({ type: "form", name: "contact", email: "anna@alpenwerk.example", traits: { role: "CMO" } }),
    ],
    [
      "a QR scan",
      { kind: "qr_scan", at: 1, ip: "84.1.2.3", userAgent: "UA", code: "spring-poster", visitor: "visitor-1" },
    ],
    ["a won deal", { kind: "sales", at: 1, email: "anna@alpenwerk.example", action: "win", value: 12_000 }],
  ])("accepts %s", (_name, item) => {
    expect(checkItem(item)).toEqual([]);
  });

  it.each<[string, DemoItem, string]>([
    ["a short id", request({ id: "abc" }), "batch.events.0.id"],
    ["an id with spaces", request({ id: "event 0001" }), "batch.events.0.id"],
    ["an unknown type", request({ type: "hover" }), "batch.events.0.type"],
    ["an unknown field", request({ colour: "red" }), "batch.events.0.colour"],
    ["a javascript: url", request({ url: "javascript:alert(1)" }), "batch.events.0.url"],
    ["a time after sentAt", request({ time: 2_000 }), "after the batch's sentAt"],
    ["scroll above 1", request({ type: "engagement", engagedMs: 10, scroll: 1.5 }), "scroll"],
    ["a form without email", request({ type: "form", name: "contact" }), "form without email"],
    ["a click without name", request({ type: "click" }), "click without name"],
    ["nested props", request({ type: "click", name: "x", props: { a: { b: 1 } } }), "props"],
    ["a numeric trait", request({ type: "identify", email: "a@b.example", traits: { size: 5 } }), "traits"],
    ["an unknown campaign key", request({ campaign: { utm_foo: "x" } }), "campaign"],
    ["an empty batch", request({}, { events: [] }), "batch.events"],
    ["a bad visitor id", request({}, { visitor: "v!" }), "batch.visitor"],
    ["a bad ip", { ...request({}), ip: "300.1.2.3" } as DemoItem, "ip"],
    [
      "a rejection without reason",
      { kind: "sales", at: 1, email: "a@b.example", action: "reject" },
      "reject without reason",
    ],
    ["a negative deal", { kind: "sales", at: 1, email: "a@b.example", action: "win", value: -5 }, "value"],
  ])("flags %s", (_name, item, problem) => {
    const problems = checkItem(item);
    expect(
      problems.some((p) => p.includes(problem)),
      problems.join("; "),
    ).toBe(true);
  });
});
