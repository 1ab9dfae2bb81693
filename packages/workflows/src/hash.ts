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

/** HMAC-SHA256 of `message` under `secret` as lower-case hex (web crypto). */
export async function hmacSha256Hex(secret: string, message: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return toHex(new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(message))));
}

/** A new random secret: 32 bytes as hex (web crypto, so it runs at the edge too). */
export function randomSecretHex(): string {
  return toHex(crypto.getRandomValues(new Uint8Array(32)));
}

function tombstoneText(siteId: number, kind: "email" | "visitor", value: string): string {
  return `${siteId}:${kind}:${kind === "email" ? value.trim().toLowerCase() : value}`;
}

/**
 * The tombstone of an erased e-mail or visitor id: HMAC-SHA256 of site, kind and value under the
 * site's tombstone key. Keyed because a plain hash of an e-mail is reversed by hashing a list of
 * addresses; with the key an erased address is still recognised but cannot be recovered from the
 * table alone. E-mails are normalised (trimmed, lower case) first, as the collector stores them.
 */
export function tombstoneHash(key: string, siteId: number, kind: "email" | "visitor", value: string): Promise<string> {
  return hmacSha256Hex(key, tombstoneText(siteId, kind, value));
}

/**
 * The unkeyed SHA-256 tombstone that erases before tombstone keys stored. Still looked up (they
 * must keep erased people out), never written any more.
 */
export function legacyTombstoneHash(siteId: number, kind: "email" | "visitor", value: string): Promise<string> {
  return sha256Hex(tombstoneText(siteId, kind, value));
}

/** API keys are stored as SHA-256 hex of the secret (the dashboard's settings page does the same). */
export function apiKeyHash(secret: string): Promise<string> {
  return sha256Hex(secret);
}
