// The demo traffic generator: months of plausible B2B traffic for the demo site, reproducible from
// a seed. See README.md for the personas and knobs.
//
// Bounded memory: items are produced one day at a time and only that day's items (plus the few
// that spill past midnight) are held and sorted. Visitors are remembered only while a return visit
// is scheduled (at most 30 days ahead) and sales follow-ups only until they are due, so memory is
// proportional to visitorsPerDay × (1 + return horizon) and independent of `days`: 10M+ events
// stream through a constant footprint.
import {
  BOT_USER_AGENTS,
  COUNTRIES,
  type Country,
  DEVICES,
  SALES_LOSS_REASONS,
  SALES_REJECT_REASONS,
} from "./catalog.ts";
import { channelTables, type DayContext, PERSONA_SHARES, personFor, runVisit, type VisitScope } from "./personas.ts";
import { choose, mulberry32, pick, type Random, randomInt, weighted } from "./random.ts";
import type { DemoItem, DemoOptions } from "./types.ts";
import { type PersonaId, SiteContext, type Visitor, VisitWriter } from "./visit.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Average events (tracker events plus scans, clicks and sales actions) per first-time visitor,
 * including that visitor's later returns; measured over a long run with the default persona mix.
 */
export const EVENTS_PER_VISITOR = 9.4;

const personas = weighted(PERSONA_SHARES);
const countries = weighted(COUNTRIES);
const desktopDevices = weighted(DEVICES.filter(([d]) => !d.mobile));
const mobileDevices = weighted(DEVICES.filter(([d]) => d.mobile));

/** Share of mobile devices by persona: buyers read at their desk, students and job seekers on phones. */
const MOBILE_SHARE: Record<PersonaId, number> = {
  researcher: 0.45,
  jobSeeker: 0.5,
  evaluator: 0.2,
  customer: 0.2,
  competitor: 0.1,
  bouncer: 0.5,
  crawler: 0,
};

/** Local hour of day weights for office visitors (peaks mid-morning and after lunch)… */
const OFFICE_HOURS = weighted(
  [0, 0, 0, 0, 0, 0, 1, 3, 8, 10, 10, 8, 5, 7, 9, 8, 6, 4, 2, 2, 1, 1, 0, 0].map((w, h): [number, number] => [h, w]),
);
/** …and for private browsing, which runs into the evening. */
const ANY_HOURS = weighted(
  [0, 0, 0, 0, 0, 0, 1, 2, 4, 5, 5, 5, 5, 5, 5, 5, 5, 5, 6, 7, 7, 6, 3, 1].map((w, h): [number, number] => [h, w]),
);

/** Crawlers work round the clock, so their visits interleave with late visits spilling past midnight. */
const ROUND_THE_CLOCK = weighted(Array.from({ length: 24 }, (_, h): [number, number] => [h, 1]));

/** Weekday traffic factor (Sunday first), averaging 1 over a week: B2B sites are quiet at weekends. */
const WEEKDAY_FACTOR = [0.5, 1.2, 1.2, 1.2, 1.2, 1.2, 0.5];

/** Deal sizes in EUR by company size: [min, max]. */
const DEAL_SIZES: Record<string, readonly [number, number]> = {
  "1-10": [3_000, 8_000],
  "11-50": [6_000, 15_000],
  "51-200": [12_000, 40_000],
  "201-1000": [30_000, 90_000],
  "1001-5000": [60_000, 150_000],
  "5000+": [100_000, 250_000],
};

interface SalesFollowUp {
  email: string;
  next: "triage" | "qualify" | "close";
  value: number;
  competitor: boolean;
}

/** Rough number of events a run produces: `days × visitorsPerDay × EVENTS_PER_VISITOR`. */
export function estimateEvents(opts: Pick<DemoOptions, "days" | "visitorsPerDay">): number {
  return Math.round(opts.days * opts.visitorsPerDay * EVENTS_PER_VISITOR);
}

/** Events an item stands for: the tracker events of a request, otherwise 1. */
export function countEvents(item: DemoItem): number {
  return item.kind === "request" ? item.batch.events.length : 1;
}

