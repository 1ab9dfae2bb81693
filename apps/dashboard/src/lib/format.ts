import type { Locale } from "./i18n/index.ts";

/** A whole number in the user's language (1,234 / 1.234). */
export function formatNumber(locale: Locale, n: number, digits = 0): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(n);
}

/** A 0–1 ratio as a percentage with one decimal. */
export function formatPercent(locale: Locale, ratio: number): string {
  return new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 }).format(ratio);
}

/** A duration in ms as the largest sensible unit: 42 s, 3.5 min, 2.1 h, 4.2 d. */
export function formatDuration(locale: Locale, ms: number): string {
  const units: [number, Intl.NumberFormatOptions["unit"]][] = [
    [86_400_000, "day"],
    [3_600_000, "hour"],
    [60_000, "minute"],
    [1000, "second"],
  ];
  for (const [size, unit] of units) {
    if (ms >= size || unit === "second") {
      return new Intl.NumberFormat(locale, {
        style: "unit",
        unit,
        unitDisplay: "short",
        maximumFractionDigits: 1,
      }).format(ms / size);
    }
  }
  return "";
}

/** A date and time in the user's language. */
export function formatDateTime(locale: Locale, ms: number): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }).format(ms);
}
