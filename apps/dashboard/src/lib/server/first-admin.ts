import { countAdmins, createFirstAdmin, type Database } from "@leadtrail/db";
import { hashPassword, passwordProblem } from "./password.ts";

const EMAIL_RE = /^[^\s@]{1,64}@[^\s@]{1,190}$/;

/**
 * The one place that creates the first admin from the environment (`ADMIN_EMAIL` and
 * `ADMIN_PASSWORD`; `npm start` sets them to a generated account on a first run): when no admin
 * exists, whatever other users do (the demo's reps). Without `ADMIN_EMAIL` it does nothing and
 * /setup asks instead. A bad value stops the start with a message rather than leaving a
 * dashboard nobody can log in to. Returns true when it created the admin.
 */
export async function createAdminFromEnvironment(
  db: Database,
  { email, password }: { email?: string; password?: string },
): Promise<boolean> {
  const address = email?.trim();
  if (!address || (await countAdmins(db)) > 0) return false;
  if (!EMAIL_RE.test(address)) throw new Error(`ADMIN_EMAIL is not an e-mail address: ${JSON.stringify(address)}`);
  const problem = passwordProblem(password ?? "");
  if (problem)
    throw new Error(
      `ADMIN_PASSWORD is not acceptable (${problem.replace("_", " ")}): at least 12 characters, not only spaces`,
    );
  const admin = await createFirstAdmin(db, { email: address, passwordHash: await hashPassword(password ?? "") });
  // Undefined: another process made an admin meanwhile (fine), or the address is a non-admin's.
  if (!admin && (await countAdmins(db)) === 0) {
    throw new Error(`ADMIN_EMAIL ${address} already belongs to a user who is not an admin`);
  }
  return admin !== undefined;
}
