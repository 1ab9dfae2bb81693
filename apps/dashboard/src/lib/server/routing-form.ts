import { WEEKDAYS, type WorkingHours } from "@leadtrail/routing";
import { DAY_MS } from "@leadtrail/scoring";
import { isCalendarDay } from "./input.ts";

// Parsing of the routing settings forms: short text a person can type, turned into routing data.

const SPAN = /^([01]\d|2[0-3]):([0-5]\d)-(([01]\d|2[0-3]):[0-5]\d|24:00)$/;

/**
 * Working hours from lines like "mon-fri 09:00-17:00" or "sat 10:00-12:00, 13:00-15:00"; an empty
 * text means "always available" (null). Undefined when a line does not parse or a span ends before
 * it starts.
 */
export function parseWorkingHours(text: string): WorkingHours | null | undefined {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim().toLowerCase())
    .filter(Boolean);
  if (lines.length === 0) return null;
  const hours: Record<string, { start: string; end: string }[]> = {};
  for (const line of lines.slice(0, 14)) {
    const m = /^([a-z]{3})(?:-([a-z]{3}))?\s+(.+)$/.exec(line);
    if (!m) return undefined;
    const first = WEEKDAYS.indexOf(m[1] as (typeof WEEKDAYS)[number]);
    const last = m[2] === undefined ? first : WEEKDAYS.indexOf(m[2] as (typeof WEEKDAYS)[number]);
    if (first < 0 || last < first) return undefined;
    const spans: { start: string; end: string }[] = [];
    for (const part of (m[3] ?? "").split(",").map((p) => p.trim())) {
      const s = SPAN.exec(part);
      if (!s) return undefined;
      const [start, end] = part.split("-") as [string, string];
      if (end <= start) return undefined;
      spans.push({ start, end });
    }
    for (let d = first; d <= last; d++)
      hours[WEEKDAYS[d] as string] = [...(hours[WEEKDAYS[d] as string] ?? []), ...spans];
  }
  return hours as WorkingHours;
}

/** Working hours back as the text the form shows ("mon 09:00-17:00" per line). */
export function formatWorkingHours(hours: unknown): string {
  if (!hours || typeof hours !== "object") return "";
  return WEEKDAYS.flatMap((day) => {
    const spans = (hours as Record<string, { start: string; end: string }[] | undefined>)[day];
    return spans && spans.length > 0 ? [`${day} ${spans.map((s) => `${s.start}-${s.end}`).join(", ")}`] : [];
  }).join("\n");
}

/** A comma-separated list (trimmed, empty entries dropped, at most 50 of 100 characters). */
export function parseList(text: string): string[] {
  return [
    ...new Set(
      text
        .split(",")
        .map((s) => s.trim().slice(0, 100))
        .filter(Boolean),
    ),
  ].slice(0, 50);
}

/** The rule condition fields of the form, as routing conditions (empty lists left out). */
export const CONDITION_FIELDS = ["countries", "regions", "industries", "interests", "campaigns", "personas"] as const;

/** Rule conditions from the form's comma-separated fields; countries upper-cased. */
export function parseConditions(form: FormData): Record<string, string[]> {
  const conditions: Record<string, string[]> = {};
  for (const field of CONDITION_FIELDS) {
    const list = parseList(String(form.get(field) ?? ""));
    if (list.length > 0) conditions[field] = field === "countries" ? list.map((c) => c.toUpperCase()) : list;
  }
  return conditions;
}

/** A rep's out-of-office period in epoch ms, half-open, as packages/routing reads it. */
export interface AwayPeriod {
  from: number;
  until: number;
  note?: string;
}

/** Most periods a rep keeps (past ones are dropped on every change). */
export const MAX_AWAY_PERIODS = 20;

/**
 * An out-of-office period from the form's `awayFrom` and `awayUntil` dates (YYYY-MM-DD, UTC) with
 * both days included, and an optional `note`. Undefined when a date is missing or malformed or
 * the period ends before it starts.
 */
export function parseAwayPeriod(form: FormData): AwayPeriod | undefined {
  const day = (name: string) => {
    const text = String(form.get(name) ?? "").trim();
    // Only days that exist: Date.parse would roll 2026-02-30 over into March.
    return isCalendarDay(text) ? Date.parse(`${text}T00:00:00Z`) : Number.NaN;
  };
  const from = day("awayFrom");
  const lastDay = day("awayUntil");
  if (!Number.isFinite(from) || !Number.isFinite(lastDay) || lastDay < from) return undefined;
  const note = String(form.get("note") ?? "")
    .trim()
    .slice(0, 100);
  return note ? { from, until: lastDay + DAY_MS, note } : { from, until: lastDay + DAY_MS };
}

/** The stored periods that still matter at `now` (not yet over), well-formed only, by start. */
export function currentAwayPeriods(stored: readonly unknown[], now: number): AwayPeriod[] {
  return stored
    .filter(
      (p): p is AwayPeriod =>
        typeof p === "object" &&
        p !== null &&
        typeof (p as AwayPeriod).from === "number" &&
        typeof (p as AwayPeriod).until === "number" &&
        (p as AwayPeriod).until > now,
    )
    .map((p) =>
      typeof p.note === "string" ? { from: p.from, until: p.until, note: p.note } : { from: p.from, until: p.until },
    )
    .sort((a, b) => a.from - b.from || a.until - b.until);
}

/**
 * A rep's periods with one more: past ones dropped, the same period never twice. An error when the
 * new period is already over or the rep would have more than MAX_AWAY_PERIODS.
 */
export function addAwayPeriod(
  stored: readonly unknown[],
  period: AwayPeriod,
  now: number,
): { ok: true; periods: AwayPeriod[] } | { ok: false; error: "routing.awayPast" | "routing.awayTooMany" } {
  if (period.until <= now) return { ok: false, error: "routing.awayPast" };
  const current = currentAwayPeriods(stored, now).filter((p) => p.from !== period.from || p.until !== period.until);
  if (current.length >= MAX_AWAY_PERIODS) return { ok: false, error: "routing.awayTooMany" };
  return { ok: true, periods: currentAwayPeriods([...current, period], now) };
}

/** A rep's current periods without the one that starts at `from` and ends at `until`. */
export function removeAwayPeriod(stored: readonly unknown[], from: number, until: number, now: number): AwayPeriod[] {
  return currentAwayPeriods(stored, now).filter((p) => p.from !== from || p.until !== until);
}
