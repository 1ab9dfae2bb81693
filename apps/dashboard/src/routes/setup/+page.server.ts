import { countAdmins, createFirstAdmin } from "@leadtrail/db";
import { fail, redirect } from "@sveltejs/kit";
import { hashPassword, MIN_PASSWORD_LENGTH, passwordError } from "$lib/server/password.ts";
import { startSession } from "$lib/server/session.ts";
import type { Actions, PageServerLoad } from "./$types";

const EMAIL_RE = /^[^\s@]{1,64}@[^\s@]{1,190}$/;

export const load: PageServerLoad = async ({ locals }) => {
  // Setup exists only while there is no admin; afterwards it is the log-in page's job.
  if ((await countAdmins(locals.db)) > 0) redirect(303, "/login");
  return { minLength: MIN_PASSWORD_LENGTH };
};

export const actions: Actions = {
  default: async ({ request, locals, cookies, url }) => {
    const form = await request.formData();
    const email = String(form.get("email") ?? "").trim();
    const name =
      String(form.get("name") ?? "")
        .trim()
        .slice(0, 100) || null;
    const password = String(form.get("password") ?? "");
    if (!EMAIL_RE.test(email)) return fail(400, { email, name, error: "setup.badEmail" as const });
    const weak = passwordError(password);
    if (weak) return fail(400, { email, name, error: weak });
    const admin = await createFirstAdmin(locals.db, {
      email,
      name,
      passwordHash: await hashPassword(password),
      locale: locals.locale,
    });
    if (!admin) redirect(303, "/login");
    await startSession(locals.db, cookies, url, admin.id);
    redirect(303, "/");
  },
};
