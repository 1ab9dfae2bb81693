import { ApiError } from "../errors.ts";
import type { GroupCommitWriter } from "./group-commit.ts";
import type { RateLimiter } from "./rate-limit.ts";
import { rateLimit, submitOp } from "./submit.ts";
import type { EventsResult, IngestOp, OpResult } from "./write-path.ts";

/** The write path's work for one request of tracker events. */
export type EventsOp = Extract<IngestOp, { kind: "events" }>;

/**
 * A request's events as the collection routes accept them, before the visitor id is settled: a
 * browser without consent gets the cookieless daily hash, and its salt lives with the database, so
 * an edge in front of the origin passes the client's IP and user agent on and the origin hashes
 * them (neither is ever stored).
 */
export interface EventsSubmission {
  /** The site's public key (names the edge's ingest buffer for the site). */
  siteKey: string;
  op: Omit<EventsOp, "visitorId">;
  /** The browser's own visitor id; undefined → the cookieless daily hash. */
  visitorId: string | undefined;
  ip: string;
  userAgent: string;
  /** Receive time at the collector (or the edge): the day of the hash, the rate limits' clock. */
  at: number;
}

/** Takes a submission (and the body bytes it came from) to a commit; resolves once it is stored. */
export type SubmitEvents = (submission: EventsSubmission, bytes: number) => Promise<EventsResult>;

export interface EventsSinkDeps {
  writer: GroupCommitWriter<IngestOp, OpResult>;
  anonymousVisitorId(siteId: number, ip: string, userAgent: string, now: number): Promise<string>;
  visitorLimit: RateLimiter | undefined;
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
    const result = await submitOp(deps.writer, { ...op, visitorId }, bytes);
    if (!("accepted" in result)) throw new ApiError("internal", "events op answered as identify");
    return result;
  };
}
