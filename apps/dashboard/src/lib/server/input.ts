import * as v from "valibot";

// Parsers for what forms and query strings send: ids, enum choices, numbers, calendar days.
// Every action and load reads request values through these at the boundary, so a malformed
// value is a 400 with a message the page can show, never NaN reaching libSQL (a 500).

/** A database row id as text: 1 … 2^53−1, plain decimal digits (no sign, exponent or fraction). */
export const IdSchema = v.pipe(
  v.string(),
  v.trim(),
  v.regex(/^[1-9]\d{0,15}$/, "not a record id"),
  v.transform(Number),
  v.safeInteger("not a record id"),
);

/** A calendar day `YYYY-MM-DD` that exists (2026-02-30 is refused, not rolled into March). */
export const DaySchema = v.pipe(v.string(), v.trim(), v.check(isCalendarDay, "not a calendar day (YYYY-MM-DD)"));

/** The message keys actions return for a field they could not read. */
export type InputError = "input.badId" | "input.badChoice" | "input.badNumber" | "input.badDate";

/** A form field or query value as text, or undefined when absent (files count as absent). */
function textOf(value: FormDataEntryValue | string | null | undefined): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** The record id in `value`, or undefined when it is missing or not an id ("abc", "1e3", "-1", "1.5"). */
export function parseId(value: FormDataEntryValue | string | null | undefined): number | undefined {
  const parsed = v.safeParse(IdSchema, textOf(value));
  return parsed.success ? parsed.output : undefined;
}

/** `value` if it is one of `choices`, else undefined. */
export function parseChoice<const T extends string>(
  value: FormDataEntryValue | string | null | undefined,
  choices: readonly T[],
): T | undefined {
  const text = textOf(value)?.trim();
  return text !== undefined && (choices as readonly string[]).includes(text) ? (text as T) : undefined;
}

/**
 * A plain decimal number (`12`, `-3.5`) as a number; NaN for anything `Number()` would also read
 * but a form should not ("0x1F", "1e3", "Infinity", " ", ""), so range checks after it refuse them.
 */
export function strictNumber(value: FormDataEntryValue | string | null | undefined): number {
  const text = textOf(value)?.trim() ?? "";
  return /^-?\d{1,16}(\.\d{1,12})?$/.test(text) ? Number(text) : Number.NaN;
}

/**
 * A finite decimal number within [min, max], or undefined for anything else: empty, "NaN",
 * "Infinity", "1e999", hex, or a value out of range. `integer` also refuses fractions.
 */
export function parseNumber(
  value: FormDataEntryValue | string | null | undefined,
  range: { min: number; max: number; integer?: boolean },
): number | undefined {
  const n = strictNumber(value);
  if (!Number.isFinite(n) || n < range.min || n > range.max) return undefined;
  if (range.integer && !Number.isInteger(n)) return undefined;
  return n;
}

/** True for `YYYY-MM-DD` naming a day that exists in the proleptic Gregorian calendar (years 1000–9999). */
export function isCalendarDay(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < 1000 || month < 1 || month > 12 || day < 1) return false;
  // Day 0 of the next month is the last day of this one.
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The calendar day in `value` (trimmed), undefined when absent or empty, null when it does not exist. */
export function parseDay(value: FormDataEntryValue | string | null | undefined): string | null | undefined {
  const text = textOf(value)?.trim();
  if (!text) return undefined;
  return isCalendarDay(text) ? text : null;
}