/** Generates demo traffic; yields items in non-decreasing `at` order with bounded memory (see above). */
export function* generateDemo(opts: DemoOptions): Generator<DemoItem> {
  const seed = (opts.seed ?? 1) >>> 0;
  const random = mulberry32(seed);
  const site = new SiteContext(opts.siteKey, opts.origin, seed);
  const writer = new VisitWriter(site, random);
  const returns = new Map<number, Visitor[]>();
  const sales = new Map<number, SalesFollowUp[]>();
  const nameOffset = randomInt(random, 0, 1_599);
  let visitorCount = 0;
  let personCount = 0;
  let carry: DemoItem[] = [];

  const newVisitor = (
    persona: PersonaId,
    person: Visitor["person"],
    progress?: Visitor["progress"],
    mobile = random() < MOBILE_SHARE[persona],
  ): Visitor => {
    const country = choose(random, countries);
    const bot = persona === "crawler";
    const device = choose(random, mobile ? mobileDevices : desktopDevices);
    return {
      id: `v${seed.toString(36)}-${(36 ** 5 + visitorCount++).toString(36)}`,
      persona,
      device,
      userAgent: bot ? pick(random, BOT_USER_AGENTS) : device.userAgent,
      bot,
      ip: ipFor(random, country),
      country,
      skew: random() < 0.04 ? randomInt(random, -600, 600) * 1000 : 0,
      person,
      visits: 0,
      progress: progress ?? { step: 0, subscribed: false, downloaded: false, requested: false },
    };
  };

  const schedule = <T>(map: Map<number, T[]>, day: number, value: T) => {
    if (day >= opts.days) return; // past the end of the run: never happens
    const list = map.get(day);
    if (list) list.push(value);
    else map.set(day, [value]);
  };

  for (let day = 0; day < opts.days; day++) {
    const dayStart = opts.start + day * DAY;
    const ctx = dayContext(day, dayStart, opts.days);
    const out: DemoItem[] = carry;
    const scope: VisitScope = {
      random,
      writer,
      day: ctx,
      channels: channelTables(ctx),
      onSalesInterest: (email, companySize, competitor) => {
        const [min, max] = DEAL_SIZES[companySize ?? "11-50"] ?? [6_000, 15_000];
        const value = Math.round((min + random() * (max - min)) / 500) * 500;
        schedule(sales, day + randomInt(random, 1, 4), { email, next: "triage", value, competitor });
      },
    };
    const visit = (v: Visitor) => {
      const hours =
        v.persona === "crawler"
          ? ROUND_THE_CLOCK
          : v.persona === "evaluator" || v.persona === "customer" || v.persona === "competitor"
            ? OFFICE_HOURS
            : ANY_HOURS;
      const localHour = choose(random, hours);
      const at = dayStart + (((localHour - v.country.utcOffset + 24) % 24) + random()) * HOUR;
      const returnIn = runVisit(scope, v, Math.floor(at), out);
      if (returnIn === undefined) return;
      // A buyer who first came from a poster on the phone often comes back at the desk: a new
      // browser (visitor id) for the same person, linked when they identify there.
      const switchDevice = v.device.mobile && v.persona === "evaluator" && random() < 0.6;
      schedule(returns, day + returnIn, switchDevice ? newVisitor(v.persona, v.person, v.progress, false) : v);
    };

    for (const v of returns.get(day) ?? []) visit(v);
    returns.delete(day);

    const trend = 0.85 + (0.3 * day) / Math.max(1, opts.days - 1);
    const noise = 0.9 + random() * 0.2;
    const fresh = Math.round(
      opts.visitorsPerDay * (WEEKDAY_FACTOR[new Date(dayStart).getUTCDay()] ?? 1) * trend * noise,
    );
    for (let i = 0; i < fresh; i++) {
      const persona = choose(random, personas);
      const person = personFor(persona, random, personCount, nameOffset);
      if (person) personCount++;
      visit(newVisitor(persona, person));
    }

    for (const followUp of sales.get(day) ?? []) {
      const at = dayStart + randomInt(random, 7, 16) * HOUR + Math.floor(random() * HOUR);
      out.push(salesStep(random, followUp, at, (d, f) => schedule(sales, day + d, f)));
    }
    sales.delete(day);

    const last = day === opts.days - 1;
    const cut = splitDay(out, last ? Number.POSITIVE_INFINITY : dayStart + DAY);
    for (let i = 0; i < cut; i++) yield out[i] as DemoItem;
    carry = out.slice(cut);
  }
}

function byTime(a: DemoItem, b: DemoItem): number {
  return a.at - b.at;
}

/**
 * Sorts a day's items in place (stable, so equal times keep generation order and the output stays
 * deterministic) and returns how many happen before `dayEnd`. The rest, visits running past
 * midnight, must wait: the next day's early items (crawlers) can come before them.
 */
export function splitDay(items: DemoItem[], dayEnd: number): number {
  items.sort(byTime);
  let cut = items.length;
  while (cut > 0 && (items[cut - 1] as DemoItem).at >= dayEnd) cut--;
  return cut;
}

/** Campaign calendar relative to the run: spring launch in the first 60%, the webinar in the last 60%. */
function dayContext(day: number, dayStart: number, days: number): DayContext {
  const share = day / Math.max(1, days);
  const sendDay = day % 28; // the newsletter goes out every four weeks, on day 3 of the cycle
  return {
    day,
    dayStart,
    springLaunch: share < 0.6,
    webinar: share >= 0.4,
    newsletter: sendDay === 3 ? 4 : sendDay === 4 ? 2 : sendDay === 5 ? 1 : 0.4,
  };
}

function ipFor(random: Random, country: Country): string {
  return `${pick(random, country.ipBlocks)}.${randomInt(random, 0, 255)}.${randomInt(random, 0, 255)}.${randomInt(random, 1, 254)}`;
}

/** One sales action on a lead; schedules the next one. Sales accepts or rejects, qualifies, then wins or loses. */
function salesStep(
  random: Random,
  f: SalesFollowUp,
  at: number,
  later: (days: number, followUp: SalesFollowUp) => void,
): DemoItem {
  if (f.next === "triage") {
    if (f.competitor) return { kind: "sales", at, email: f.email, action: "reject", reason: "Competitor" };
    if (random() < 0.25)
      return { kind: "sales", at, email: f.email, action: "reject", reason: pick(random, SALES_REJECT_REASONS) };
    // Some accepted leads stall in SAL: sales never qualifies them.
    if (random() < 0.7) later(randomInt(random, 2, 10), { ...f, next: "qualify" });
    return { kind: "sales", at, email: f.email, action: "accept" };
  }
  if (f.next === "qualify") {
    later(randomInt(random, 7, 35), { ...f, next: "close" });
    return { kind: "sales", at, email: f.email, action: "qualify", value: f.value };
  }
  if (random() < 0.4) {
    const value = Math.round((f.value * (0.8 + random() * 0.3)) / 500) * 500;
    return { kind: "sales", at, email: f.email, action: "win", value };
  }
  return {
    kind: "sales",
    at,
    email: f.email,
    action: "lose",
    reason: pick(random, SALES_LOSS_REASONS),
    value: f.value,
  };
}
