// Who visits the demo site and what they do there. Each persona has its own channels, pages and
// intent, following the seed article: researchers gather information, buyers move from content to
// pricing to a demo request (the funnel), job seekers read the careers pages (negative points),
// competitors read pricing, customers come back for nurturing content.
import type { CampaignContext } from "@leadtrail/tracker";
import {
  COMPETITORS,
  CONTACT_MESSAGES,
  type PageId,
  REFERRAL_REFERRERS,
  SEARCH_REFERRERS,
  SOCIAL_REFERRERS,
  TRACKED_LINKS,
} from "./catalog.ts";
import { businessPerson, freeMailPerson, type Person, pickCompany } from "./people.ts";
import { choose, pick, type Random, randomInt, type Weighted, weighted } from "./random.ts";
import type { Landing, PersonaId, Visitor, VisitWriter } from "./visit.ts";

export type Channel = "organic" | "social" | "email" | "paid" | "direct" | "referral" | "qr" | "webinar";

/** Calendar of the demo's campaigns for one day; windows are relative to the run so every run has them. */
export interface DayContext {
  day: number;
  dayStart: number;
  /** Poster QR campaign and paid search push. */
  springLaunch: boolean;
  /** LinkedIn webinar promotion. */
  webinar: boolean;
  /** Multiplier of e-mail traffic: high on newsletter send days, low otherwise. */
  newsletter: number;
}

/** Share of each persona among first-time visitors. */
export const PERSONA_SHARES: ReadonlyArray<readonly [PersonaId, number]> = [
  ["researcher", 26],
  ["jobSeeker", 10],
  ["evaluator", 22],
  ["customer", 7],
  ["competitor", 3],
  ["bouncer", 30],
  ["crawler", 2],
];

/** First-touch channel weights per persona before the day's campaign multipliers. */
const CHANNELS: Record<PersonaId, Partial<Record<Channel, number>>> = {
  researcher: { organic: 60, social: 12, referral: 12, direct: 8, email: 3, paid: 2, qr: 1, webinar: 2 },
  jobSeeker: { organic: 45, social: 35, direct: 15, referral: 5 },
  evaluator: { organic: 28, paid: 18, social: 10, direct: 12, referral: 10, email: 6, qr: 10, webinar: 6 },
  customer: { direct: 45, email: 35, organic: 15, social: 5 },
  competitor: { direct: 45, organic: 40, social: 10, referral: 5 },
  bouncer: { organic: 40, paid: 15, social: 15, direct: 15, referral: 10, qr: 3, email: 2 },
  crawler: { direct: 1 },
};

/** Channels of a returning visit: people come back by typing the URL, searching, or from e-mail. */
const RETURN_CHANNELS: Partial<Record<Channel, number>> = { direct: 45, organic: 20, email: 15, paid: 10, social: 10 };

/** Channel tables for one day, with campaign multipliers applied. */
export function channelTables(day: DayContext): {
  first: Record<PersonaId, Weighted<Channel>>;
  returning: Weighted<Channel>;
} {
  const scale = (weights: Partial<Record<Channel, number>>) =>
    weighted(
      (Object.entries(weights) as [Channel, number][]).map(([channel, weight]): [Channel, number] => {
        if (channel === "qr") return [channel, day.springLaunch ? weight : 0];
        if (channel === "webinar") return [channel, day.webinar ? weight : 0];
        if (channel === "email") return [channel, weight * day.newsletter];
        if (channel === "paid") return [channel, day.springLaunch ? weight * 1.5 : weight];
        return [channel, weight];
      }),
    );
  const first = {} as Record<PersonaId, Weighted<Channel>>;
  for (const [persona] of PERSONA_SHARES) first[persona] = scale(CHANNELS[persona]);
  return { first, returning: scale(RETURN_CHANNELS) };
}

const searchReferrers = weighted(SEARCH_REFERRERS);
const socialReferrers = weighted(SOCIAL_REFERRERS);
const referralReferrers = weighted(REFERRAL_REFERRERS);
const CLICK_ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

function clickId(random: Random, prefix: string, length: number): string {
  let id = prefix;
  for (let i = 0; i < length; i++) id += CLICK_ID_ALPHABET[Math.floor(random() * CLICK_ID_ALPHABET.length)];
  return id;
}

function utmQuery(utm: CampaignContext, extra = ""): string {
  let query = `?utm_source=${utm.utm_source}&utm_medium=${utm.utm_medium}&utm_campaign=${utm.utm_campaign}`;
  if (utm.utm_term) query += `&utm_term=${encodeURIComponent(utm.utm_term).replace(/%20/g, "+")}`;
  if (utm.utm_content) query += `&utm_content=${utm.utm_content}`;
  return extra ? `${query}&${extra}` : query;
}

