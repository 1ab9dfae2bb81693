/** SHA-256 of a string as lower-case hex (web crypto, so it runs at the edge too). */
export async function sha256Hex(text: string): Promise<string> {
  return toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text))));
}

/** Lower-case hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  let hex = "";
  for (const b of bytes) hex += b.toString(16).padStart(2, "0");
  return hex;
}

/**
 * The tombstone of an erased e-mail or visitor id: SHA-256 of site, kind and value. E-mails are
 * normalised (trimmed, lower case) first, as the collector stores them.
 */
export function tombstoneHash(siteId: number, kind: "email" | "visitor", value: string): Promise<string> {
  const normalised = kind === "email" ? value.trim().toLowerCase() : value;
  return sha256Hex(`${siteId}:${kind}:${normalised}`);
}

/** API keys are stored as SHA-256 hex of the secret (the dashboard's settings page does the same). */
export function apiKeyHash(secret: string): Promise<string> {
  return sha256Hex(secret);
}
