import {
  getNotificationPreferences,
  listRecentNotifications,
  markAllNotificationsRead,
  markNotificationsRead,
  setEmailNotifications,
  withWriteTransaction,
} from "@leadtrail/db";
import { fail } from "@sveltejs/kit";
import { requireRole } from "$lib/server/access.ts";
import { parseId } from "$lib/server/input.ts";
import type { Actions, PageServerLoad } from "./$types";

export const load: PageServerLoad = async ({ locals }) => {
  const user = requireRole(locals, "admin", "marketer", "sales");
  return {
    notifications: await listRecentNotifications(locals.db, user),
    preferences: await getNotificationPreferences(locals.db, user.id),
  };
};

export const actions: Actions = {
  read: async ({ locals, request }) => {
    const user = requireRole(locals, "admin", "marketer", "sales");
    const id = parseId((await request.formData()).get("id"));
    if (id === undefined) return fail(400, { error: "input.badId" as const });
    await markNotificationsRead(locals.db, user.id, [id], Date.now());
    return { read: id };
  },
  /** The user's own e-mail opt-in/out: only ever their own row. */
  preferences: async ({ locals, request }) => {
    const user = requireRole(locals, "admin", "marketer", "sales");
    const email = (await request.formData()).get("email") === "on";
    await withWriteTransaction(locals.db, (tx) => setEmailNotifications(tx, user.id, email, Date.now()));
    return { saved: true };
  },
  readAll: async ({ locals }) => {
    const user = requireRole(locals, "admin", "marketer", "sales");
    await markAllNotificationsRead(locals.db, user.id, Date.now());
    return { read: "all" };
  },
};
