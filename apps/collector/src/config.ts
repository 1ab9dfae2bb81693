import * as v from "valibot";

const portSchema = v.pipe(v.string(), v.transform(Number), v.integer(), v.minValue(0), v.maxValue(65535));

const envSchema = v.object({
  DATABASE_URL: v.optional(v.string(), "file:./data/leadtrail.db"),
  DATABASE_AUTH_TOKEN: v.optional(v.string()),
  COLLECTOR_PORT: v.optional(portSchema, "8787"),
  COLLECTOR_HOST: v.optional(v.string(), "0.0.0.0"),
  DEMO_SITE_KEY: v.optional(v.pipe(v.string(), v.minLength(1)), "demo"),
  /** Secret mixed into the daily visitor hash; set it in production so hashes differ per installation. */
  VISITOR_HASH_SECRET: v.optional(v.string(), "leadtrail-development-secret"),
  /** Trust X-Forwarded-For (only behind a proxy you run). */
  TRUST_PROXY: v.optional(v.picklist(["0", "1", "true", "false"]), "0"),
});

export type CollectorConfig = v.InferOutput<typeof envSchema>;

/** Reads and validates the collector's environment once, at the entry point. */
export function loadConfig(env: Record<string, string | undefined>): CollectorConfig {
  const result = v.safeParse(envSchema, env);
  if (!result.success) {
    const issue = result.issues[0];
    throw new Error(`invalid configuration: ${issue?.path?.map((p) => p.key).join(".")}: ${issue?.message}`);
  }
  return result.output;
}
