import { redirect } from "@sveltejs/kit";
import { endSession } from "$lib/server/session.ts";
import type { RequestHandler } from "./$types";

/** Logs out: the session row is deleted, so the cookie is worthless even if it was copied. */
export const POST: RequestHandler = async ({ locals, cookies, url }) => {
  await endSession(locals.db, cookies, url);
  redirect(303, "/login");
};
