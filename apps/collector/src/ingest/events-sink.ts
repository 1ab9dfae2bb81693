import { ApiError } from "../errors.ts";
import type { SiteAccess } from "../site-access.ts";
import type { GroupCommitWriter } from "./group-commit.ts";
import type { LinkTokens } from "./link-token.ts";
import type { RateLimiter } from "./rate-limit.ts";
import { rateLimit, submitOp } from "./submit.ts";
import type { EventsOp, EventsResult, IngestOp, OpResult } from "./write-ops.ts";

/** The browser-side facts of a request that the origin settles the visitor id from. */
export interface SubmissionClient {
  /** The browser's own visitor id; undefined → the cookieless daily hash. */
  visitorId: string | undefined;
  ip: string;
  userAgent: string;
  /** Receive time at the collector (or the edge): the day of the hash, the rate limits' clock. */
  at: number;
  /** A scan's link token (`lt_s`) from the landing page, claimed for the browser's own visitor id. */
  link?: string;
}

/**
 * A request's events as the collection routes accept them, before the visitor id is settled: a
 * browser without consent gets the cookieless daily hash, and its salt lives with the database, so
 * an edge in front of the origin passes the client's IP and user agent on and the origin hashes
 * them (neither is ever stored).
 */
export interface EventsSubmission extends SubmissionClient {
  /** The site's public key (names the edge's ingest buffer for the site). */
  siteKey: string;
  op: Omit<EventsOp, "visitorId">;
}

/**
 * The submission of a request's events, as every collection route builds it (the Node app and the
 * edge run the same routes); `link` is left out when the request has none.
 */
export function submissionOf(
  site: Pick<SiteAccess, "publicKey">,
  op: Omit<EventsOp, "visitorId">,
  client: SubmissionClient,
): EventsSubmission {
  const { visitorId, ip, userAgent, at, link } = client;
  return { siteKey: site.publicKey, op, visitorId, ip, userAgent, at, ...(link ? { link } : {}) };
}

/** Takes a submission (and the body bytes it came from) to a commit; resolves once it is stored. */
export type SubmitEvents = (submission: EventsSubmission, bytes: number) => Promise<EventsResult>;

export interface EventsSinkDeps {
  writer: GroupCommitWriter<IngestOp, OpResult>;
  anonymousVisitorId(siteId: number, ip: string, userAgent: string, now: number): Promise<string>;
  visitorLimit: RateLimiter | undefined;
  linkTokens: LinkTokens;
}

/**
 * The origin's sink: settles the visitor id, applies the per-visitor limit and queues the op for
 * the next group commit. The Node routes and the edge's `POST /internal/ingest` both end here.
 */
export function createEventsSink(deps: EventsSinkDeps): SubmitEvents {
  return async function submitEvents(submission, bytes) {
    const { op, ip, userAgent, at } = submission;
    const visitorId = submission.visitorId ?? (await deps.anonymousVisitorId(op.siteId, ip, userAgent, at));
    rateLimit(deps.visitorLimit, `${op.siteId}|${visitorId}`, op.events.length, at);
    const stitch = await stitchOf(deps.linkTokens, submission);
    const result = await submitOp(deps.writer, { ...op, visitorId, ...(stitch ? { stitch } : {}) }, bytes);
    if (!("accepted" in result)) throw new ApiError("internal", "events op answered as identify");
    return result;
  };
}

/**
 * A link token counts only for a browser with its own id (consent): a cookieless batch keeps the
 * scan where it is. A forged, foreign or expired token is ignored, and the events still count.
 */
async function stitchOf(tokens: LinkTokens, submission: EventsSubmission): Promise<EventsOp["stitch"]> {
  if (!submission.link || !submission.visitorId) return undefined;
  const claims = await tokens.verify(submission.link, submission.op.siteId, submission.at);
  return claims ? { eventId: claims.eventId, expiresAt: claims.expiresAt } : undefined;
}
