// The wire format between the tracker (or any HTTP client) and the collector's `POST /e`.
// The collector validates it with a schema; these types are the contract both sides share.

/** Event types the collector understands. Anything else is rejected with 400. */
export const EVENT_TYPES = [
  "pageview",
  "engagement",
  "click",
  "outbound",
  "download",
  "form",
  "custom",
  "identify",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Campaign context captured on landing and kept for the visit. */
export interface CampaignContext {
  utm_source?: string;
  utm_medium?: string;
  utm_campaign?: string;
  utm_term?: string;
  utm_content?: string;
  /** Ad click ids: gclid, fbclid, msclkid, li_fat_id … */
  clickId?: string;
  /** document.referrer at landing. */
  referrer?: string;
}

export interface WireEvent {
  /** Random id made in the browser; a retry sends the same id, so nothing counts twice. */
  id: string;
  type: EventType;
  /** Client clock (ms since epoch) when the event happened. */
  time: number;
  /** Page URL the event happened on. */
  url?: string;
  title?: string;
  referrer?: string;
  /** Custom event name, tagged-element name, form name, link target … */
  name?: string;
  /** Flat properties: strings, numbers, booleans. */
  props?: Record<string, string | number | boolean>;
  /** engagement: milliseconds visible, focused and not idle. */
  engagedMs?: number;
  /** engagement: maximum scroll depth reached, 0..1. */
  scroll?: number;
  /** identify / form: the e-mail that names the visitor. */
  email?: string;
  /** identify / form: profile traits (name, company, role …). */
  traits?: Record<string, string>;
  campaign?: CampaignContext;
}

export interface WireBatch {
  /** The site's public key from the snippet's data-site. */
  site: string;
  /** First-party visitor id; absent when consent is required and not given (cookieless). */
  visitor?: string;
  /** Client clock when the batch was sent: corrects skewed client clocks. */
  sentAt: number;
  events: WireEvent[];
  /**
   * The link token (`lt_s`) a tracked link's or QR code's redirect added to the landing URL: sent
   * once, with the first batch that has a visitor id; the collector moves that scan to the visitor.
   */
  link?: string;
}

export interface IngestResponse {
  accepted: number;
  duplicates: number;
}
