import { env } from "$env/dynamic/private";
import type { Handle, ServerInit } from "@sveltejs/kit";
import { getDatabase, openDatabase } from "$lib/server/db";

export const init: ServerInit = async () => {
  await openDatabase(env.DATABASE_URL || "file:./data/leadtrail.db", env.DATABASE_AUTH_TOKEN || undefined);
};

export const handle: Handle = async ({ event, resolve }) => {
  event.locals.db = getDatabase();
  return resolve(event);
};
