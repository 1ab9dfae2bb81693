import * as v from "valibot";

/**
 * The first validation issue as `path: message` — the one wording of every 400 and configuration
 * error. `fallback` names the whole input (`body`, `query`, an event) when the issue has no path;
 * `prefix` places a nested input's path (`events.3.`).
 */
export function issueReason(issues: readonly v.BaseIssue<unknown>[], fallback: string, prefix = ""): string {
  const issue = issues[0];
  const path = issue ? v.getDotPath(issue) : null;
  return `${path ? prefix + path : fallback}: ${issue?.message ?? "invalid"}`;
}

/**
 * Reads settings from an environment with a schema, once, at an entry point: the parsed settings,
 * or an `invalid configuration: NAME: message` error that stops the process before it serves.
 */
export function parseEnv<const TSchema extends v.GenericSchema<Record<string, string | undefined>, unknown>>(
  schema: TSchema,
  env: Record<string, string | undefined>,
): v.InferOutput<TSchema> {
  const result = v.safeParse(schema, env);
  if (!result.success) throw new Error(`invalid configuration: ${issueReason(result.issues, "environment")}`);
  return result.output;
}
