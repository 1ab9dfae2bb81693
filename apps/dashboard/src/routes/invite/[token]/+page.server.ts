import { acceptInvitation, checkInvitation, type InvitationProblem } from "@leadtrail/workflows";
import { fail, redirect } from "@sveltejs/kit";
import { homeFor } from "$lib/server/access.ts";
import { hashPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, passwordProblem } from "$lib/server/password.ts";
import { startSession } from "$lib/server/session.ts";
import type { Actions, PageServerLoad } from "./$types";

// A one-time link (invitation or password reset) made in Settings → Users or by `npm start` for
// the demo reps: the person chooses a password and is logged in. Public: the token is the proof.

const PROBLEM_MESSAGES = {
  unknown: "invite.unknown",
  used: "invite.used",
  expired: "invite.expired",
} as const satisfies Record<InvitationProblem, string>;

const POLICY_MESSAGES = {
  too_short: "invite.tooShort",
  too_long: "invite.tooLong",
  only_whitespace: "invite.onlyWhitespace",
} as const;

export const load: PageServerLoad = async ({ locals, params, setHeaders }) => {
  // The token is in the path: keep the page out of caches (hooks set a same-origin Referer policy).
  setHeaders({ "cache-control": "no-store" });
  const check = await checkInvitation(locals.db, params.token, Date.now());
  const policy = { min: MIN_PASSWORD_LENGTH, max: MAX_PASSWORD_LENGTH };
  if (!check.ok) return { problem: PROBLEM_MESSAGES[check.problem], ...policy };
  return { problem: null, email: check.email, purpose: check.purpose, ...policy };
};

export const actions: Actions = {
  default: async ({ locals, params, request, cookies, url }) => {
    const now = Date.now();
    const password = String((await request.formData()).get("password") ?? "").slice(0, MAX_PASSWORD_LENGTH * 4);
    const check = await checkInvitation(locals.db, params.token, now);
    if (!check.ok) return fail(410, { problem: PROBLEM_MESSAGES[check.problem] });
    const problem = passwordProblem(password);
    if (problem) return fail(400, { error: POLICY_MESSAGES[problem] });
    const accepted = await acceptInvitation(locals.db, {
      token: params.token,
      passwordHash: await hashPassword(password),
      now,
    });
    if (!accepted.ok) return fail(410, { problem: PROBLEM_MESSAGES[accepted.problem] });
    await startSession(locals.db, cookies, url, accepted.userId);
    redirect(303, homeFor(accepted.role));
  },
};
