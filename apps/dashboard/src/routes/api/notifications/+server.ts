import { markAllNotificationsRead, markNotificationsRead } from "@leadtrail/db";
import { json } from "@sveltejs/kit";
import { requireRole } from "$lib/server/access.ts";
import { errorResponse } from "$lib/server/errors.ts";
import type { RequestHandler } from "./$types";

/**
 * Marks notifications read: `{ "ids": [1, 2] }` or `{ "all": true }`. Only the caller's own rows
 * change. Cross-site requests never get here (hooks.server.ts checks Origin on every write).
 */
export const POST: RequestHandler = async ({ locals, request }) => {
  const user = requireRole(locals, "admin", "marketer", "sales");
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return errorResponse("bad_request", "expected JSON");
  }
  const { ids, all } = (body ?? {}) as { ids?: unknown; all?: unknown };
  const now = Date.now();
  if (all === true) {
    await markAllNotificationsRead(locals.db, user.id, now);
    return json({ ok: true });
  }
  if (!Array.isArray(ids) || ids.length > 500 || !ids.every((id) => Number.isSafeInteger(id) && id > 0)) {
    return errorResponse("bad_request", "ids: expected up to 500 positive integers");
  }
  await markNotificationsRead(locals.db, user.id, ids as number[], now);
  return json({ ok: true });
};
