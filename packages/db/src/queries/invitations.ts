import type { Database } from "../client.ts";
import { type InvitationPurpose, NO_PASSWORD_HASH, type Role } from "../schema/auth.ts";
import { withWriteTransaction } from "../transactions.ts";

// One-time links (invitations and password resets). The token is made and hashed by the caller
// (packages/workflows `issueInvitation`); these queries only see its hash.

/** Stores a link and deletes the user's other unused links, so only the newest one works. */
export async function insertInvitation(
  db: Database,
  input: {
    tokenHash: string;
    userId: number;
    purpose: InvitationPurpose;
    createdBy: number | null;
    expiresAt: number;
  },
  now = Date.now(),
): Promise<void> {
  await db.$client.batch(
    [
      { sql: "DELETE FROM invitations WHERE user_id = ? AND used_at IS NULL", args: [input.userId] },
      {
        sql: `INSERT INTO invitations (token_hash, user_id, purpose, created_by, created_at, expires_at)
              VALUES (?, ?, ?, ?, ?, ?)`,
        args: [input.tokenHash, input.userId, input.purpose, input.createdBy, now, input.expiresAt],
      },
    ],
    "write",
  );
}

/** A link as its page needs it: whom it is for and whether it still works. */
export interface InvitationView {
  userId: number;
  email: string;
  role: Role;
  purpose: InvitationPurpose;
  expiresAt: number;
  usedAt: number | null;
}

/** The link with this token hash, used or not; undefined when there is none (or it was replaced). */
export async function findInvitation(db: Database, tokenHash: string): Promise<InvitationView | undefined> {
  const result = await db.$client.execute({
    sql: `SELECT i.user_id, u.email, u.role, i.purpose, i.expires_at, i.used_at
          FROM invitations i JOIN users u ON u.id = i.user_id WHERE i.token_hash = ?`,
    args: [tokenHash],
  });
  const row = result.rows[0];
  if (!row) return undefined;
  return {
    userId: Number(row.user_id),
    email: String(row.email),
    role: String(row.role) as Role,
    purpose: String(row.purpose) as InvitationPurpose,
    expiresAt: Number(row.expires_at),
    usedAt: row.used_at == null ? null : Number(row.used_at),
  };
}

/**
 * Uses a link: in one write transaction, marks it used (only if it is unused and unexpired),
 * sets the user's password hash and ends all the user's sessions. Undefined when the link did not
 * work any more — two tabs submitting the same link cannot both set a password.
 */
export async function redeemInvitation(
  db: Database,
  { tokenHash, passwordHash, now }: { tokenHash: string; passwordHash: string; now: number },
): Promise<{ userId: number; role: Role } | undefined> {
  return withWriteTransaction(db, async (tx) => {
    const used = await tx.$client.execute({
      sql: `UPDATE invitations SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?
            RETURNING user_id`,
      args: [now, tokenHash, now],
    });
    const userId = used.rows[0]?.user_id;
    if (userId == null) return undefined;
    const user = await tx.$client.execute({
      sql: "UPDATE users SET password_hash = ? WHERE id = ? RETURNING role",
      args: [passwordHash, userId],
    });
    await tx.$client.execute({ sql: "DELETE FROM sessions WHERE user_id = ?", args: [userId] });
    await tx.$client.execute({ sql: "DELETE FROM invitations WHERE user_id = ? AND used_at IS NULL", args: [userId] });
    const role = user.rows[0]?.role;
    return role == null ? undefined : { userId: Number(userId), role: String(role) as Role };
  });
}

/** How a user can get in, as Settings → Users shows it. */
export interface UserAccess {
  /** False for an invited user (or demo rep) who has not chosen a password yet. */
  hasPassword: boolean;
  /** The user's working link, if any: its purpose and when it expires. */
  openLink: { purpose: InvitationPurpose; expiresAt: number } | null;
}

/** Every user's access by id: password set or not, and the newest unused, unexpired link. */
export async function listUserAccess(db: Database, now = Date.now()): Promise<Map<number, UserAccess>> {
  const result = await db.$client.execute({
    sql: `SELECT u.id, u.password_hash = ? AS no_password, i.purpose, i.expires_at
          FROM users u
          LEFT JOIN invitations i ON i.id = (
            SELECT id FROM invitations WHERE user_id = u.id AND used_at IS NULL AND expires_at > ?
            ORDER BY id DESC LIMIT 1)`,
    args: [NO_PASSWORD_HASH, now],
  });
  return new Map(
    result.rows.map((row) => [
      Number(row.id),
      {
        hasPassword: Number(row.no_password) !== 1,
        openLink:
          row.purpose == null
            ? null
            : { purpose: String(row.purpose) as InvitationPurpose, expiresAt: Number(row.expires_at) },
      },
    ]),
  );
}

/** Users who have not chosen a password yet (invited, demo reps), oldest first. */
export async function listUsersWithoutPassword(db: Database): Promise<{ id: number; email: string; role: Role }[]> {
  const result = await db.$client.execute({
    sql: "SELECT id, email, role FROM users WHERE password_hash = ? ORDER BY id",
    args: [NO_PASSWORD_HASH],
  });
  return result.rows.map((r) => ({ id: Number(r.id), email: String(r.email), role: String(r.role) as Role }));
}