/**
 * Builds the landing for a channel. `organicPage` is where this persona lands from search or
 * social posts; campaigns land on their own pages.
 */
export function landingFor(random: Random, channel: Channel, organicPage: PageId, day: DayContext): Landing {
  switch (channel) {
    case "organic": {
      const referrer = choose(random, searchReferrers);
      return { page: organicPage, query: "", referrer, campaign: { referrer } };
    }
    case "social": {
      const referrer = choose(random, socialReferrers);
      return { page: organicPage, query: "", referrer, campaign: { referrer } };
    }
    case "referral": {
      const referrer = choose(random, referralReferrers);
      return { page: organicPage, query: "", referrer, campaign: { referrer } };
    }
    case "direct":
      return { page: organicPage === "careers" || organicPage === "job" ? organicPage : "home", query: "" };
    case "qr": {
      const link = TRACKED_LINKS.springPoster;
      return {
        page: link.target,
        query: utmQuery(link.utm),
        campaign: { ...link.utm },
        via: { kind: "qr_scan", code: link.code },
      };
    }
    case "webinar": {
      const link = TRACKED_LINKS.webinar;
      const referrer = "https://www.linkedin.com/";
      return {
        page: link.target,
        query: utmQuery(link.utm),
        referrer,
        campaign: { ...link.utm, referrer },
        via: { kind: "link_click", code: link.code },
      };
    }
    case "email": {
      const link = TRACKED_LINKS.newsletter;
      if (random() < 0.6) {
        return {
          page: link.target,
          query: utmQuery(link.utm),
          campaign: { ...link.utm },
          via: { kind: "link_click", code: link.code },
        };
      }
      // A plain UTM link in the same newsletter, to the product news section.
      const utm = { ...link.utm, utm_content: "product-news" };
      return { page: "pipeline", query: utmQuery(utm), campaign: utm };
    }
    case "paid": {
      const referrer = "https://www.google.com/";
      if (random() < 0.75) {
        const gclid = clickId(random, "Cj0KCQjw", 24);
        const utm = {
          utm_source: "google",
          utm_medium: "cpc",
          utm_campaign: day.springLaunch ? "spring-launch" : "brand-search",
          utm_term: pick(random, ["lead scoring software", "lead management tool", "acme analytics"]),
        };
        return {
          page: random() < 0.6 ? "leadScoring" : "pricing",
          query: utmQuery(utm, `gclid=${gclid}`),
          referrer,
          campaign: { ...utm, clickId: gclid, referrer },
        };
      }
      const liFatId = clickId(random, "", 32);
      const utm = {
        utm_source: "linkedin",
        utm_medium: "paid_social",
        utm_campaign: day.webinar ? "webinar-q3" : "spring-launch",
      };
      const linkedin = "https://www.linkedin.com/";
      return {
        page: day.webinar ? "whitepaper" : "leadScoring",
        query: utmQuery(utm, `li_fat_id=${liFatId}`),
        referrer: linkedin,
        campaign: { ...utm, clickId: liFatId, referrer: linkedin },
      };
    }
  }
}

const BLOG_POSTS: readonly PageId[] = ["blogScoring", "blogMql"];
const PRODUCTS: readonly [PageId, string][] = [
  ["leadScoring", "lead-scoring"],
  ["pipeline", "pipeline-insights"],
];

/** Everything a persona's visit may need from the generator. */
export interface VisitScope {
  random: Random;
  writer: VisitWriter;
  day: DayContext;
  channels: ReturnType<typeof channelTables>;
  /** Called when a buyer asks for a demo or contact: sales will act on the lead in the coming days. */
  onSalesInterest(email: string, companySize: string | undefined, competitor: boolean, at: number): void;
}

/** Creates the person behind a new visitor of this persona (if they may ever identify). */
export function personFor(persona: PersonaId, random: Random, index: number, offset: number): Person | undefined {
  switch (persona) {
    case "evaluator":
      return businessPerson(random, index, offset, pickCompany(random));
    case "customer":
      return businessPerson(random, index, offset, pickCompany(random), {
        plan: random() < 0.7 ? "Growth" : "Enterprise",
      });
    case "competitor":
      return businessPerson(random, index, offset, pick(random, COMPETITORS));
    case "researcher":
      return random() < 0.8
        ? freeMailPerson(random, index, offset, "Student", "Student")
        : businessPerson(random, index, offset, pickCompany(random));
    case "jobSeeker":
      return freeMailPerson(
        random,
        index,
        offset,
        pick(random, ["Marketing Coordinator", "Campaign Manager"]),
        "Individual Contributor",
      );
    default:
      return undefined;
  }
}

