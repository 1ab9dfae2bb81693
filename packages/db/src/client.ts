import { type Client, createClient } from "@libsql/client";
import { drizzle, type LibSQLDatabase } from "drizzle-orm/libsql";

export interface DbConfig {
  /** `file:./data/leadtrail.db`, `:memory:`, or `libsql://…` for sqld / Turso. */
  url: string;
  authToken?: string;
  /** Busy timeout for local files, applied to every connection the client opens. */
  busyTimeoutMs?: number;
  /**
   * Connections the client may open to a local file (default 4). All of them are opened and
   * configured here, up front; see `createDb`.
   */
  connections?: number;
}

/**
 * The one parameter type of every query function: drizzle's query builder, and hand-written SQL
 * through `db.$client.execute`. Inside `withWriteTransaction` it runs over the open transaction.
 * No relational schema (`db.query`): nothing uses it, and building it per transaction costs ~1 ms.
 */
export type Database = LibSQLDatabase & { $client: Client };

/**
 * Settings that SQLite keeps per connection, not per database file. `synchronous = NORMAL` in WAL
 * mode still keeps every commit across a process crash (SIGKILL) — what a collector's 2xx
 * promises — and only an OS crash or power loss can lose the last commits; FULL would fsync the
 * WAL on every commit (~4 ms, ten times the rest of a group commit).
 */
const PER_CONNECTION_PRAGMAS = ["PRAGMA synchronous = NORMAL", "PRAGMA foreign_keys = ON"];
// Not here on purpose: a larger `wal_autocheckpoint` (10,000 pages) saved ~2 µs per stored event,
// but each checkpoint then copies ~40 MB inside one group commit, and the score-visible p99 grew
// past its 100 ms budget on a busy disk. SQLite's default (1,000 pages) keeps those pauses short.

/**
 * Opens a database; for local files it turns on WAL so the collector and dashboard can share it.
 *
 * @libsql/client keeps a pool of connections to a file and opens them lazily, one per concurrent
 * operation (a transaction holds one while the collector keeps answering site lookups on another).
 * A pragma run through the client reaches only whichever connection served it, so every
 * connection of the pool is borrowed at once here — operations issued in the same tick each take
 * a connection of their own — and configured before anything else uses it. The pool never opens
 * more than `connections`; should it replace a broken one, the replacement runs with SQLite's
 * defaults (FULL: slower, never less safe).
 */
export async function createDb({ url, authToken, busyTimeoutMs = 5000, connections = 4 }: DbConfig): Promise<Database> {
  const local = isLocalFile(url);
  const client = createClient({
    url,
    authToken,
    timeout: busyTimeoutMs,
    intMode: "number",
    concurrency: local ? connections : undefined,
  });
  if (local) {
    // Database-wide and persistent: once is enough.
    await client.execute("PRAGMA journal_mode = WAL");
    await Promise.all(Array.from({ length: connections }, () => configure(client)));
  } else {
    // Remote (sqld/Turso) or in-memory: the server owns durability; foreign keys as everywhere.
    await client.execute("PRAGMA foreign_keys = ON");
  }
  return drizzle(client) as Database;
}

/** Runs the per-connection pragmas on the connection one client call borrows (synchronously, in this tick). */
async function configure(client: Client): Promise<void> {
  await client.executeMultiple(`${PER_CONNECTION_PRAGMAS.join(";\n")};`);
}

function isLocalFile(url: string): boolean {
  return url.startsWith("file:") && !url.includes(":memory:");
}
