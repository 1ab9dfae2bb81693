const encoder = new TextEncoder();

/**
 * Visitor ids for browsers without consent: SHA-256 over the secret salt of the UTC day, the site,
 * the IP and the user agent. The same browser keeps its id for one day; the IP cannot be read back,
 * and once the day's salt is deleted (after 48 h) nobody can recompute the id from an IP either.
 */
export function createAnonymousIds(salt: (day: string, now: number) => Promise<string>) {
  return async function anonymousId(siteId: number, ip: string, userAgent: string, now: number): Promise<string> {
    const day = new Date(now).toISOString().slice(0, 10);
    const input = `${await salt(day, now)}|${siteId}|${ip}|${userAgent}`;
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(input)));
    let hex = "a_";
    for (const byte of digest.subarray(0, 12)) hex += byte.toString(16).padStart(2, "0");
    return hex;
  };
}

/**
 * Daily salts from a shared store (the database), cached in memory for the days in use. `fetch`
 * stores `candidate` unless another process already made that day's salt, and returns the winner.
 * The installation's secret is mixed in, so a leaked salt table alone does not reveal anything.
 */
export function createDailySalts(
  fetch: (day: string, candidate: string, now: number) => Promise<string>,
  secret: string,
): (day: string, now: number) => Promise<string> {
  const cache = new Map<string, Promise<string>>();
  return (day, now) => {
    let salt = cache.get(day);
    if (!salt) {
      // Only today and yesterday are ever hot; older entries go as new days arrive.
      if (cache.size >= 3) cache.delete(cache.keys().next().value as string);
      salt = fetch(day, randomHex(32), now).then((s) => `${secret}:${s}`);
      salt.catch(() => cache.delete(day));
      cache.set(day, salt);
    }
    return salt;
  };
}

function randomHex(bytes: number): string {
  let hex = "";
  for (const b of crypto.getRandomValues(new Uint8Array(bytes))) hex += b.toString(16).padStart(2, "0");
  return hex;
}
