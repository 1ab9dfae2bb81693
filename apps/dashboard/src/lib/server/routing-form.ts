import { WEEKDAYS, type WorkingHours } from "@leadtrail/routing";

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
