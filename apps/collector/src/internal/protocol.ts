import { REFUSAL_REASONS, type RefusalReason } from "@leadtrail/db";
import * as v from "valibot";
import { ERROR_CODES, type ErrorCode } from "../errors.ts";
import type { EventsSubmission } from "../ingest/events-sink.ts";
import type { EventsResult } from "../ingest/write-ops.ts";
import type { SiteAccess } from "../site-access.ts";
import { issueReason } from "../validation.ts";

/** Most browser requests in one forwarded batch (the origin's group commit takes up to 1,000 ops). */
export const MAX_FORWARDED_REQUESTS = 1000;
/** Most bytes of one forwarded batch body. */
export const MAX_FORWARDED_BYTES = 16 * 1024 * 1024;

/** One browser request inside a forwarded batch: what the route accepted, and its body size. */
export interface ForwardedRequest {
  submission: EventsSubmission;
  bytes: number;
}

/** `POST /internal/ingest` body. */
export interface ForwardedBatch {
  requests: ForwardedRequest[];
}

/** The origin's answer for one browser request: its commit result, or the error to give the browser. */
export type ForwardOutcome =
  | { ok: EventsResult }
  | { error: { code: ErrorCode; message: string }; retryAfter?: string };

/** `POST /internal/ingest` answer: one outcome per forwarded request, in order. */
export interface ForwardAnswer {
  results: ForwardOutcome[];
}

/** `GET /internal/sites/:key` answer. */
export interface SiteAnswer {
  site: SiteAccess;
}

// The envelope is checked after the signature (the edge built the ops with the same schema as the
// Node routes, so the ops themselves are trusted); a structural check still stops a bug on one
// side from reaching the write path as something else.
const submissionSchema = v.object({
  siteKey: v.pipe(v.string(), v.maxLength(128)),
  op: v.looseObject({
    kind: v.literal("events"),
    siteId: v.pipe(v.number(), v.integer()),
    source: v.looseObject({}),
    events: v.pipe(v.array(v.looseObject({ clientId: v.string(), type: v.string() })), v.maxLength(1000)),
    browserIdentify: v.picklist(["trusted", "unverified", "off"]),
  }),
  visitorId: v.optional(v.pipe(v.string(), v.maxLength(128))),
  ip: v.pipe(v.string(), v.maxLength(64)),
  userAgent: v.pipe(v.string(), v.maxLength(1024)),
  at: v.number(),
  link: v.optional(v.pipe(v.string(), v.maxLength(300))),
});

const batchSchema = v.object({
  requests: v.pipe(
    v.array(v.object({ submission: submissionSchema, bytes: v.pipe(v.number(), v.minValue(0)) })),
    v.minLength(1),
    v.maxLength(MAX_FORWARDED_REQUESTS),
  ),
});

/** `POST /internal/refusals` body: a site's requests refused at the edge since its last report. */
export interface RefusalReport {
  siteId: number;
  /** Hostname the refused events came from; null when none was sent. */
  host: string | null;
  reason: RefusalReason;
  /** Time of the newest refusal counted. */
  at: number;
  /** Refused requests since the last report. */
  count: number;
}

const refusalSchema = v.object({
  siteId: v.pipe(v.number(), v.integer(), v.minValue(1)),
  host: v.nullable(v.pipe(v.string(), v.maxLength(253))),
  reason: v.picklist(REFUSAL_REASONS),
  at: v.pipe(v.number(), v.integer(), v.minValue(0)),
  count: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1_000_000_000)),
});

/** Parses a refusal report; a reason when it is not one. */
export function parseRefusalReport(
  input: unknown,
): { ok: true; report: RefusalReport } | { ok: false; reason: string } {
  const result = v.safeParse(refusalSchema, input);
  if (result.success) return { ok: true, report: result.output };
  return { ok: false, reason: issueReason(result.issues, "body") };
}

/** Parses a forwarded batch; a reason when it is not one. */
export function parseForwardedBatch(
  input: unknown,
): { ok: true; batch: ForwardedBatch } | { ok: false; reason: string } {
  const result = v.safeParse(batchSchema, input);
  if (result.success) return { ok: true, batch: result.output as unknown as ForwardedBatch };
  return { ok: false, reason: issueReason(result.issues, "body") };
}

/** An error code from the wire, or "internal" for one this version does not know. */
export function knownErrorCode(code: unknown): ErrorCode {
  return ERROR_CODES.includes(code as ErrorCode) ? (code as ErrorCode) : "internal";
}
