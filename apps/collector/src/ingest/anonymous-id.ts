const encoder = new TextEncoder();

/**
 * Visitor ids for browsers without consent: SHA-256 over a secret salt for the day, the site, the
 * IP and the user agent. The same browser keeps its id for one UTC day; the IP cannot be read back.
 */
export function createAnonymousIds(salt: (day: string) => Promise<string>) {
  return async function anonymousId(siteId: number, ip: string, userAgent: string, now: number): Promise<string> {
    const day = new Date(now).toISOString().slice(0, 10);
    const input = `${await salt(day)}|${siteId}|${ip}|${userAgent}`;
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(input)));
    let hex = "a_";
    for (const byte of digest.subarray(0, 12)) hex += byte.toString(16).padStart(2, "0");
    return hex;
  };
}
