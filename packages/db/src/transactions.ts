// The one way to open a write transaction. Every query function takes a `Database`; inside
// `withWriteTransaction` the work gets a `Database` over the open transaction, so the same query
// functions (drizzle's builder and hand-written SQL through `db.$client.execute`) run inside it.
import type { Client, Transaction } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import type { Database } from "./client.ts";

/** Per client: the tail of its queue of write transactions (see withWriteTransaction). */
const writeQueues = new WeakMap<Client, Promise<void>>();

/**
 * Runs `work` in one write transaction (`BEGIN IMMEDIATE`: the write lock is taken up front, so
 * reads inside see exactly what the writes build on) and commits; rolls back if it throws.
 *
 * Write transactions of one client run one after another. A transaction spans awaits, and a
 * local libSQL file waits for a busy lock synchronously: a second `BEGIN IMMEDIATE` from the same
 * process (a background job while the ingest group commit is open) would block the very thread the
 * first one needs to finish, freezing the process for the whole busy timeout. Other processes still
 * wait through the busy timeout as usual.
 */
export async function withWriteTransaction<T>(db: Database, work: (tx: Database) => Promise<T>): Promise<T> {
  const client = db.$client;
  // Inside a transaction `$client` is the libSQL transaction, which cannot open another one.
  if (typeof client.transaction !== "function")
    throw new Error("withWriteTransaction: already inside a write transaction");
  const previous = writeQueues.get(client) ?? Promise.resolve();
  let release = () => {};
  const mine = new Promise<void>((resolve) => {
    release = resolve;
  });
  writeQueues.set(
    client,
    previous.then(() => mine),
  );
  await previous;
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        return await runOnce(client, work);
      } catch (error) {
        if (!isBusy(error) || attempt >= BUSY_ATTEMPTS) throw error;
        collectGarbage();
        // Rolled back; the work runs again from its reads (the event loop runs meanwhile, so
        // whatever held the lock in this process can finish).
        await new Promise((resolve) => setTimeout(resolve, BUSY_BACKOFF_MS * 2 ** (attempt - 1)));
      }
    }
  } finally {
    release();
  }
}

/** How often a write transaction that found the database busy is tried, and the first pause. */
export const BUSY_ATTEMPTS = 5;
const BUSY_BACKOFF_MS = 25;

async function runOnce<T>(client: Client, work: (tx: Database) => Promise<T>): Promise<T> {
  // `synchronous = NORMAL` is set on every pooled connection by createDb (client.ts).
  const tx = await client.transaction("write");
  try {
    const result = await work(transactionDatabase(tx));
    await tx.commit();
    return result;
  } finally {
    tx.close(); // rolls back unless committed
  }
}

/**
 * SQLite's "busy" answers: the lock was not free within the busy timeout, a connection's read
 * snapshot went stale before it could write (SQLITE_BUSY_SNAPSHOT, which no timeout waits out), or
 * a commit met a statement still running. Each leaves the transaction rolled back and is worth
 * another try; seen on a loaded machine while the demo loads (ingest beside sales actions).
 */
export function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("SQLITE_BUSY");
}

/**
 * A `Database` whose statements run in `tx`: drizzle's libSQL session only calls `execute` and
 * `batch` on its client, which a transaction has. Its `$client` is the transaction (statements
 * only: no `transaction()` or `close()`). Built without the relational schema, like `createDb`'s,
 * because that costs ~1 ms per construction and nothing here uses `db.query`. Internal to
 * packages/db (the migration runner opens its own transaction): not exported by the index.
 */
export function transactionDatabase(tx: Transaction): Database {
  return drizzle(tx as unknown as Client) as Database;
}

/**
 * A failed statement keeps its connection inside an implicit read transaction until the
 * statement object is finalized, which @libsql/client's native driver leaves to the garbage
 * collector: until then that pooled connection answers BEGIN with SQLITE_BUSY_SNAPSHOT and COMMIT
 * with "SQL statements in progress". Collecting now finalizes it. Node only (the edge bundle has
 * no `process`); a no-op where the collector cannot be reached.
 */
function collectGarbage(): void {
  const node = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const v8 = node?.getBuiltinModule?.("node:v8") as { setFlagsFromString(flags: string): void } | undefined;
  const vm = node?.getBuiltinModule?.("node:vm") as { runInNewContext(code: string): unknown } | undefined;
  if (!v8 || !vm) return;
  v8.setFlagsFromString("--expose-gc");
  (vm.runInNewContext("gc") as () => void)();
}
