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
    // `synchronous = NORMAL` is set on every pooled connection by createDb (client.ts).
    const tx = await client.transaction("write");
    try {
      const result = await work(transactionDatabase(tx));
      await tx.commit();
      return result;
    } finally {
      tx.close();
    }
  } finally {
    release();
  }
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
