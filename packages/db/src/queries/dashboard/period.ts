import { dayName, dayNumberOf, localDay, startOfLocalDay } from "../../local-time.ts";

// The analytics pages' periods: a preset (or a custom range) resolved against `now` in the site's
// time zone into an inclusive range of the site's local days, the period it is compared with, and
// the chart granularity that fits its length. Pure: `now` and the zone are passed in.

/** The presets a page offers, in the order shown; `custom` takes `from`/`to` from the URL. */
export const PERIOD_PRESETS = ["today", "7d", "30d", "month", "last-month", "quarter", "12m", "custom"] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number];

/** How a chart buckets a period. */
export type Granularity = "hour" | "day" | "week" | "month";

/** An inclusive range of local days YYYY-MM-DD. */
export interface DayRange {
  from: string;
  to: string;
}

/** A resolved period: its days, the previous period it is compared with, and its chart buckets. */
export interface Period extends DayRange {
  preset: PeriodPreset;
  previous: DayRange;
  granularity: Granularity;
}

const addDays = (day: string, n: number): string => dayName(dayNumberOf(day) + n);
/** The earlier of two YYYY-MM-DD days (they compare as strings). */
const earlier = (a: string, b: string): string => (a < b ? a : b);

/** The first day of the month `months` months after `day`'s month (negative: before). */
function monthStart(day: string, months = 0): string {
  const y = Number(day.slice(0, 4));
  const m = Number(day.slice(5, 7)) - 1 + months;
  return new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
}

/** Days from `from` to `to`, inclusive. */
export function dayCount(range: DayRange): number {
  return dayNumberOf(range.to) - dayNumberOf(range.from) + 1;
}

/** The same span `months` months earlier, day of month clamped to the shorter month. */
function shiftMonths(range: DayRange, months: number): DayRange {
  const shift = (day: string) => {
    const first = monthStart(day, months);
    const last = addDays(monthStart(first, 1), -1);
    const wanted = `${first.slice(0, 8)}${day.slice(8)}`;
    return earlier(wanted, last);
  };
  return { from: shift(range.from), to: shift(range.to) };
}

/**
 * Hour for a single day, day up to 45 days, week up to 120 days, month beyond: a chart shows
 * between roughly 7 and 45 points whatever the range.
 */
export function granularityFor(range: DayRange): Granularity {
  const days = dayCount(range);
  if (days <= 1) return "hour";
  if (days <= 45) return "day";
  if (days <= 120) return "week";
  return "month";
}

/**
 * Resolves a preset at `now` in the zone. Calendar presets compare with the previous calendar unit
 * up to the same day (this month so far against last month's same days); the others with the
 * equally long run of days just before. A custom range needs `custom` (already validated days).
 */
export function resolvePeriod(preset: PeriodPreset, now: number, timeZone: string, custom?: DayRange): Period {
  const today = localDay(timeZone, now);
  let range: DayRange;
  let previous: DayRange | undefined;
  switch (preset) {
    case "today":
      range = { from: today, to: today };
      break;
    case "7d":
      range = { from: addDays(today, -6), to: today };
      break;
    case "30d":
      range = { from: addDays(today, -29), to: today };
      break;
    case "month":
      range = { from: monthStart(today), to: today };
      previous = shiftMonths(range, -1);
      break;
    case "last-month": {
      const first = monthStart(today, -1);
      range = { from: first, to: addDays(monthStart(today), -1) };
      const before = monthStart(today, -2);
      previous = { from: before, to: addDays(first, -1) };
      break;
    }
    case "quarter": {
      const m = Number(today.slice(5, 7)) - 1;
      range = { from: monthStart(today, -(m % 3)), to: today };
      previous = shiftMonths(range, -3);
      break;
    }
    case "12m":
      range = { from: monthStart(today, -11), to: today };
      previous = shiftMonths(range, -12);
      break;
    case "custom":
      range = custom ?? { from: addDays(today, -29), to: today };
      break;
  }
  previous ??= { from: addDays(range.from, -dayCount(range)), to: addDays(range.from, -1) };
  return { ...range, preset, previous, granularity: granularityFor(range) };
}

/** One chart bucket: its key (day, ISO week's Monday, month's first day, or hour start), and its days. */
export interface Bucket {
  key: string;
  from: string;
  to: string;
  /** For hourly buckets: the UTC instant [start, end) of the hour. */
  startMs?: number;
  endMs?: number;
}

/**
 * The buckets a chart of the range shows at `granularity`, in order, clipped to the range (a week
 * or month at either end covers only the range's days). Hourly buckets are the range's local hours,
 * so a day with a DST change has 23 or 25 of them.
 */
export function bucketsOf(range: DayRange, granularity: Granularity, timeZone: string): Bucket[] {
  const buckets: Bucket[] = [];
  if (granularity === "hour") {
    // Hours are UTC hours (the hourly rollup's key): for the few zones with a half-hour offset the
    // first bucket starts half an hour before the local day.
    const end = startOfLocalDay(timeZone, addDays(range.to, 1));
    const first = Math.floor(startOfLocalDay(timeZone, range.from) / 3_600_000) * 3_600_000;
    for (let t = first; t < end && buckets.length < 24 * 40; t += 3_600_000) {
      const day = localDay(timeZone, t);
      buckets.push({ key: String(t), from: day, to: day, startMs: t, endMs: t + 3_600_000 });
    }
    return buckets;
  }
  let day = range.from;
  while (day <= range.to && buckets.length < 400) {
    let next: string;
    let key: string;
    if (granularity === "day") {
      key = day;
      next = addDays(day, 1);
    } else if (granularity === "week") {
      // ISO weeks start on Monday; day number 0 (1970-01-01) was a Thursday.
      const weekday = (dayNumberOf(day) + 3) % 7;
      key = addDays(day, -weekday);
      next = addDays(key, 7);
    } else {
      key = monthStart(day);
      next = monthStart(day, 1);
    }
    const last = addDays(next, -1);
    buckets.push({ key, from: day, to: earlier(last, range.to) });
    day = next;
  }
  return buckets;
}

/** The bucket key of a local day at a day/week/month granularity (see `bucketsOf`). */
export function bucketKeyOfDay(day: string, granularity: Exclude<Granularity, "hour">): string {
  if (granularity === "day") return day;
  if (granularity === "month") return monthStart(day);
  return addDays(day, -((dayNumberOf(day) + 3) % 7));
}
