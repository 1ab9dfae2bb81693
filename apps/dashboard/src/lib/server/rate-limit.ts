import { type Database, reserveLoginAttempt, settleLoginSuccess, type ThrottleKey } from "@leadtrail/db";

/**
 * Log-in throttling: progressive delays instead of a lock-out. Three counters per attempt, all
 * counted before the password is checked (packages/db `reserveLoginAttempt`, one write
 * transaction), so parallel guesses are held to the free attempts:
 * - this account from this client: 5 free failures, then 15 s, 30 s, 60 s … up to 15 minutes.
 *   This is what stops guessing one password from one place.
 * - this account from anywhere: 20 free failures, then 1 s doubling up to 30 s. Guessing spread
 *   over many addresses slows to a crawl, while the owner on another address gets in after at
 *   most a short wait: nobody can lock someone else out.
 * - this client across accounts: 50 free failures, then 15 s doubling up to 15 minutes (one
 *   address spraying a common password over many accounts).
 * A count starts over after 15 quiet minutes; a success resets the account's counters and gives
 * the client back the attempt it counted.
 */
export const LOGIN_LIMITS = { windowMs: 15 * 60_000 } as const;

const PAIR = { freeFailures: 5, baseDelayMs: 15_000, maxDelayMs: 15 * 60_000 } as const;
const ACCOUNT = { freeFailures: 20, baseDelayMs: 1_000, maxDelayMs: 30_000 } as const;
const CLIENT = { freeFailures: 50, baseDelayMs: 15_000, maxDelayMs: 15 * 60_000 } as const;

/** The throttle keys of an attempt: e-mails compare trimmed and lower-cased, like log-in itself. */
export function loginKeys(
  email: string,
  client: string,
): { pair: ThrottleKey; account: ThrottleKey; client: ThrottleKey } {
  const address = email.trim().toLowerCase();
  return {
    pair: { key: `pair:${address}|${client}`, ...PAIR },
    account: { key: `account:${address}`, ...ACCOUNT },
    client: { key: `client:${client}`, ...CLIENT },
  };
}

/** Counts an attempt before its password is checked; `retryAfterSeconds` when it must wait instead. */
export async function beginLoginAttempt(
  db: Database,
  email: string,
  client: string,
  now = Date.now(),
): Promise<{ allowed: true } | { allowed: false; retryAfterSeconds: number }> {
  const k = loginKeys(email, client);
  const verdict = await reserveLoginAttempt(db, [k.pair, k.account, k.client], now, LOGIN_LIMITS.windowMs);
  return verdict.allowed
    ? verdict
    : { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(verdict.retryAfterMs / 1000)) };
}

/** After the right password: the account's counters start over, the client's attempt is given back. */
export function loginSucceeded(db: Database, email: string, client: string): Promise<void> {
  const k = loginKeys(email, client);
  return settleLoginSuccess(db, [k.pair.key, k.account.key], [k.client]);
}
