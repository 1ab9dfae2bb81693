import type { Database } from "../client.ts";
import { withWriteTransaction } from "../transactions.ts";

/** How long a daily salt is kept: yesterday's ids stay linkable for late events, no longer. */
export const SALT_RETENTION_MS = 48 * 3_600_000;

/**
 * The salt for a UTC day, shared by every collector process on the database: the first caller's
 * `candidate` wins and later callers read it. Salts made more than 48 hours before `now` are
 * deleted in the same transaction, so old cookieless ids can never be recomputed from an IP.
 */
export async function dailySalt(db: Database, day: string, candidate: string, now: number): Promise<string> {
  return withWriteTransaction(db, async (tx) => {
    await tx.$client.execute({ sql: "DELETE FROM daily_salts WHERE created_at < ?", args: [now - SALT_RETENTION_MS] });
    await tx.$client.execute({
      sql: "INSERT INTO daily_salts (day, salt, created_at) VALUES (?, ?, ?) ON CONFLICT (day) DO NOTHING",
      args: [day, candidate, now],
    });
    const result = await tx.$client.execute({ sql: "SELECT salt FROM daily_salts WHERE day = ?", args: [day] });
    return String((result.rows[0] as { salt?: string } | undefined)?.salt ?? candidate);
  });
}
