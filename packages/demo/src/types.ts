import type { WireBatch } from "@leadtrail/tracker";

/** Knobs of the demo traffic generator. */
export interface DemoOptions {
  /** Seed of the PRNG; the same seed and options give the same items. Defaults to 1. */
  seed?: number;
  /** Public key of the demo site, put into every batch. */
  siteKey: string;
  /** Origin the demo site is served from, e.g. "http://localhost:8787"; page URLs are `${origin}/demo/…`. */
  origin: string;
  /** First day, ms since epoch; best a UTC midnight, since visit hours are placed relative to it. */
  start: number;
  /** Number of days to generate. */
  days: number;
  /** First-time visitors on an average day; returning visits come on top (see README). */
  visitorsPerDay: number;
}

/** One thing that happens to the collector: a tracker POST, a QR scan or link click, or a sales action. */
export type DemoItem =
  | { kind: "request"; at: number; ip: string; userAgent: string; country?: string; batch: WireBatch }
  | { kind: "qr_scan" | "link_click"; at: number; ip: string; userAgent: string; code: string; visitor: string }
  | {
      kind: "sales";
      at: number;
      email: string;
      action: "accept" | "reject" | "qualify" | "win" | "lose";
      reason?: string;
      value?: number;
    };

export type SalesAction = Extract<DemoItem, { kind: "sales" }>["action"];
