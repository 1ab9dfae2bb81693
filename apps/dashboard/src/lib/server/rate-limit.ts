import { countFailedLogins, type Database, recordFailedLogin } from "@leadtrail/db";

/** Failed log-ins allowed per window: per e-mail stops guessing one account, per IP spraying many. */
export const LOGIN_LIMITS = { windowMs: 15 * 60_000, perEmail: 5, perIp: 30 } as const;

function keys(email: string, ip: string) {
  return { email: `email:${email.trim().toLowerCase()}`, ip: `ip:${ip}` };
}

/** Whether another log-in attempt for this e-mail from this address is allowed now. */
export async function loginAllowed(db: Database, email: string, ip: string, now = Date.now()): Promise<boolean> {
  const k = keys(email, ip);
  const counts = await countFailedLogins(db, [k.email, k.ip], now - LOGIN_LIMITS.windowMs);
  return (counts.get(k.email) ?? 0) < LOGIN_LIMITS.perEmail && (counts.get(k.ip) ?? 0) < LOGIN_LIMITS.perIp;
}

/** Counts a failed attempt against the e-mail and the address. */
export async function noteFailedLogin(db: Database, email: string, ip: string, now = Date.now()): Promise<void> {
  const k = keys(email, ip);
  await recordFailedLogin(db, [k.email, k.ip], now);
}

/** The rate-limit key of an e-mail (cleared after a successful log-in). */
export function emailKey(email: string): string {
  return keys(email, "").email;
}
