import { eq } from "drizzle-orm";
import type { Database } from "../client.ts";
import { loginThrottle } from "../schema/auth.ts";
import { withWriteTransaction } from "../transactions.ts";

// Log-in throttle counters (table login_throttle): the mechanism; the dashboard sets the policy.
// Old counters are pruned with the sessions (pruneAuth in auth.ts).

/**
 * One throttle key and its policy: `freeFailures` attempts pass without delay, then each further
 * attempt makes the next one wait `baseDelayMs · 2^(failures − freeFailures)`, at most `maxDelayMs`.
 */
export interface ThrottleKey {
  key: string;
  freeFailures: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** How long the next attempt under a key waits after `failures` counted attempts. */
export function throttleDelayMs(policy: Omit<ThrottleKey, "key">, failures: number): number {
  if (failures < policy.freeFailures) return 0;
  const doublings = Math.min(failures - policy.freeFailures, 30);
  return Math.min(policy.baseDelayMs * 2 ** doublings, policy.maxDelayMs);
}

/** The verdict on a log-in attempt: go ahead (it is already counted), or wait this long. */
export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterMs: number };

interface ThrottleRow {
  key: string;
  failures: number;
  next_at: number;
  updated_at: number;
}

async function throttleRows(db: Database, keys: readonly string[]): Promise<Map<string, ThrottleRow>> {
  const result = await db.$client.execute({
    sql: "SELECT key, failures, next_at, updated_at FROM login_throttle WHERE key IN (SELECT value FROM json_each(?))",
    args: [JSON.stringify(keys)],
  });
  return new Map(
    result.rows.map((r) => [
      String(r.key),
      {
        key: String(r.key),
        failures: Number(r.failures),
        next_at: Number(r.next_at),
        updated_at: Number(r.updated_at),
      },
    ]),
  );
}

/**
 * Checks and counts a log-in attempt in one write transaction, *before* its password is verified:
 * refused (with the wait) while any key's delay runs; otherwise every key's count goes up as if
 * the attempt failed and its next delay is set. Attempts racing each other are serialized by the
 * write lock, so no more pass than the policies allow however many arrive at once. A count older
 * than `windowMs` starts over. A refused attempt counts nothing (it costs no password check).
 */
export function reserveLoginAttempt(
  db: Database,
  keys: readonly ThrottleKey[],
  now: number,
  windowMs: number,
): Promise<ThrottleVerdict> {
  return withWriteTransaction(db, async (tx) => {
    const rows = await throttleRows(
      tx,
      keys.map((k) => k.key),
    );
    const waits = [...rows.values()].map((r) => r.next_at - now).filter((ms) => ms > 0);
    if (waits.length > 0) return { allowed: false, retryAfterMs: Math.max(...waits) };
    for (const policy of keys) {
      const row = rows.get(policy.key);
      const failures = (row && row.updated_at >= now - windowMs ? row.failures : 0) + 1;
      await tx.$client.execute({
        sql: `INSERT INTO login_throttle (key, failures, next_at, updated_at) VALUES (?, ?, ?, ?)
              ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, next_at = excluded.next_at,
                updated_at = excluded.updated_at`,
        args: [policy.key, failures, now + throttleDelayMs(policy, failures), now],
      });
    }
    return { allowed: true };
  });
}

/**
 * After a successful log-in: the counters under `reset` start over (the account, this client and
 * account), and each key of `refund` gets back the attempt `reserveLoginAttempt` counted (the
 * client's count is not wiped, or one known password would reset a spraying client's limit).
 */
export function settleLoginSuccess(
  db: Database,
  reset: readonly string[],
  refund: readonly ThrottleKey[],
): Promise<void> {
  return withWriteTransaction(db, async (tx) => {
    await tx.$client.execute({
      sql: "DELETE FROM login_throttle WHERE key IN (SELECT value FROM json_each(?))",
      args: [JSON.stringify(reset)],
    });
    const rows = await throttleRows(
      tx,
      refund.map((k) => k.key),
    );
    for (const policy of refund) {
      const row = rows.get(policy.key);
      if (!row) continue;
      const failures = Math.max(row.failures - 1, 0);
      await tx.$client.execute({
        sql: "UPDATE login_throttle SET failures = ?, next_at = ? WHERE key = ?",
        args: [failures, Math.min(row.next_at, row.updated_at + throttleDelayMs(policy, failures)), policy.key],
      });
    }
  });
}

/** The throttle counter under a key (tests and support look at it), or undefined. */
export async function findLoginThrottle(
  db: Database,
  key: string,
): Promise<{ failures: number; nextAt: number; updatedAt: number } | undefined> {
  const rows = await db.select().from(loginThrottle).where(eq(loginThrottle.key, key)).limit(1);
  return rows[0];
}
