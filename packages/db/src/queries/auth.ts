import { and, asc, count, eq, gt, isNull, lt, lte, sql } from "drizzle-orm";
import type { Database } from "../client.ts";
import {
  type ApiKey,
  apiKeys,
  invitations,
  type Locale,
  loginThrottle,
  type Role,
  sessions,
  type User,
  users,
} from "../schema/auth.ts";

/** A user as the dashboard carries it in `locals`: never the password hash. */
export type PublicUser = Omit<User, "passwordHash">;

const publicColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
  locale: users.locale,
  createdAt: users.createdAt,
  lastLoginAt: users.lastLoginAt,
};

/** E-mail addresses compare case-insensitively and without surrounding spaces. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** How many users exist; zero means the dashboard is on its first run and shows /setup. */
export async function countUsers(db: Database): Promise<number> {
  const rows = await db.select({ n: count() }).from(users);
  return rows[0]?.n ?? 0;
}

export interface NewUserInput {
  email: string;
  name?: string | null;
  passwordHash: string;
  role: Role;
  locale?: Locale;
}

/** Creates a user; undefined when the e-mail is already taken. */
export async function createUser(db: Database, input: NewUserInput, now = Date.now()): Promise<PublicUser | undefined> {
  const rows = await db
    .insert(users)
    .values({ ...input, email: normalizeEmail(input.email), createdAt: now })
    .onConflictDoNothing()
    .returning(publicColumns);
  return rows[0];
}

/**
 * Creates the first admin only while no admin exists (other users may: the demo's reps), in one
 * statement, so two setup requests racing each other cannot both become admin. Undefined when an
 * admin already exists, or when the e-mail belongs to another user.
 */
export async function createFirstAdmin(
  db: Database,
  input: Omit<NewUserInput, "role">,
  now = Date.now(),
): Promise<PublicUser | undefined> {
  const result = await db.$client.execute({
    sql: `INSERT INTO users (email, name, password_hash, role, locale, created_at)
          SELECT ?, ?, ?, 'admin', ?, ? WHERE NOT EXISTS (SELECT 1 FROM users WHERE role = 'admin')
          ON CONFLICT DO NOTHING
          RETURNING id`,
    args: [normalizeEmail(input.email), input.name ?? null, input.passwordHash, input.locale ?? "en", now],
  });
  const id = result.rows[0]?.id;
  return id === undefined ? undefined : findUserById(db, Number(id));
}

/** The user with this e-mail including the password hash (for log-in only). */
export async function findUserForLogin(db: Database, email: string): Promise<User | undefined> {
  const rows = await db
    .select()
    .from(users)
    .where(eq(users.email, normalizeEmail(email)))
    .limit(1);
  return rows[0];
}

/** The user with this id, without the password hash. */
export async function findUserById(db: Database, id: number): Promise<PublicUser | undefined> {
  const rows = await db.select(publicColumns).from(users).where(eq(users.id, id)).limit(1);
  return rows[0];
}

/** Every user, oldest first. */
export function listUsers(db: Database): Promise<PublicUser[]> {
  return db.select(publicColumns).from(users).orderBy(asc(users.id));
}

/** Changes a user's role and ends their sessions, so the new rights apply at once. */
export async function setUserRole(db: Database, id: number, role: Role): Promise<boolean> {
  const updated = await db.update(users).set({ role }).where(eq(users.id, id)).returning({ id: users.id });
  if (updated.length === 0) return false;
  await db.delete(sessions).where(eq(sessions.userId, id));
  return true;
}

/** Replaces a user's password hash and ends their sessions (an admin's reset, or a leaked password). */
export async function setUserPassword(db: Database, id: number, passwordHash: string): Promise<boolean> {
  const updated = await db.update(users).set({ passwordHash }).where(eq(users.id, id)).returning({ id: users.id });
  if (updated.length === 0) return false;
  await db.delete(sessions).where(eq(sessions.userId, id));
  return true;
}

/** Stores the user's dashboard language. */
export async function setUserLocale(db: Database, id: number, locale: Locale): Promise<void> {
  await db.update(users).set({ locale }).where(eq(users.id, id));
}

