// How statements reach the database: the parameter type of raw-SQL queries and the one way to
// open a write transaction.
import type { Client, InStatement, Transaction } from "@libsql/client";

/** Anything that runs statements: a write transaction in the ingest path, a client in tests. */
export interface Executor {
  execute(stmt: InStatement): Promise<{ rows: unknown[]; rowsAffected: number }>;
}

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
export async function withWriteTransaction<T>(client: Client, work: (tx: Transaction) => Promise<T>): Promise<T> {
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
      const result = await work(tx);
      await tx.commit();
      return result;
    } finally {
      tx.close();
    }
  } finally {
    release();
  }
}
