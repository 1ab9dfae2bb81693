import { clearFailedLogins, countUsers, findUserForLogin, pruneAuth } from "@leadtrail/db";
import { fail, redirect } from "@sveltejs/kit";
import { homeFor } from "$lib/server/access.ts";
import { safeNext } from "$lib/server/redirect.ts";
import { decoyHash, verifyPassword } from "$lib/server/password.ts";
import { emailKey, LOGIN_LIMITS, loginAllowed, noteFailedLogin } from "$lib/server/rate-limit.ts";
import { startSession } from "$lib/server/session.ts";
import type { Actions, PageServerLoad } from "./$types";

export const load: PageServerLoad = async ({ locals }) => {
  if ((await countUsers(locals.db)) === 0) redirect(303, "/setup");
  if (locals.user) redirect(303, homeFor(locals.user.role));
  return {};
};

export const actions: Actions = {
  default: async ({ request, locals, cookies, url, getClientAddress }) => {
    const form = await request.formData();
    const email = String(form.get("email") ?? "").slice(0, 254);
    const password = String(form.get("password") ?? "").slice(0, 200);
    const ip = getClientAddress();
    if (!(await loginAllowed(locals.db, email, ip))) {
      return fail(429, { email, error: "login.tooMany" as const });
    }
    const user = await findUserForLogin(locals.db, email);
    const ok = await verifyPassword(password, user?.passwordHash ?? (await decoyHash()));
    if (!user || !ok) {
      await noteFailedLogin(locals.db, email, ip);
      return fail(400, { email, error: "login.failed" as const });
    }
    await clearFailedLogins(locals.db, emailKey(email));
    const now = Date.now();
    await pruneAuth(locals.db, now, now - LOGIN_LIMITS.windowMs);
    await startSession(locals.db, cookies, url, user.id);
    // `next` never leaves this origin; without a usable one, each role lands on its own start.
    const next = safeNext(url.searchParams.get("next"), url.origin);
    redirect(303, next === "/" ? homeFor(user.role) : next);
  },
};
