import { describe, expect, it } from "vitest";
import { de } from "./de.ts";
import { en } from "./en.ts";
import { localeFromHeader, translator } from "./index.ts";

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("message catalogue", () => {
  it("has a German text for every English key and no extra keys", () => {
    expect(Object.keys(de).sort()).toEqual(Object.keys(en).sort());
  });

  it("uses the same placeholders in both languages and leaves no text empty", () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(de[key].trim(), key).not.toBe("");
      expect(placeholders(de[key]), key).toEqual(placeholders(en[key]));
    }
  });

  it("fills placeholders", () => {
    expect(translator("de")("visitors.events", { n: 3 })).toBe("3 Ereignisse");
    expect(translator("en")("setup.passwordHint", { n: 10 })).toBe("At least 10 characters.");
  });

  it.each([
    ["de-DE,de;q=0.9,en;q=0.8", "de"],
    ["en-GB,en;q=0.9", "en"],
    ["fr-FR,de;q=0.5", "de"],
    ["", "en"],
  ])("Accept-Language %s → %s", (header, locale) => {
    expect(localeFromHeader(header)).toBe(locale);
  });
});
