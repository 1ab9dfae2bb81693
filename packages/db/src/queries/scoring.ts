import type { Client } from "@libsql/client";
import { parseJson } from "./ingest.ts";

/** A site's newest published rule set version, or undefined when it has never published one. */
export async function latestRuleSetVersion(client: Client, siteId: number): Promise<number | undefined> {
  const result = await client.execute({
    sql: "SELECT max(version) AS version FROM rule_set_versions WHERE site_id = ?",
    args: [siteId],
  });
  const version = (result.rows[0] as { version?: number | null } | undefined)?.version;
  return version == null ? undefined : Number(version);
}

/** A site's newest published rule set (the JSON the dashboard stored), or undefined. */
export async function latestRuleSet(
  client: Client,
  siteId: number,
): Promise<{ version: number; ruleSet: unknown } | undefined> {
  const result = await client.execute({
    sql: "SELECT version, rule_set FROM rule_set_versions WHERE site_id = ? ORDER BY version DESC LIMIT 1",
    args: [siteId],
  });
  const row = result.rows[0] as { version: number; rule_set: unknown } | undefined;
  return row ? { version: Number(row.version), ruleSet: parseJson(row.rule_set) } : undefined;
}
