// The password policy, in one place for everything that sets a password: the dashboard (setup,
// invitations, resets, ADMIN_PASSWORD at start) and the launcher (ADMIN_PASSWORD checked before
// anything starts). Pure: no I/O.

/** The shortest password accepted wherever one is set (NIST SP 800-63B asks for at least 8; we ask 12). */
export const MIN_PASSWORD_LENGTH = 12;
/** The longest: scrypt hashes any length, but a cap keeps a hostile form from costing seconds. */
export const MAX_PASSWORD_LENGTH = 200;

export type PasswordProblem = "too_short" | "too_long" | "only_whitespace";

/**
 * Checks a new password against the policy every place that sets one uses (setup, users,
 * invitations, resets, ADMIN_PASSWORD): length counted in code points after NFKC (what is hashed),
 * and not only whitespace. Composition rules are deliberately absent (NIST SP 800-63B).
 * Returns the problem, or null when the password is acceptable.
 */
export function passwordProblem(password: string): PasswordProblem | null {
  const length = [...password.normalize("NFKC")].length;
  if (length > MAX_PASSWORD_LENGTH) return "too_long";
  if (password.trim() === "") return "only_whitespace";
  if (length < MIN_PASSWORD_LENGTH) return "too_short";
  return null;
}
