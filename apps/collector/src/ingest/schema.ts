import { EVENT_TYPES } from "@leadtrail/tracker";
import * as v from "valibot";

const MAX_EVENTS = 100;
const text = (max: number) => v.pipe(v.string(), v.maxLength(max));
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
  traits: v.optional(v.pipe(v.record(text(64), text(500)), v.check((r) => Object.keys(r).length <= 32, "too many traits"))),
  campaign: v.optional(campaignSchema),
});

export const batchSchema = v.object({
  site: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  visitor: v.optional(v.pipe(v.string(), v.minLength(8), v.maxLength(64), v.regex(/^[\w-]+$/))),
  sentAt: v.pipe(v.number(), v.finite()),
  events: v.pipe(v.array(eventSchema), v.minLength(1), v.maxLength(MAX_EVENTS)),
});

export type ValidBatch = v.InferOutput<typeof batchSchema>;
export type ValidEvent = v.InferOutput<typeof eventSchema>;

/** Parses a batch; on failure returns a short reason naming the first offending field. */
export function parseBatch(input: unknown): { ok: true; batch: ValidBatch } | { ok: false; reason: string } {
  const result = v.safeParse(batchSchema, input);
  if (result.success) return { ok: true, batch: result.output };
  const issue = result.issues[0];
  const path = issue?.path?.map((p) => String(p.key)).join(".") || "body";
  return { ok: false, reason: `${path}: ${issue?.message ?? "invalid"}` };
}