function viewProduct(scope: VisitScope, clickChance: number): void {
  const { random, writer } = scope;
  // From one product page people go to the other one, not back to the same.
  const shown = PRODUCTS.findIndex(([page]) => page === writer.current);
  const [page, product] = (shown >= 0 ? PRODUCTS[1 - shown] : pick(random, PRODUCTS)) as (typeof PRODUCTS)[number];
  writer.view(page);
  if (random() < clickChance) writer.click("product_image", { product });
  if (random() < 0.1) writer.custom("video_play", { video: "product-tour", product });
}

function clickShownProduct(scope: VisitScope, chance: number): void {
  const product = PRODUCTS.find(([page]) => page === scope.writer.current)?.[1];
  if (product !== undefined && scope.random() < chance) scope.writer.click("product_image", { product });
}

function subscribe(scope: VisitScope, v: Visitor): void {
  if (!v.person || v.progress.subscribed) return;
  const here = scope.writer.current;
  if (here !== "newsletter" && here !== "blogScoring" && here !== "blogMql") scope.writer.view("newsletter");
  scope.writer.submitForm("newsletter", v.person.email);
  v.progress.subscribed = true;
}

function readWhitepaper(scope: VisitScope, v: Visitor, downloadChance: number): void {
  if (scope.writer.current !== "whitepaper") scope.writer.view("whitepaper");
  if (scope.random() < downloadChance) {
    scope.writer.downloadWhitepaper();
    v.progress.downloaded = true;
  }
}

/** Sends the contact or demo-request form, then the site identifies the lead with full traits. */
function requestContact(scope: VisitScope, v: Visitor, form: "contact" | "demo_request", at: number): void {
  const person = v.person;
  if (!person) return;
  const { random, writer } = scope;
  writer.view(form === "contact" ? "contact" : "demoRequest");
  const { name, company, role, companySize } = person.traits;
  const fields: Record<string, string> = {};
  if (name) fields.name = name;
  if (company) fields.company = company;
  if (role) fields.role = role;
  if (form === "contact") fields.message = pick(random, CONTACT_MESSAGES);
  else if (companySize) fields.companySize = companySize;
  writer.submitForm(form, person.email, fields);
  writer.identify(person);
  v.progress.requested = true;
  scope.onSalesInterest(person.email, person.companySize, v.persona === "competitor", at);
}

/** Runs one visit of `v` starting at `at`; returns the days until the next visit, or undefined for none. */
export function runVisit(
  scope: VisitScope,
  v: Visitor,
  at: number,
  out: Parameters<VisitWriter["begin"]>[0],
): number | undefined {
  const { random, writer, day, channels } = scope;
  const returning = v.visits > 0 || v.progress.step > 0;
  const channel = choose(random, returning ? channels.returning : channels.first[v.persona]);
  switch (v.persona) {
    case "researcher": {
      const landing = landingFor(random, channel, random() < 0.8 ? pick(random, BLOG_POSTS) : "blog", day);
      writer.begin(out, v, at, landing);
      if (writer.current === "blog" || random() < 0.45) writer.view(pick(random, BLOG_POSTS));
      if (random() < 0.25) readWhitepaper(scope, v, 0.75);
      if (random() < 0.1) viewProduct(scope, 0.3);
      if (random() < 0.08) subscribe(scope, v);
      writer.end();
      return v.visits < 3 && random() < 0.3 ? randomInt(random, 2, 20) : undefined;
    }
    case "jobSeeker": {
      const landing = landingFor(random, channel, random() < 0.5 ? "job" : "careers", day);
      writer.begin(out, v, at, landing);
      if (writer.current !== "job") writer.view("job");
      else if (random() < 0.5) writer.view("careers");
      if (random() < 0.3) writer.view("home");
      if (random() < 0.15) viewProduct(scope, 0.2);
      if (random() < 0.04) subscribe(scope, v);
      writer.end();
      return v.visits < 3 && random() < 0.4 ? randomInt(random, 1, 7) : undefined;
    }
    case "evaluator":
      return evaluatorVisit(scope, v, at, out, channel);
    case "customer": {
      const landing = landingFor(random, channel, pick(random, BLOG_POSTS), day);
      writer.begin(out, v, at, landing);
      // Logged-in customers are known to the site; it names them on their first visit from this browser.
      if (v.visits === 1 && v.person) writer.identify(v.person);
      if (random() < 0.5) writer.view(pick(random, BLOG_POSTS));
      if (random() < 0.5) viewProduct(scope, 0.2);
      if (random() < 0.25) writer.view("pricing");
      if (random() < 0.2) readWhitepaper(scope, v, 0.5);
      if (random() < 0.03) writer.view("careers");
      writer.end();
      return v.visits < 10 && random() < 0.75 ? randomInt(random, 3, 14) : undefined;
    }
    case "competitor": {
      writer.begin(out, v, at, landingFor(random, channel, random() < 0.6 ? "pricing" : "leadScoring", day));
      if (writer.current !== "pricing") writer.view("pricing");
      if (random() < 0.8) viewProduct(scope, 0.4);
      if (random() < 0.6) readWhitepaper(scope, v, 0.9);
      if (random() < 0.3) writer.view(pick(random, BLOG_POSTS));
      if (random() < 0.12) subscribe(scope, v);
      if (!v.progress.requested && random() < 0.06) requestContact(scope, v, "demo_request", at);
      writer.end();
      return v.visits < 4 && random() < 0.4 ? randomInt(random, 7, 30) : undefined;
    }
    case "bouncer": {
      const page = pick(random, [
        "home",
        "home",
        "blogScoring",
        "blogMql",
        "leadScoring",
        "pricing",
        "careers",
      ] as const);
      writer.begin(out, v, at, landingFor(random, channel, page, day), 0.3);
      writer.end();
      return random() < 0.05 ? randomInt(random, 1, 30) : undefined;
    }
    case "crawler": {
      writer.begin(out, v, at, { page: "home", query: "" }, 0.02);
      const pages = randomInt(random, 3, 10);
      for (let i = 0; i < pages; i++) writer.view(pick(random, ALL_PAGES));
      writer.end();
      return undefined;
    }
  }
}

