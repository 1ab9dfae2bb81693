// One-time links for people to choose their own password: an invitation for a new user, a reset
// for one who forgot theirs. Admins never see or set passwords; they hand out a link. The token
// is 32 random bytes; only its SHA-256 is stored (a leaked database holds no working link).
import {
  type Database,
  findInvitation,
  type InvitationPurpose,
  insertInvitation,
  type Role,
  redeemInvitation,
} from "@leadtrail/db";
import { DAY_MS } from "@leadtrail/scoring";
import { sha256Hex } from "./hash.ts";

/** How long a link works: a week to accept an invitation, a day to use a reset. */
export const INVITATION_TTL_MS: Record<InvitationPurpose, number> = { invite: 7 * DAY_MS, reset: DAY_MS };

// Web APIs only (btoa, web crypto), like the rest of this package: it also runs at the edge.
function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

/** The dashboard path that opens a link. */
export function invitationPath(token: string): string {
  return `/invite/${token}`;
}

/** A new link for a user: stored by hash, replacing the user's older unused links. */
export async function issueInvitation(
  db: Database,
  input: { userId: number; purpose: InvitationPurpose; createdBy: number | null; now: number },
): Promise<{ token: string; path: string; expiresAt: number }> {
  const token = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const expiresAt = input.now + INVITATION_TTL_MS[input.purpose];
  await insertInvitation(
    db,
    {
      tokenHash: await sha256Hex(token),
      userId: input.userId,
      purpose: input.purpose,
      createdBy: input.createdBy,
      expiresAt,
    },
    input.now,
  );
  return { token, path: invitationPath(token), expiresAt };
}

/** Why a link does not work: never existed (or was replaced by a newer one), already used, too old. */
export type InvitationProblem = "unknown" | "used" | "expired";

export type InvitationCheck =
  | { ok: true; email: string; role: Role; purpose: InvitationPurpose; expiresAt: number }
  | { ok: false; problem: InvitationProblem };

// A token is 43 base64url characters; anything else cannot be one and is not looked up.
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** Whether a link still works, and for whom. */
export async function checkInvitation(db: Database, token: string, now: number): Promise<InvitationCheck> {
  if (!TOKEN_SHAPE.test(token)) return { ok: false, problem: "unknown" };
  const found = await findInvitation(db, await sha256Hex(token));
  if (!found) return { ok: false, problem: "unknown" };
  if (found.usedAt !== null) return { ok: false, problem: "used" };
  if (found.expiresAt <= now) return { ok: false, problem: "expired" };
  return { ok: true, email: found.email, role: found.role, purpose: found.purpose, expiresAt: found.expiresAt };
}

/**
 * Uses a link: sets the password (hashed by the caller) and ends every session of the user, once.
 * Fails with the link's problem when it does not work (any more).
 */
export async function acceptInvitation(
  db: Database,
  { token, passwordHash, now }: { token: string; passwordHash: string; now: number },
): Promise<{ ok: true; userId: number; role: Role } | { ok: false; problem: InvitationProblem }> {
  const check = await checkInvitation(db, token, now);
  if (!check.ok) return check;
  const redeemed = await redeemInvitation(db, { tokenHash: await sha256Hex(token), passwordHash, now });
  // Between the check and the transaction another request used it (or it just expired).
  if (!redeemed) {
    const again = await checkInvitation(db, token, now);
    return { ok: false, problem: again.ok ? "used" : again.problem };
  }
  return { ok: true, ...redeemed };
}
