import * as v from "valibot";
import { parseEnv } from "./validation.ts";

const portSchema = v.pipe(v.string(), v.transform(Number), v.integer(), v.minValue(0), v.maxValue(65535));

/** A token bucket as "BURST/PER_SECOND", or "off". */
export const rateLimitSchema = v.pipe(
  v.string(),
  v.regex(/^(off|\d+\/\d+(\.\d+)?)$/, 'expected "BURST/PER_SECOND" or "off"'),
  v.transform((text) => {
    if (text === "off") return false as const;
    const [burst, perSecond] = text.split("/").map(Number);
    return { burst: burst ?? 0, perSecond: perSecond ?? 0 };
  }),
);

const envSchema = v.object({
  DATABASE_URL: v.optional(v.string(), "file:./data/leadtrail.db"),
  DATABASE_AUTH_TOKEN: v.optional(v.string()),
  COLLECTOR_PORT: v.optional(portSchema, "8787"),
  COLLECTOR_HOST: v.optional(v.string(), "0.0.0.0"),
  DEMO_SITE_KEY: v.optional(v.pipe(v.string(), v.minLength(1)), "demo"),
  /** Secret mixed into the daily visitor hash; set it in production so hashes differ per installation. */
  VISITOR_HASH_SECRET: v.optional(v.string(), "leadtrail-development-secret"),
  /** Shared secret of the edge worker's signed /internal/* requests (at least 32 characters); unset = no edge. */
  EDGE_SECRET: v.optional(v.pipe(v.string(), v.minLength(32, "EDGE_SECRET must have at least 32 characters"))),
  /** Trust X-Forwarded-For (only behind a proxy you run). */
  TRUST_PROXY: v.optional(v.picklist(["0", "1", "true", "false"]), "0"),
  /** Header a trusted edge sets to the visitor's ISO country (e.g. cf-ipcountry); unset = no country. */
  COUNTRY_HEADER: v.optional(v.pipe(v.string(), v.regex(/^[\w-]+$/))),
  /** Rate limits as "BURST/PER_SECOND" or "off": events per visitor, requests per IP. */
  RATE_LIMIT_VISITOR: v.optional(rateLimitSchema),
  RATE_LIMIT_IP: v.optional(rateLimitSchema),
  /** Most requests waiting for a commit before the collector answers 503 (bounded queue). */
  INGEST_QUEUE_MAX: v.optional(v.pipe(v.string(), v.transform(Number), v.integer(), v.minValue(1)), "20000"),
  /** Most request-body bytes waiting for a commit before the collector answers 503 (bounds memory). */
  INGEST_QUEUE_MAX_BYTES: v.optional(v.pipe(v.string(), v.transform(Number), v.integer(), v.minValue(1)), "8388608"),
  /** How long a group commit waits for more requests to join it. */
  GROUP_COMMIT_WAIT_MS: v.optional(v.pipe(v.string(), v.transform(Number), v.integer(), v.minValue(0)), "2"),
});

export type CollectorConfig = v.InferOutput<typeof envSchema>;

/** Reads and validates the collector's environment once, at the entry point. */
export function loadConfig(env: Record<string, string | undefined>): CollectorConfig {
  return parseEnv(envSchema, env);
}
