import { createHash, randomBytes } from "node:crypto";
import { createSession, type Database, deleteSession } from "@leadtrail/db";
import type { Cookies } from "@sveltejs/kit";

export const SESSION_COOKIE = "lt_session";
/** Sessions last two weeks; logging out or a role change ends them sooner. */
export const SESSION_TTL_MS = 14 * 86_400_000;

/** SHA-256 (hex) of a session token: what the sessions table stores. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Starts a session for a user and sets its cookie (HttpOnly, SameSite=Lax, Secure over https). */
export async function startSession(db: Database, cookies: Cookies, url: URL, userId: number, now = Date.now()) {
  const token = randomBytes(32).toString("base64url");
  await createSession(db, { tokenHash: hashToken(token), userId, expiresAt: now + SESSION_TTL_MS }, now);
  cookies.set(SESSION_COOKIE, token, {
    path: "/",
    httpOnly: true,
    sameSite: "lax",
    secure: url.protocol === "https:",
    maxAge: SESSION_TTL_MS / 1000,
  });
}

/** Revokes the current session in the database and clears its cookie. */
export async function endSession(db: Database, cookies: Cookies, url: URL) {
  const token = cookies.get(SESSION_COOKIE);
  if (token) await deleteSession(db, hashToken(token));
  cookies.delete(SESSION_COOKIE, { path: "/", httpOnly: true, sameSite: "lax", secure: url.protocol === "https:" });
}
