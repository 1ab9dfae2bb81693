import { type Client, createClient } from "@libsql/client";
import { drizzle, type LibSQLDatabase } from "drizzle-orm/libsql";
import * as schema from "./schema/index.ts";

export interface DbConfig {
  /** `file:./data/leadtrail.db`, `:memory:`, or `libsql://…` for sqld / Turso. */
  url: string;
  authToken?: string;
  /** Busy timeout for local files, applied to every connection the client opens. */
  busyTimeoutMs?: number;
}

export type Database = LibSQLDatabase<typeof schema> & { $client: Client };

/** Opens a database; for local files it turns on WAL so the collector and dashboard can share it. */
export async function createDb({ url, authToken, busyTimeoutMs = 5000 }: DbConfig): Promise<Database> {
  const client = createClient({ url, authToken, timeout: busyTimeoutMs, intMode: "number" });
  if (isLocalFile(url)) {
    await client.execute("PRAGMA journal_mode = WAL");
    await client.execute("PRAGMA synchronous = NORMAL");
  }
  await client.execute("PRAGMA foreign_keys = ON");
  return drizzle(client, { schema }) as Database;
}

function isLocalFile(url: string): boolean {
  return url.startsWith("file:") && !url.includes(":memory:");
}
