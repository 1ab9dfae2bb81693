import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/** Dashboard roles: admin (everything), marketer (analytics, scoring, campaigns), sales (own leads + pool). */
export const ROLES = ["admin", "marketer", "sales"] as const;
export type Role = (typeof ROLES)[number];

/** Languages the dashboard ships; each user picks one. */
export const LOCALES = ["en", "de"] as const;
export type Locale = (typeof LOCALES)[number];

/**
 * The password hash of a user who has not chosen a password yet (invited, or a demo rep): no
 * password matches it, because verifying refuses anything that is not `scrypt$…`.
 */
export const NO_PASSWORD_HASH = "disabled";

/** A person who logs in to the dashboard. */
export const users = sqliteTable(
  "users",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** Stored lower-cased and trimmed: log-in compares exactly. */
    email: text("email").notNull(),
    name: text("name"),
    /** Self-describing hash string (`scrypt$N$r$p$salt$hash`), produced by the dashboard. */
    passwordHash: text("password_hash").notNull(),
    role: text("role", { enum: ROLES }).notNull(),
    locale: text("locale", { enum: LOCALES }).notNull().default("en"),
    createdAt: integer("created_at").notNull(),
    lastLoginAt: integer("last_login_at"),
  },
  (t) => [uniqueIndex("users_email_uq").on(t.email)],
);

/**
 * A logged-in browser. Only the SHA-256 of the cookie's token is stored, so a leaked database
 * cannot be replayed as sessions; deleting the row is logging out.
 */
export const sessions = sqliteTable(
  "sessions",
  {
    tokenHash: text("token_hash").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
  },
  // Revoking every session of a user (role change, deletion) finds them by user.
  (t) => [index("sessions_user_idx").on(t.userId)],
);

/**
 * Log-in throttle counters, one row per key (`account:<e-mail>`, `client:<address>`,
 * `pair:<e-mail>|<address>`): failures in the current window and the earliest time the next
 * attempt under the key may be checked. An attempt is counted here *before* its password is
 * verified (in one write transaction), so parallel guesses cannot all slip through; a success
 * resets or refunds the counters. Kept in the database so the limits hold across restarts and
 * processes.
 */
export const loginThrottle = sqliteTable("login_throttle", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull(),
  /** Epoch ms before which an attempt under this key is refused (429 with Retry-After). */
  nextAt: integer("next_at").notNull(),
  /** The last counted attempt: after a quiet window the count starts over. */
  updatedAt: integer("updated_at").notNull(),
});

/** A secret key for server-side calls; only its SHA-256 is stored, the prefix identifies it in lists. */
export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    name: text("name").notNull(),
    prefix: text("prefix").notNull(),
    keyHash: text("key_hash").notNull(),
    createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: integer("created_at").notNull(),
    lastUsedAt: integer("last_used_at"),
    revokedAt: integer("revoked_at"),
  },
  (t) => [uniqueIndex("api_keys_hash_uq").on(t.keyHash)],
);

/** What a one-time link lets its holder do: set the first password, or replace a forgotten one. */
export const INVITATION_PURPOSES = ["invite", "reset"] as const;
export type InvitationPurpose = (typeof INVITATION_PURPOSES)[number];

/**
 * One-time links an admin hands to a person (invitation, password reset). Only the SHA-256 of the
 * link's token is stored, like sessions and API keys: the link itself is shown once, to the admin
 * who made it. A link works until `expires_at`, once (`used_at`), and a newer link for the same
 * user replaces it (the older row is deleted).
 */
export const invitations = sqliteTable(
  "invitations",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    tokenHash: text("token_hash").notNull(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    purpose: text("purpose", { enum: INVITATION_PURPOSES }).notNull(),
    createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    usedAt: integer("used_at"),
  },
  (t) => [
    // Opening a link looks it up by its hash.
    uniqueIndex("invitations_token_uq").on(t.tokenHash),
    // Settings → Users shows each user's open link; a new link replaces the user's older ones.
    index("invitations_user_idx").on(t.userId),
  ],
);

export type User = typeof users.$inferSelect;
export type Session = typeof sessions.$inferSelect;
export type ApiKey = typeof apiKeys.$inferSelect;
export type Invitation = typeof invitations.$inferSelect;
