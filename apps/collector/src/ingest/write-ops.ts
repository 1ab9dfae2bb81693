import type { IngestEvent } from "@leadtrail/db";
import type { LeadOrigin } from "./lead-origin.ts";

// What the write path takes (one op per request) and what it answers for each op. The routes
// build ops, the group commit hands many of them to the write path in one transaction.

/** Where a request's visit came from, and on what device: first touch for new visitors, rollup dimensions. */
export interface VisitSource {
  referrerDomain: string | null;
  channel: string | null;
  utmSource: string | null;
  utmMedium: string | null;
  utmCampaign: string | null;
  clickId: string | null;
  landingPath: string | null;
  browser: string | null;
  os: string | null;
  device: string | null;
  country: string | null;
}

/** An event as the collector stores and scores it; identify and form events may name the visitor. */
export interface CollectorEvent extends IngestEvent {
  email?: string;
  traits?: Record<string, string>;
}

/** A browser's batch of events. */
export interface EventsOp {
  kind: "events";
  siteId: number;
  visitorId: string;
  source: VisitSource;
  events: CollectorEvent[];
  /** Browser identify: mark leads it creates as unverified, or ignore it ("off"). */
  browserIdentify: "trusted" | "unverified" | "off";
  /** A verified link token: move that scan to this visitor first (ingest/link-token.ts). */
  stitch?: { eventId: string; expiresAt: number };
}

/** A server-side identify (POST /v1/identify). */
export interface IdentifyOp {
  kind: "identify";
  siteId: number;
  visitorId: string | null;
  email: string;
  traits: Record<string, string>;
  at: number;
  country: string | null;
  /** Acquisition and legal basis stated by the caller (POST /v1/identify). */
  origin?: LeadOrigin;
}

/** Work for the write path; one per request. */
export type IngestOp = EventsOp | IdentifyOp;

export interface EventsResult {
  accepted: number;
  duplicates: number;
}

export interface IdentifyResult {
  leadId: number;
  created: boolean;
  stage: string;
  score: number;
  /** The e-mail belongs to an erased person: nothing was stored. */
  erased?: true;
}

export type OpResult = EventsResult | IdentifyResult;
