import { de } from "./de.ts";
import { en, type MessageKey } from "./en.ts";

export type { MessageKey } from "./en.ts";
export const LOCALES = ["en", "de"] as const;
export type Locale = (typeof LOCALES)[number];

/** The one message catalogue: every UI string, per language, under the same typed keys. */
export const CATALOGUES: Record<Locale, Record<MessageKey, string>> = { en, de };

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** A locale from user input (a stored preference, a form field), English when unknown. */
export function toLocale(value: unknown): Locale {
  return value === "de" ? "de" : "en";
}

/** The best supported language of an Accept-Language header, for pages before log-in. */
export function localeFromHeader(header: string | null): Locale {
  for (const part of (header ?? "").split(",")) {
    const tag = part.split(";")[0]?.trim().slice(0, 2).toLowerCase();
    if (tag === "de" || tag === "en") return tag;
  }
  return "en";
}

/** A translate function for one language; `{name}` placeholders take `params.name`. */
export function translator(locale: Locale): Translate {
  const messages = CATALOGUES[locale];
  return (key, params) => {
    const text = messages[key];
    return params ? text.replace(/\{(\w+)\}/g, (m, name: string) => String(params[name] ?? m)) : text;
  };
}
