import { DAY_MS } from "@leadtrail/scoring";

// Days are the site's days: the rollups, campaign goals and per-day caps count in a site's IANA time
// zone. SQLite cannot convert to a named zone, so the local day is computed here (in JS, with
// Intl.DateTimeFormat, DST-safe) and, for the SQL that buckets lead milestones, handed to the
// database as the site's list of UTC-offset changes (`site_tz_offsets`).
//
// Offsets of every zone are whole multiples of 15 minutes and change only at instants that are
// multiples of 15 minutes, so everything about a 15-minute slot of UTC is the same for all of its
// instants: the memos below are keyed by (zone, slot) and are exact.

const SLOT_MS = 15 * 60_000;
const MAX_MEMO = 20_000;

/** The zone every site has unless told otherwise. */
export const DEFAULT_TIME_ZONE = "UTC";

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when `timeZone` is an IANA zone name this runtime knows (e.g. "Europe/Berlin", "UTC"). */
export function isTimeZone(timeZone: string): boolean {
  if (!timeZone || timeZone.length > 64) return false;
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Per zone: the offsets of the 15-minute slots seen, and the last one (events come in time order). */
interface ZoneMemo {
  lastSlot: number;
  lastOffset: number;
  slots: Map<number, number>;
}
const zoneMemos = new Map<string, ZoneMemo>();

function slotOffset(timeZone: string, slot: number): number {
  const t = slot * SLOT_MS;
  const p: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(t))
    if (part.type !== "literal") p[part.type] = Number(part.value);
  const local = Date.UTC(p.year as number, (p.month as number) - 1, p.day, p.hour, p.minute);
  return Math.round((local - t) / 60_000);
}

/** The zone's offset from UTC in minutes at `at` (ms): 60 for Berlin in winter, 120 in summer. */
export function tzOffsetMinutes(timeZone: string, at: number): number {
  if (timeZone === "UTC") return 0;
  const slot = Math.floor(at / SLOT_MS);
  let memo = zoneMemos.get(timeZone);
  if (memo?.lastSlot === slot) return memo.lastOffset;
  if (!memo) {
    memo = { lastSlot: Number.NaN, lastOffset: 0, slots: new Map() };
    zoneMemos.set(timeZone, memo);
  }
  let offset = memo.slots.get(slot);
  if (offset === undefined) {
    offset = slotOffset(timeZone, slot);
    if (memo.slots.size >= MAX_MEMO) memo.slots.clear();
    memo.slots.set(slot, offset);
  }
  memo.lastSlot = slot;
  memo.lastOffset = offset;
  return offset;
}

const dayNames = new Map<number, string>();

/** Calendar day YYYY-MM-DD of a day number (days since 1970-01-01). */
export function dayName(dayNumber: number): string {
  let name = dayNames.get(dayNumber);
  if (name === undefined) {
    name = new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
    if (dayNames.size > 10_000) dayNames.clear();
    dayNames.set(dayNumber, name);
  }
  return name;
}

/** The local calendar day YYYY-MM-DD of `at` in the zone (the rollups' day key). */
export function localDay(timeZone: string, at: number): string {
  return dayName(localDayNumber(timeZone, at));
}

/** Local day number (days since 1970-01-01 in the zone) of `at`: what per-day caps count in. */
export function localDayNumber(timeZone: string, at: number): number {
  return Math.floor((at + tzOffsetMinutes(timeZone, at) * 60_000) / DAY_MS);
}

/** Day number of a YYYY-MM-DD calendar day. */
export function dayNumberOf(day: string): number {
  return Math.floor(Date.parse(`${day}T00:00:00Z`) / DAY_MS);
}

/**
 * The UTC instant (ms) at which the local calendar `day` begins in the zone. Usually local
 * midnight; where midnight does not exist (a DST jump at 00:00) the first local instant of the day.
 */
export function startOfLocalDay(timeZone: string, day: string): number {
  const wall = Date.parse(`${day}T00:00:00Z`);
  // Two rounds settle the offset (the guess may sit on the other side of a transition).
  let t = wall - tzOffsetMinutes(timeZone, wall) * 60_000;
  t = wall - tzOffsetMinutes(timeZone, t) * 60_000;
  if (localDay(timeZone, t) < day) {
    // Midnight fell into a gap: the day starts at the transition, the first slot that is in it.
    while (localDay(timeZone, t) < day) t += SLOT_MS;
  }
  return t;
}

/** One offset change of a zone: from `fromMs` on, local time is UTC + `offsetMinutes`. */
export interface OffsetChange {
  fromMs: number;
  offsetMinutes: number;
}

/**
 * The zone's UTC offset changes between `fromYear` and `toYear` (inclusive), the first row covering
 * everything before. Found by probing weekly (no zone changes its offset twice within a week) and
 * bisecting each change to its 15-minute slot.
 */
export function offsetChanges(timeZone: string, fromYear = 1990, toYear = 2060): OffsetChange[] {
  const start = Date.UTC(fromYear, 0, 1);
  const end = Date.UTC(toYear + 1, 0, 1);
  const step = 7 * DAY_MS;
  const changes: OffsetChange[] = [{ fromMs: -8.64e15, offsetMinutes: tzOffsetMinutes(timeZone, start) }];
  let prev = changes[0]?.offsetMinutes as number;
  for (let t = start + step; t < end; t += step) {
    const o = tzOffsetMinutes(timeZone, t);
    if (o === prev) continue;
    let lo = t - step; // offset prev
    let hi = t; // offset o
    while (hi - lo > SLOT_MS) {
      const mid = lo + Math.floor((hi - lo) / 2 / SLOT_MS) * SLOT_MS;
      if (tzOffsetMinutes(timeZone, mid) === prev) lo = mid;
      else hi = mid;
    }
    changes.push({ fromMs: hi, offsetMinutes: tzOffsetMinutes(timeZone, hi) });
    prev = o;
  }
  return changes;
}
