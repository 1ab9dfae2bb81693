/**
 * Signed requests between the edge and the origin (`/internal/*`). The edge signs
 * `timestamp.nonce.METHOD path.body` with HMAC-SHA256 under a shared secret and sends
 * `X-Leadtrail-Signature: t=<ms>,n=<nonce>,s=<hex>`. The origin refuses a request that is unsigned,
 * badly signed, more than a minute off its clock, or whose nonce it has already seen in that minute
 * (a replay). Web Crypto only, so both sides run the same code.
 */

export const SIGNATURE_HEADER = "x-leadtrail-signature";
/** How far a signature's timestamp may be from the verifier's clock, either way. */
export const SIGNATURE_MAX_AGE_MS = 60_000;

const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
      "verify",
    ]);
    keys.set(secret, key);
  }
  return key;
}

function message(t: string, nonce: string, method: string, path: string, body: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(`${t}.${nonce}.${method.toUpperCase()} ${path}.${body}`);
}

function toHex(bytes: Uint8Array): string {
  let hex = "";
  for (const b of bytes) hex += b.toString(16).padStart(2, "0");
  return hex;
}

function fromHex(hex: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[0-9a-f]{64}$/.test(hex)) return undefined;
  const bytes = new Uint8Array(32);
  for (let i = 0; i < 32; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

/** The signature header value for a request of `method` to `path` (with its query) carrying `body`. */
export async function signRequest(
  secret: string,
  method: string,
  path: string,
  body: string,
  now = Date.now(),
): Promise<string> {
  const t = String(now);
  const nonce = toHex(crypto.getRandomValues(new Uint8Array(12)));
  const mac = await crypto.subtle.sign("HMAC", await hmacKey(secret), message(t, nonce, method, path, body));
  return `t=${t},n=${nonce},s=${toHex(new Uint8Array(mac))}`;
}

export type SignatureProblem = "unsigned" | "malformed" | "expired" | "bad_signature" | "replayed";

/**
 * Nonces of accepted signatures, kept until their timestamp leaves the window (after that the
 * timestamp check refuses them anyway), so memory stays bounded by one minute of requests.
 */
export class ReplayGuard {
  #seen = new Map<string, number>();

  /** Records `nonce` (valid until `until`); false when it was already there. */
  claim(nonce: string, until: number, now: number): boolean {
    for (const [n, expiry] of this.#seen) {
      if (expiry > now) break; // insertion order is close to time order; the rest are younger
      this.#seen.delete(n);
    }
    if (this.#seen.has(nonce)) return false;
    this.#seen.set(nonce, until);
    return true;
  }

  /** Nonces remembered now (for tests of the bound). */
  get size(): number {
    return this.#seen.size;
  }
}

/** Checks a signature header; undefined when the request is authentic and fresh, else the problem. */
export async function verifyRequest(
  secret: string,
  header: string | undefined,
  request: { method: string; path: string; body: string },
  guard: ReplayGuard,
  now = Date.now(),
): Promise<SignatureProblem | undefined> {
  if (!header) return "unsigned";
  const match = /^t=(\d{1,16}),n=([0-9a-f]{8,64}),s=([0-9a-f]{64})$/.exec(header);
  const mac = match ? fromHex(match[3] as string) : undefined;
  if (!match || !mac) return "malformed";
  const [, t, nonce] = match as unknown as [string, string, string];
  const at = Number(t);
  if (Math.abs(now - at) > SIGNATURE_MAX_AGE_MS) return "expired";
  const ok = await crypto.subtle.verify(
    "HMAC",
    await hmacKey(secret),
    mac,
    message(t, nonce, request.method, request.path, request.body),
  );
  if (!ok) return "bad_signature";
  if (!guard.claim(nonce, at + SIGNATURE_MAX_AGE_MS, now)) return "replayed";
  return undefined;
}