/** Deletes a user; their sessions go with them (cascade). */
export async function deleteUser(db: Database, id: number): Promise<boolean> {
  await db.delete(sessions).where(eq(sessions.userId, id));
  const deleted = await db.delete(users).where(eq(users.id, id)).returning({ id: users.id });
  return deleted.length > 0;
}

/** How many admins exist: the last one cannot be demoted or deleted. */
export async function countAdmins(db: Database): Promise<number> {
  const rows = await db.select({ n: count() }).from(users).where(eq(users.role, "admin"));
  return rows[0]?.n ?? 0;
}

/** Stores a new session under the hash of its token and stamps the user's last log-in. */
export async function createSession(
  db: Database,
  { tokenHash, userId, expiresAt }: { tokenHash: string; userId: number; expiresAt: number },
  now = Date.now(),
): Promise<void> {
  await db.insert(sessions).values({ tokenHash, userId, createdAt: now, expiresAt });
  await db.update(users).set({ lastLoginAt: now }).where(eq(users.id, userId));
}

/** The user behind an unexpired session token hash, or undefined. */
export async function findSessionUser(
  db: Database,
  tokenHash: string,
  now = Date.now(),
): Promise<PublicUser | undefined> {
  const rows = await db
    .select(publicColumns)
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, now)))
    .limit(1);
  return rows[0];
}

/** Revokes one session (log-out). */
export async function deleteSession(db: Database, tokenHash: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
}

/** How long a used or expired one-time link is kept after its expiry. */
export const INVITATION_KEPT_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * Removes expired sessions, one-time links expired more than INVITATION_KEPT_MS ago, and throttle
 * counters quiet since `attemptsBefore` (and no longer delaying anyone).
 */
export async function pruneAuth(db: Database, now: number, attemptsBefore: number): Promise<void> {
  await db.delete(sessions).where(lt(sessions.expiresAt, now));
  // A link's page still says "used" or "expired" for a month; after that it is gone.
  await db.delete(invitations).where(lt(invitations.expiresAt, now - INVITATION_KEPT_MS));
  await db
    .delete(loginThrottle)
    .where(and(lt(loginThrottle.updatedAt, attemptsBefore), lte(loginThrottle.nextAt, now)));
}

/** An API key as lists show it: never the hash. */
export type PublicApiKey = Omit<ApiKey, "keyHash">;

/** Stores an API key by the hash of its secret. */
export async function createApiKey(
  db: Database,
  input: { name: string; prefix: string; keyHash: string; createdBy: number | null },
  now = Date.now(),
): Promise<PublicApiKey> {
  const rows = await db
    .insert(apiKeys)
    .values({ ...input, createdAt: now })
    .returning();
  const row = rows[0];
  if (!row) throw new Error("api key insert returned no row");
  const { keyHash: _hidden, ...rest } = row;
  return rest;
}

/** Every API key, newest first, revoked ones included (marked). */
export async function listApiKeys(db: Database): Promise<PublicApiKey[]> {
  const rows = await db.select().from(apiKeys).orderBy(sql`${apiKeys.id} DESC`);
  return rows.map(({ keyHash: _hidden, ...rest }) => rest);
}

/** Revokes an API key; false when no active key has that id. */
export async function revokeApiKey(db: Database, id: number, now = Date.now()): Promise<boolean> {
  const rows = await db
    .update(apiKeys)
    .set({ revokedAt: now })
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  return rows.length > 0;
}

/** The active API key with this hash (for server-side calls), stamping its last use. */
export async function findApiKeyByHash(
  db: Database,
  keyHash: string,
  now = Date.now(),
): Promise<PublicApiKey | undefined> {
  const rows = await db
    .update(apiKeys)
    .set({ lastUsedAt: now })
    .where(and(eq(apiKeys.keyHash, keyHash), isNull(apiKeys.revokedAt)))
    .returning();
  const row = rows[0];
  if (!row) return undefined;
  const { keyHash: _hidden, ...rest } = row;
  return rest;
}
