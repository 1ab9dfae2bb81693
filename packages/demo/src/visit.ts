// Turns one visit (a sequence of page views and actions) into tracker requests the way the browser
// script sends them: the page view right away, and the page's interactions together with its
// engagement event when the visitor leaves the page.
import type { CampaignContext, WireEvent } from "@leadtrail/tracker";
import { type Country, DEMO_PAGES, type Device, type PageId, SITE_NAME, WHITEPAPER_PATH } from "./catalog.ts";
import type { Person } from "./people.ts";
import type { Random } from "./random.ts";
import type { DemoItem } from "./types.ts";

const SECOND = 1000;

export type PersonaId = "researcher" | "jobSeeker" | "evaluator" | "customer" | "competitor" | "bouncer" | "crawler";

/** One browser (first-party id) and what the generator remembers about it between visits. */
export interface Visitor {
  id: string;
  persona: PersonaId;
  device: Device;
  userAgent: string;
  bot: boolean;
  ip: string;
  country: Country;
  /** Client clock minus real time, ms: a few browsers run off, and sentAt lets the collector correct it. */
  skew: number;
  person: Person | undefined;
  /** Visits so far (this device). */
  visits: number;
  /** Journey progress of the person, shared when the person moves to another device. */
  progress: { step: number; subscribed: boolean; downloaded: boolean; requested: boolean };
}

/** Where a visit enters the site. */
export interface Landing {
  page: PageId;
  /** Query string of the landing URL including "?", or "". */
  query: string;
  referrer?: string;
  campaign?: CampaignContext;
  /** A redirect through a tracked link before the landing (QR scan or link click). */
  via?: { kind: "qr_scan" | "link_click"; code: string };
}

/** Site-wide constants and the id counter shared by all visits of one generation run. */
export class SiteContext {
  readonly pageUrl: Record<PageId, string>;
  readonly pageTitle: Record<PageId, string>;
  readonly whitepaperUrl: string;
  private counter = 36 ** 5; // starts at "100000" in base 36, so ids are never shorter than 8 characters
  private readonly idPrefix: string;

  constructor(
    readonly siteKey: string,
    origin: string,
    seed: number,
  ) {
    const base = `${origin.replace(/\/$/, "")}/demo`;
    const pageUrl = {} as Record<PageId, string>;
    const pageTitle = {} as Record<PageId, string>;
    for (const [id, page] of Object.entries(DEMO_PAGES) as [PageId, (typeof DEMO_PAGES)[PageId]][]) {
      pageUrl[id] = `${base}${page.path}`;
      pageTitle[id] = `${page.title} · ${SITE_NAME}`;
    }
    this.pageUrl = pageUrl;
    this.pageTitle = pageTitle;
    this.whitepaperUrl = `${base}${WHITEPAPER_PATH}`;
    // The seed is part of every id, so runs with different seeds can share one database.
    this.idPrefix = `e${seed.toString(36)}-`;
  }

  /** A new event id: unique within a run, and across runs with different seeds. */
  nextId(): string {
    return this.idPrefix + (this.counter++).toString(36);
  }
}

/** Dwell time per page in seconds [min, max]: long articles are read longer than a pricing table. */
const DWELL: Record<PageId, readonly [number, number]> = {
  home: [8, 60],
  leadScoring: [30, 180],
  pipeline: [30, 160],
  pricing: [20, 150],
  blog: [5, 30],
  blogScoring: [60, 420],
  blogMql: [60, 360],
  whitepaper: [15, 60],
  newsletter: [15, 45],
  contact: [45, 180],
  demoRequest: [40, 150],
  thanks: [4, 20],
  careers: [20, 120],
  job: [45, 300],
  poster: [10, 40],
};

/**
 * Writes one visit at a time into an output array. It is reused for every visit of a run, so a
 * visit allocates only the events and items it produces.
 */
export class VisitWriter {
  private visitor!: Visitor;
  private out!: DemoItem[];
  private campaign: CampaignContext | undefined;
  private landing: Landing | undefined;
  private page: PageId | undefined;
  private pageUrl = "";
  private previousUrl: string | undefined;
  private pageStart = 0;
  private leaveAt = 0;
  private now = 0;
  private pending: WireEvent[] = [];
  /** Scales dwell times: bouncers leave fast, crawlers faster. */
  private pace = 1;

  constructor(
    private readonly site: SiteContext,
    private readonly random: Random,
  ) {}

  /** Starts a visit at `at` (real time); a tracked-link landing first produces its scan or click item. */
  begin(out: DemoItem[], visitor: Visitor, at: number, landing: Landing, pace = 1): void {
    this.out = out;
    this.visitor = visitor;
    this.landing = landing;
    this.campaign = landing.campaign;
    this.page = undefined;
    this.previousUrl = undefined;
    this.pending = [];
    this.pace = pace;
    this.now = at;
    visitor.visits++;
    if (landing.via) {
      out.push({
        kind: landing.via.kind,
        at,
        ip: visitor.ip,
        userAgent: visitor.userAgent,
        code: landing.via.code,
        visitor: visitor.id,
      });
      this.now += 1 * SECOND + Math.floor(this.random() * 2 * SECOND); // redirect and page load
    }
    this.view(landing.page);
  }

