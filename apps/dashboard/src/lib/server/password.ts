import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from "node:crypto";

/**
 * scrypt from node:crypto, a memory-hard function. N = 2^15, r = 8, p = 1 needs 32 MiB per hash
 * (128·N·r bytes) and ~50–100 ms on these machines: OWASP's minimum for scrypt is N = 2^17 with
 * r = 8, p = 1 *or* an equivalent trade; we keep 2^15 so a 2-core dashboard stays responsive under a
 * burst of log-ins (the per-e-mail and per-IP rate limits cap guessing far below what N buys).
 * The parameters are stored in each hash, so raising them later keeps old hashes valid.
 */
export const SCRYPT_PARAMS = { N: 2 ** 15, r: 8, p: 1, keyLength: 32, saltLength: 16 } as const;

function derive(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize("NFKC"), salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

function maxmem(N: number, r: number): number {
  return 128 * N * r * 2;
}

/** Hashes a password as `scrypt$N$r$p$salt$hash` (salt and hash in base64url). */
export async function hashPassword(password: string): Promise<string> {
  const { N, r, p, keyLength, saltLength } = SCRYPT_PARAMS;
  const salt = randomBytes(saltLength);
  const key = await derive(password, salt, keyLength, { N, r, p, maxmem: maxmem(N, r) });
  return ["scrypt", N, r, p, salt.toString("base64url"), key.toString("base64url")].join("$");
}

/** True when the password matches the stored hash; compares in constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64url");
  const N = Number(n);
  const R = Number(r);
  const key = await derive(password, Buffer.from(salt, "base64url"), expected.length, {
    N,
    r: R,
    p: Number(p),
    maxmem: maxmem(N, R),
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

// A hash of a random password: log-in with an unknown e-mail verifies against it, so the answer
// takes as long as for a known e-mail and does not reveal which addresses have accounts.
let decoy: Promise<string> | undefined;
/** A stand-in hash to verify against when no user has the given e-mail. */
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(16).toString("hex"));
  return decoy;
}

// The policy itself lives in packages/workflows, so that the launcher checks ADMIN_PASSWORD by the
// same rules before it starts anything.
export {
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
  type PasswordProblem,
  passwordProblem,
} from "@leadtrail/workflows";

import { type PasswordProblem, passwordProblem } from "@leadtrail/workflows";

/** The message key of the policy's verdict on a new password (`password.too_short` …), or null when it is fine. */
export function passwordError(password: string): `password.${PasswordProblem}` | null {
  const problem = passwordProblem(password);
  return problem === null ? null : `password.${problem}`;
}
