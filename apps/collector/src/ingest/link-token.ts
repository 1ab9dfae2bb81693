// Link tokens join a QR scan (or a tracked-link click) to the browser that opens the landing page.
//
// `GET /r/:code` without `v=` records the scan for the cookieless daily hash of the phone (a
// printed poster cannot know a visitor id); the landing page's tracker then makes its own id, so
// without help the scan's points would never reach the lead that signs up later. The redirect
// therefore adds `lt_s=<token>` to the target URL. The token names the site, the scan event's
// client id and an expiry, signed with HMAC-SHA-256 under a key derived from the installation's
// secret (VISITOR_HASH_SECRET). The tracker strips it from the address bar and sends it once with
// its first batch that has a visitor id; the collector then moves the scan to that visitor in the
// write transaction. A token is ignored when its signature is wrong (forged or altered), when it
// has expired, when it names another site, when the batch has no visitor id (no consent:
// nothing is stored in the browser and the scan stays on the cookieless visitor), and the second
// time it is used (`link_token_uses`). It carries no visitor id and nothing personal.

/** How long the landing page has to send the token (it is sent with the first batch, within seconds). */
export const LINK_TOKEN_TTL_MS = 15 * 60_000;

/** Query parameter the redirect adds and the tracker reads. */
export const LINK_TOKEN_PARAM = "lt_s";

/** What a valid token says. */
export interface LinkTokenClaims {
  siteId: number;
  /** Client id of the scan / click event. */
  eventId: string;
  expiresAt: number;
}

export interface LinkTokens {
  sign(claims: LinkTokenClaims): Promise<string>;
  /** The claims of a genuine, unexpired token of this site; undefined otherwise (never throws). */
  verify(token: string, siteId: number, now: number): Promise<LinkTokenClaims | undefined>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const PAYLOAD_RE = /^(\d{1,12})\.(\d{1,15})\.([\w-]{8,64})$/;

function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[\w-]*$/.test(text)) return undefined;
  try {
    const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    return undefined;
  }
}

/** Signs and checks link tokens with a key derived from `secret` (web crypto only). */
export function createLinkTokens(secret: string): LinkTokens {
  const key = crypto.subtle.importKey(
    "raw",
    encoder.encode(`leadtrail link token|${secret}`),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign", "verify"],
  );
  return {
    async sign(claims) {
      const payload = encoder.encode(`${claims.siteId}.${claims.expiresAt}.${claims.eventId}`);
      const mac = new Uint8Array(await crypto.subtle.sign("HMAC", await key, payload));
      return `${toBase64Url(payload)}.${toBase64Url(mac)}`;
    },
    async verify(token, siteId, now) {
      if (token.length > 300) return undefined;
      const [payloadText, macText, extra] = token.split(".");
      if (payloadText === undefined || macText === undefined || extra !== undefined) return undefined;
      const payload = fromBase64Url(payloadText);
      const mac = fromBase64Url(macText);
      if (!payload || !mac || mac.length !== 32) return undefined;
      // crypto.subtle.verify compares in constant time.
      if (!(await crypto.subtle.verify("HMAC", await key, mac, payload))) return undefined;
      const match = PAYLOAD_RE.exec(decoder.decode(payload));
      if (!match) return undefined;
      const claims = { siteId: Number(match[1]), expiresAt: Number(match[2]), eventId: match[3] as string };
      if (claims.siteId !== siteId || claims.expiresAt < now) return undefined;
      return claims;
    },
  };
}
