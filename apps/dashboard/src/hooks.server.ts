import { countAdmins, findSessionUser, pruneAuth } from "@leadtrail/db";
import { type Handle, type RequestEvent, redirect, type ServerInit } from "@sveltejs/kit";
import { env } from "$env/dynamic/private";
import { localeFromHeader, toLocale } from "$lib/i18n/index.ts";
import { homeFor, rolesFor } from "$lib/server/access.ts";
import { isCrossSiteWrite } from "$lib/server/csrf.ts";
import { getDatabase, openDatabase } from "$lib/server/db.ts";
import { errorResponse } from "$lib/server/errors.ts";
import { createAdminFromEnvironment } from "$lib/server/first-admin.ts";
import { LOGIN_LIMITS } from "$lib/server/rate-limit.ts";
import { hashToken, SESSION_COOKIE } from "$lib/server/session.ts";
import { wellFormedBodies } from "$lib/server/well-formed.ts";

export const init: ServerInit = async () => {
  const db = await openDatabase(env.DATABASE_URL || "file:./data/leadtrail.db", env.DATABASE_AUTH_TOKEN || undefined);
  // Expired sessions and old failed log-ins are only clutter: drop them at start (and after log-ins).
  await pruneAuth(db, Date.now(), Date.now() - LOGIN_LIMITS.windowMs);
  // Automated installs (and `npm start`) create the first admin from the environment instead of /setup.
  await createAdminFromEnvironment(db, { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD });
};

export const handle: Handle = async ({ event, resolve }) => {
  const db = getDatabase();
  event.locals.db = db;
  // Every form and JSON body an action reads is well-formed Unicode with bounded depth (issue #13).
  wellFormedBodies(event.request);
  const token = event.cookies.get(SESSION_COOKIE);
  event.locals.user = token ? ((await findSessionUser(db, hashToken(token))) ?? null) : null;
  event.locals.locale = event.locals.user
    ? toLocale(event.locals.user.locale)
    : localeFromHeader(event.request.headers.get("accept-language"));

  if (isCrossSiteWrite(event.request, event.url.origin)) {
    return errorResponse("csrf", "Cross-site request refused");
  }

  const roles = rolesFor(event.route.id);
  const isApi = event.url.pathname.startsWith("/api/");
  if (roles) {
    const user = event.locals.user;
    if (!user) {
      if (isApi || event.request.method !== "GET") return errorResponse("unauthenticated", "Log in first");
      // No admin yet (a fresh install, or only the demo's reps): someone must set one up first.
      if ((await countAdmins(db)) === 0) redirect(303, "/setup");
      const next = event.url.pathname + event.url.search;
      redirect(303, next === "/" ? "/login" : `/login?next=${encodeURIComponent(next)}`);
    }
    if (!roles.includes(user.role)) {
      // The home page is where links and log-in lead: send each role to its own start instead.
      if (event.route.id === "/" && event.request.method === "GET") redirect(303, homeFor(user.role));
      // Writes, endpoints and client-side navigation (data requests) are refused before anything runs.
      const page =
        !isApi && !event.isDataRequest && (event.request.method === "GET" || event.request.method === "HEAD");
      if (!page) return errorResponse("forbidden", "Not allowed for your role");
      // A page: its load calls requireRole, whose 403 renders +error.svelte inside the layout (the
      // user's language and theme). Backstop: a page that forgot that check shows nothing.
      const refused = await render(event, resolve);
      return refused.status === 403 ? refused : secured(errorResponse("forbidden", "Not allowed for your role"));
    }
  }

  return render(event, resolve);
};

/** The page or endpoint in the user's language, with the headers every dashboard answer carries. */
async function render(event: RequestEvent, resolve: Parameters<Handle>[0]["resolve"]): Promise<Response> {
  const response = await resolve(event, {
    transformPageChunk: ({ html }) => html.replace('lang="en"', `lang="${event.locals.locale}"`),
  });
  return secured(response);
}

/** The dashboard shows visitor-supplied text: never let it be framed or sniffed into script. */
function secured(response: Response): Response {
  response.headers.set("x-frame-options", "DENY");
  response.headers.set("x-content-type-options", "nosniff");
  response.headers.set("referrer-policy", "same-origin");
  return response;
}
