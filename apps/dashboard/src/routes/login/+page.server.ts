import { countAdmins, findUserForLogin, pruneAuth } from "@leadtrail/db";
import { fail, redirect } from "@sveltejs/kit";
import { homeFor } from "$lib/server/access.ts";
import { decoyHash, verifyPassword } from "$lib/server/password.ts";
import { beginLoginAttempt, LOGIN_LIMITS, loginSucceeded } from "$lib/server/rate-limit.ts";
import { safeNext } from "$lib/server/redirect.ts";
import { startSession } from "$lib/server/session.ts";
import type { Actions, PageServerLoad } from "./$types";

export const load: PageServerLoad = async ({ locals }) => {
  if ((await countAdmins(locals.db)) === 0) redirect(303, "/setup");
  if (locals.user) redirect(303, homeFor(locals.user.role));
  return {};
};

export const actions: Actions = {
  default: async ({ request, locals, cookies, url, getClientAddress, setHeaders }) => {
    const form = await request.formData();
    const email = String(form.get("email") ?? "").slice(0, 254);
    const password = String(form.get("password") ?? "").slice(0, 200);
    // The socket's peer, or the header named by ADDRESS_HEADER when the dashboard runs behind a
    // proxy that sets it (adapter-node): X-Forwarded-For is never trusted unless configured.
    const client = getClientAddress();
    // Counted before the password is checked, so parallel guesses cannot all be evaluated.
    const attempt = await beginLoginAttempt(locals.db, email, client);
    if (!attempt.allowed) {
      setHeaders({ "retry-after": String(attempt.retryAfterSeconds) });
      return fail(429, { email, error: "login.tooMany" as const, retryAfter: attempt.retryAfterSeconds });
    }
    const user = await findUserForLogin(locals.db, email);
    const ok = await verifyPassword(password, user?.passwordHash ?? (await decoyHash()));
    if (!user || !ok) return fail(400, { email, error: "login.failed" as const, retryAfter: 0 });
    await loginSucceeded(locals.db, email, client);
    const now = Date.now();
    await pruneAuth(locals.db, now, now - LOGIN_LIMITS.windowMs);
    await startSession(locals.db, cookies, url, user.id);
    // `next` never leaves this origin; without a usable one, each role lands on its own start.
    const next = safeNext(url.searchParams.get("next"), url.origin);
    redirect(303, next === "/" ? homeFor(user.role) : next);
  },
};