const ALL_PAGES: readonly PageId[] = [
  "home",
  "leadScoring",
  "pipeline",
  "pricing",
  "blog",
  "blogScoring",
  "blogMql",
  "whitepaper",
  "newsletter",
  "contact",
  "demoRequest",
  "careers",
  "job",
  "poster",
];

/** The buyer's journey over several visits: discover, compare, subscribe, download, ask for a demo. */
function evaluatorVisit(
  scope: VisitScope,
  v: Visitor,
  at: number,
  out: Parameters<VisitWriter["begin"]>[0],
  channel: Channel,
): number | undefined {
  const { random, writer, day } = scope;
  const progress = v.progress;
  const step = progress.step++;
  if (step === 0) {
    const organic = pick(random, ["home", "blogScoring", "leadScoring", "leadScoring"] as const);
    writer.begin(out, v, at, landingFor(random, channel, organic, day));
    clickShownProduct(scope, 0.5);
    if (writer.current === "whitepaper") readWhitepaper(scope, v, 0.7);
    if (random() < 0.7) viewProduct(scope, 0.5);
    if (random() < 0.35) writer.view("pricing");
    if (random() < 0.25) viewProduct(scope, 0.3);
    if (random() < 0.05) writer.view("poster");
  } else if (step === 1) {
    writer.begin(out, v, at, landingFor(random, channel, random() < 0.5 ? "home" : "leadScoring", day));
    clickShownProduct(scope, 0.6);
    viewProduct(scope, 0.6);
    if (random() < 0.6) writer.view("pricing");
    if (random() < 0.4) writer.view(pick(random, BLOG_POSTS));
    if (random() < 0.45) readWhitepaper(scope, v, 0.8);
    if (random() < 0.35) subscribe(scope, v);
  } else if (step === 2) {
    writer.begin(out, v, at, landingFor(random, channel, "pricing", day));
    if (random() < 0.7) viewProduct(scope, 0.5);
    if (writer.current !== "pricing") writer.view("pricing");
    if (!progress.downloaded && random() < 0.5) readWhitepaper(scope, v, 0.8);
    if (random() < 0.05) writer.view("careers");
    const ask = random();
    if (ask < 0.45) requestContact(scope, v, "demo_request", at);
    else if (ask < 0.65) requestContact(scope, v, "contact", at);
  } else {
    writer.begin(out, v, at, landingFor(random, channel, random() < 0.5 ? "pricing" : "home", day));
    if (random() < 0.7) viewProduct(scope, 0.3);
    if (writer.current !== "pricing" && random() < 0.6) writer.view("pricing");
    if (random() < 0.4) writer.view(pick(random, BLOG_POSTS));
    if (random() < 0.04) writer.view("careers");
    if (!progress.requested && random() < 0.15) requestContact(scope, v, "contact", at);
  }
  writer.end();
  const keepGoing = step < 2 ? 0.7 : step === 2 ? 0.55 : 0.45;
  return v.visits < 6 && random() < keepGoing ? randomInt(random, 1, 10) : undefined;
}
