import { describe, expect, it } from "vitest";
import { RULE_TEMPLATES } from "./rule-templates.ts";
import { validateRule } from "./validate.ts";

describe("RULE_TEMPLATES", () => {
  it("offers six templates with distinct ids", () => {
    expect(RULE_TEMPLATES.map((t) => t.id)).toEqual([
      "pricing-page",
      "demo-request",
      "newsletter",
      "whitepaper",
      "careers-negative",
      "free-mail-negative",
    ]);
  });

  it.each(RULE_TEMPLATES.map((t) => [t.id, t] as const))("%s is a valid rule as the builder adds it", (id, t) => {
    expect(validateRule({ id, ...t.rule })).toEqual([]);
    expect(t.label.en).not.toBe(t.label.de);
    expect(t.rule.label.en).not.toBe(t.rule.label.de);
  });

  // The seed article's scale: a demo request is worth most, job interest and free mail take points away.
  it.each([
    ["pricing-page", 10, { perDay: 1 }],
    ["demo-request", 30, { once: true }],
    ["newsletter", 7, { once: true }],
    ["whitepaper", 10, { perDay: 2, total: 5 }],
    ["careers-negative", -10, { perDay: 1 }],
    ["free-mail-negative", -5, undefined],
  ] as const)("%s gives %i points with caps %o", (id, points, caps) => {
    const rule = RULE_TEMPLATES.find((x) => x.id === id)?.rule as { points?: number; caps?: unknown } | undefined;
    expect(rule?.points).toBe(points);
    expect(rule?.caps).toEqual(caps);
  });
});