  /** The page currently shown. */
  get current(): PageId | undefined {
    return this.page;
  }

  /** Leaves the current page (if any) and opens `page`. The first view of a visit uses the landing URL. */
  view(page: PageId): void {
    if (this.page !== undefined) {
      this.leave();
      this.now += SECOND + Math.floor(this.random() * 3 * SECOND);
    }
    const first = this.page === undefined && this.previousUrl === undefined;
    const url = first && this.landing ? this.site.pageUrl[page] + this.landing.query : this.site.pageUrl[page];
    const event: WireEvent = {
      id: this.site.nextId(),
      type: "pageview",
      time: this.now + this.visitor.skew,
      url,
      title: this.site.pageTitle[page],
    };
    const referrer = first ? this.landing?.referrer : this.previousUrl;
    if (referrer !== undefined) event.referrer = referrer;
    if (this.campaign !== undefined) event.campaign = this.campaign;
    this.send(this.now, [event]);
    this.page = page;
    this.pageUrl = url;
    this.pageStart = this.now;
    const [min, max] = DWELL[page];
    this.leaveAt = this.now + Math.floor((min + this.random() * (max - min)) * SECOND * this.pace);
    this.now += Math.floor((2 + this.random() * 10) * SECOND * this.pace);
  }

  /** Clicks a tagged element (e.g. a product image). */
  click(name: string, props: Record<string, string | number | boolean>): void {
    this.act({ id: this.site.nextId(), type: "click", time: 0, url: this.pageUrl, name, props });
  }

  /** A custom event such as a video play. */
  custom(name: string, props: Record<string, string | number | boolean>): void {
    this.act({ id: this.site.nextId(), type: "custom", time: 0, url: this.pageUrl, name, props });
  }

  /** Downloads the whitepaper; by convention the event URL is the file's URL. */
  downloadWhitepaper(): void {
    this.act({
      id: this.site.nextId(),
      type: "download",
      time: 0,
      url: this.site.whitepaperUrl,
      name: "whitepaper.pdf",
    });
  }

  /** Submits an opted-in form with the fields the form has; the browser then shows the thank-you page. */
  submitForm(name: "newsletter" | "contact" | "demo_request", email: string, traits?: Record<string, string>): void {
    const event: WireEvent = { id: this.site.nextId(), type: "form", time: 0, url: this.pageUrl, name, email };
    if (traits !== undefined) event.traits = traits;
    this.act(event);
    this.view("thanks");
  }

  /** The site's own code names the visitor (after a demo request, or a logged-in customer). */
  identify(person: { email: string; traits: Record<string, string> }): void {
    this.act({
      id: this.site.nextId(),
      type: "identify",
      time: 0,
      url: this.pageUrl,
      email: person.email,
      traits: person.traits,
    });
  }

  /** Leaves the last page: its interactions and engagement go out. Returns the time the visit ended. */
  end(): number {
    if (this.page !== undefined) this.leave();
    this.page = undefined;
    return this.now;
  }

  private act(event: WireEvent): void {
    event.time = this.now + this.visitor.skew;
    this.pending.push(event);
    this.now += Math.floor((2 + this.random() * 15) * SECOND * this.pace);
  }

  private leave(): void {
    const leave = Math.max(this.leaveAt, this.now);
    const events = this.pending;
    if (!this.visitor.bot) {
      // Engaged time is visible, focused, non-idle time: a share of the time on the page.
      const engagedMs = Math.floor((leave - this.pageStart) * (0.35 + this.random() * 0.6));
      const longRead = this.page === "blogScoring" || this.page === "blogMql" || this.page === "job";
      const scroll = this.pace < 1 ? 0.05 + this.random() * 0.45 : (longRead ? 0.2 : 0.3) + this.random() * 0.7;
      events.push({
        id: this.site.nextId(),
        type: "engagement",
        time: leave + this.visitor.skew,
        url: this.pageUrl,
        engagedMs,
        scroll: Math.min(1, Math.round(scroll * 100) / 100),
      });
    }
    if (events.length > 0) this.send(leave, events);
    this.pending = [];
    this.previousUrl = this.pageUrl;
    this.now = leave;
  }

  private send(at: number, events: WireEvent[]): void {
    const v = this.visitor;
    this.out.push({
      kind: "request",
      at,
      ip: v.ip,
      userAgent: v.userAgent,
      country: v.country.code,
      batch: { site: this.site.siteKey, visitor: v.id, sentAt: at + v.skew, events },
    });
  }
}
