import * as v from "valibot";
import { rateLimitSchema } from "../config.ts";
import type { ForwardedRequest, ForwardOutcome } from "../internal/protocol.ts";
import { issueReason } from "../validation.ts";

/** The few Durable Object APIs the edge uses (workerd's types are not a dependency). */
export interface DurableObjectNamespaceLike {
  idFromName(name: string): unknown;
  /** A stub of the ingest buffer: its methods are called over RPC. */
  get(id: unknown): { submit(forwarded: ForwardedRequest): Promise<ForwardOutcome> };
}

/** The worker's bindings: text vars and secrets (see wrangler.toml / the generated capnp config). */
export interface EdgeEnv {
  ORIGIN_URL?: string;
  EDGE_SECRET?: string;
  CLIENT_IP_HEADER?: string;
  RATE_LIMIT_IP?: string;
  SITE_CACHE_TTL_MS?: string;
  ORIGIN_TIMEOUT_MS?: string;
  INGEST_BUFFER_WAIT_MS?: string;
  INGEST_BUFFER_FORWARDS?: string;
  INGEST_BUFFER: DurableObjectNamespaceLike;
}

const millis = (fallback: string) =>
  v.optional(v.pipe(v.string(), v.transform(Number), v.integer(), v.minValue(0)), fallback);

const edgeSchema = v.object({
  /** The origin collector, e.g. https://origin.example.com (no trailing path). */
  ORIGIN_URL: v.pipe(v.string(), v.url(), v.regex(/^https?:\/\/[^/]+\/?$/, "ORIGIN_URL must be http(s)://host[:port]")),
  /** The origin's EDGE_SECRET: signs every internal request. */
  EDGE_SECRET: v.pipe(v.string(), v.minLength(32, "EDGE_SECRET must have at least 32 characters")),
  /** Header carrying the visitor's IP (Cloudflare sets cf-connecting-ip). */
  CLIENT_IP_HEADER: v.optional(v.pipe(v.string(), v.regex(/^[\w-]+$/)), "cf-connecting-ip"),
  /** Requests per IP in each isolate, "BURST/PER_SECOND" or "off". */
  RATE_LIMIT_IP: v.optional(rateLimitSchema, "2000/200"),
  /** How long a site's key and domains are used before the origin is asked again. */
  SITE_CACHE_TTL_MS: millis("30000"),
  /** A forwarded batch not answered within this time fails: the browsers get 503 and retry. */
  ORIGIN_TIMEOUT_MS: millis("10000"),
  /** How long the ingest buffer gathers concurrent requests before it forwards them. */
  INGEST_BUFFER_WAIT_MS: millis("2"),
  /** How many forwarded batches of one site may be on their way to the origin at once. */
  INGEST_BUFFER_FORWARDS: v.optional(
    v.pipe(v.string(), v.transform(Number), v.integer(), v.minValue(1), v.maxValue(16)),
    "4",
  ),
});

export type EdgeConfig = v.InferOutput<typeof edgeSchema> & { ORIGIN_URL: string };

/** Reads and validates the worker's bindings once per isolate. */
export function loadEdgeConfig(env: EdgeEnv): EdgeConfig {
  const result = v.safeParse(edgeSchema, env);
  if (!result.success) throw new Error(`invalid edge configuration: ${issueReason(result.issues, "environment")}`);
  return { ...result.output, ORIGIN_URL: result.output.ORIGIN_URL.replace(/\/$/, "") };
}
