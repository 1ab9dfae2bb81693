import { EVENT_TYPES } from "@leadtrail/tracker";
import * as v from "valibot";
import { issueReason } from "../validation.ts";

const MAX_EVENTS = 100;
/** Most bytes one event may take in the request (413 beyond). */
export const MAX_EVENT_BYTES = 32 * 1024;
/** Most bytes one request may take (413 beyond). */
export const MAX_REQUEST_BYTES = 512 * 1024;
/** Text from outside: well-formed Unicode (a lone UTF-16 surrogate becomes U+FFFD, see parse-json.ts), capped. */
const text = (max: number) => v.pipe(v.string(), v.transform(wellFormed), v.maxLength(max));

/** `s` with every lone UTF-16 surrogate replaced by U+FFFD; `s` itself when it has none. */
function wellFormed(s: string): string {
  return s.isWellFormed() ? s : s.toWellFormed();
}
const flatValue = v.union([text(1000), v.number(), v.boolean()]);
const flatRecord = (maxKeys: number) =>
  v.pipe(
    v.record(text(64), flatValue),
    v.check((r) => Object.keys(r).length <= maxKeys, `at most ${maxKeys} properties`),
  );

const campaignSchema = v.partial(
  v.object({
    utm_source: text(200),
    utm_medium: text(200),
    utm_campaign: text(200),
    utm_term: text(200),
    utm_content: text(200),
    clickId: text(200),
    referrer: text(2048),
  }),
);

const traitsSchema = v.pipe(
  v.record(text(64), text(500)),
  v.check((r) => Object.keys(r).length <= 32, "too many traits"),
);

export const eventSchema = v.object({
  id: v.pipe(v.string(), v.minLength(8), v.maxLength(64), v.regex(/^[\w-]+$/, "id must be [A-Za-z0-9_-]")),
  type: v.picklist(EVENT_TYPES),
  time: v.pipe(v.number(), v.finite()),
  url: v.optional(text(2048)),
  title: v.optional(text(512)),
  referrer: v.optional(text(2048)),
  name: v.optional(text(200)),
  props: v.optional(flatRecord(32)),
  engagedMs: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(86_400_000))),
  scroll: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1))),
  email: v.optional(v.pipe(text(254), v.email())),
  traits: v.optional(traitsSchema),
  campaign: v.optional(campaignSchema),
});

const visitorIdSchema = v.pipe(v.string(), v.minLength(8), v.maxLength(64), v.regex(/^[\w-]+$/));

// The envelope is checked whole; its events one by one (below), so one bad event is refused on its
// own and the rest of the batch is stored — a visitor's typo in a form never costs their page views.
const envelopeSchema = v.object({
  site: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  visitor: v.optional(visitorIdSchema),
  sentAt: v.pipe(v.number(), v.finite()),
  events: v.pipe(v.array(v.unknown()), v.minLength(1), v.maxLength(MAX_EVENTS)),
  /** A link token (`lt_s`) from the landing URL: claims a scan for this visitor (ingest/link-token.ts). */
  link: v.optional(v.pipe(v.string(), v.maxLength(300))),
});

export type ValidEvent = v.InferOutput<typeof eventSchema>;
export type ValidBatch = Omit<v.InferOutput<typeof envelopeSchema>, "events"> & { events: ValidEvent[] };

/** An event refused on its own: its position in the batch and why. */
export interface RejectedEvent {
  index: number;
  reason: string;
}

export type ParsedBatch = { ok: true; batch: ValidBatch; rejected: RejectedEvent[] } | { ok: false; reason: string };

/**
 * Parses a batch. A malformed envelope, or a batch in which no event is valid, fails with a short
 * reason naming the first offending field; otherwise the valid events go on and the invalid ones
 * are listed in `rejected`.
 */
export function parseBatch(input: unknown): ParsedBatch {
  const envelope = v.safeParse(envelopeSchema, input);
  if (!envelope.success) return { ok: false, reason: issueReason(envelope.issues, "body") };
  const events: ValidEvent[] = [];
  const rejected: RejectedEvent[] = [];
  envelope.output.events.forEach((raw, index) => {
    const event = v.safeParse(eventSchema, raw);
    if (event.success) events.push(event.output);
    else rejected.push({ index, reason: issueReason(event.issues, `events.${index}`, `events.${index}.`) });
  });
  if (events.length === 0) return { ok: false, reason: rejected[0]?.reason ?? "events: no valid event" };
  return { ok: true, batch: { ...envelope.output, events }, rejected };
}

const encoder = new TextEncoder();

/**
 * The index of the first event over MAX_EVENT_BYTES, or -1. Only bodies that could hold such an
 * event are measured (a UTF-16 code unit is at most 3 UTF-8 bytes), so the common small batch
 * costs nothing here.
 */
export function oversizedEvent(json: unknown, bodyChars: number): number {
  if (bodyChars * 3 <= MAX_EVENT_BYTES) return -1;
  const events = (json as { events?: unknown } | null)?.events;
  if (!Array.isArray(events)) return -1;
  return events.findIndex((e) => encoder.encode(JSON.stringify(e)).byteLength > MAX_EVENT_BYTES);
}

/** `POST /v1/identify`: a backend names a visitor (or just creates/updates a lead). */
export const identifySchema = v.object({
  site: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  email: v.pipe(text(254), v.email()),
  visitor: v.optional(visitorIdSchema),
  traits: v.optional(traitsSchema),
});
export type IdentifyRequest = v.InferOutput<typeof identifySchema>;

/** Parses an identify request; on failure returns a short reason naming the first offending field. */
export function parseIdentify(input: unknown): { ok: true; value: IdentifyRequest } | { ok: false; reason: string } {
  const result = v.safeParse(identifySchema, input);
  return result.success
    ? { ok: true, value: result.output }
    : { ok: false, reason: issueReason(result.issues, "body") };
}

/** Query parameters of `GET /p.gif`, each capped like the tracker's fields. */
export const pixelSchema = v.object({
  site: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  id: v.optional(v.pipe(v.string(), v.minLength(8), v.maxLength(64), v.regex(/^[\w-]+$/))),
  v: v.optional(visitorIdSchema),
  u: v.optional(text(2048)),
  n: v.optional(text(200)),
  utm_source: v.optional(text(200)),
  utm_medium: v.optional(text(200)),
  utm_campaign: v.optional(text(200)),
  utm_term: v.optional(text(200)),
  utm_content: v.optional(text(200)),
});
export type PixelQuery = v.InferOutput<typeof pixelSchema>;

/** Checks pixel query parameters. */
export function parsePixel(input: unknown): { ok: true; value: PixelQuery } | { ok: false; reason: string } {
  const result = v.safeParse(pixelSchema, input);
  return result.success
    ? { ok: true, value: result.output }
    : { ok: false, reason: issueReason(result.issues, "query") };
}

/** A visitor id from a query string (tracked links carry one when the sender knows it). */
export function validVisitorId(value: string | undefined): string | undefined {
  return value !== undefined && v.is(visitorIdSchema, value) ? value : undefined;
}
