import { setUserLocale } from "@leadtrail/db";
import { json } from "@sveltejs/kit";
import * as v from "valibot";
import { requireRole } from "$lib/server/access.ts";
import { errorResponse } from "$lib/server/errors.ts";
import type { RequestHandler } from "./$types";

const Body = v.object({ locale: v.picklist(["en", "de"]) });

/** The current user. */
export const GET: RequestHandler = ({ locals }) => {
  const user = requireRole(locals, "admin", "marketer", "sales");
  return json({ id: user.id, email: user.email, name: user.name, role: user.role, locale: user.locale });
};

/** Changes the current user's preferences (today: the dashboard language). */
export const PATCH: RequestHandler = async ({ locals, request }) => {
  const user = requireRole(locals, "admin", "marketer", "sales");
  const parsed = v.safeParse(Body, await request.json().catch(() => null));
  if (!parsed.success) return errorResponse("bad_request", "locale must be en or de");
  await setUserLocale(locals.db, user.id, parsed.output.locale);
  return json({ locale: parsed.output.locale });
};
