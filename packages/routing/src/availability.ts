import type { Rep, TimeSpan, Weekday, WorkingHours } from "./types.ts";

/** Local wall-clock time of an instant in some time zone. */
export interface LocalTime {
  weekday: Weekday;
  /** Minutes since local midnight, 0–1439. */
  minutes: number;
}

const WEEKDAY_BY_SHORT: Record<string, Weekday> = {
  Mon: "mon",
  Tue: "tue",
  Wed: "wed",
  Thu: "thu",
  Fri: "fri",
  Sat: "sat",
  Sun: "sun",
};

// Building an Intl.DateTimeFormat costs tens of microseconds and routing asks per rep per lead, so
// formatters are memoised per zone. The cache holds no inputs' data and does not change any answer.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      weekday: "short",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Whether the runtime knows this IANA time zone. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/**
 * Converts an instant to weekday and minutes in a time zone, daylight saving included (Intl does the
 * zone arithmetic, so this stays a pure function of its inputs). Null for an unknown zone.
 */
export function localTime(now: number, timeZone: string): LocalTime | null {
  if (!isValidTimeZone(timeZone)) return null;
  let weekday: Weekday | undefined;
  let hour = 0;
  let minute = 0;
  for (const part of formatterFor(timeZone).formatToParts(now)) {
    if (part.type === "weekday") weekday = WEEKDAY_BY_SHORT[part.value];
    else if (part.type === "hour") hour = Number(part.value);
    else if (part.type === "minute") minute = Number(part.value);
  }
  if (!weekday) return null;
  return { weekday, minutes: hour * 60 + minute };
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;

/** Minutes since midnight of an "HH:MM" string ("24:00" is 1440), or null when malformed. */
export function parseHhmm(text: string): number | null {
  if (!HHMM.test(text)) return null;
  const [hours, minutes] = text.split(":").map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
}

function inSpan(span: TimeSpan, minutes: number): boolean {
  const start = parseHhmm(span.start);
  const end = parseHhmm(span.end);
  return start !== null && end !== null && minutes >= start && minutes < end;
}

/** Whether local time falls inside the weekly working hours (absent hours mean "always"). */
export function withinWorkingHours(hours: WorkingHours | undefined, local: LocalTime): boolean {
  if (hours === undefined) return true;
  return (hours[local.weekday] ?? []).some((span) => inSpan(span, local.minutes));
}

/** Whether `now` lies inside one of the rep's absences. */
export function isOutOfOffice(rep: Rep, now: number): boolean {
  return (rep.outOfOffice ?? []).some((absence) => now >= absence.from && now < absence.until);
}

/**
 * Why a rep cannot take a lead at `now` for reasons of presence, or null when present. Capacity is
 * checked separately because it depends on the caller's counts, not on the calendar.
 */
export function presenceProblem(
  rep: Rep,
  now: number,
): "unavailable" | "out_of_office" | "invalid_time_zone" | "outside_working_hours" | null {
  if (rep.active === false) return "unavailable";
  if (isOutOfOffice(rep, now)) return "out_of_office";
  if (rep.workingHours === undefined) return null;
  const local = localTime(now, rep.timeZone);
  if (local === null) return "invalid_time_zone";
  return withinWorkingHours(rep.workingHours, local) ? null : "outside_working_hours";
}
