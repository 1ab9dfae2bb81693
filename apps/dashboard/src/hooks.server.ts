import { countAdmins, findSessionUser, pruneAuth } from "@leadtrail/db";
import { type Handle, redirect, type ServerInit } from "@sveltejs/kit";
import { env } from "$env/dynamic/private";
import { localeFromHeader, toLocale, translator } from "$lib/i18n/index.ts";
import { homeFor, rolesFor } from "$lib/server/access.ts";
import { isCrossSiteWrite } from "$lib/server/csrf.ts";
import { getDatabase, openDatabase } from "$lib/server/db.ts";
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

function jsonError(status: number, code: string, message: string): Response {
  return new Response(JSON.stringify({ error: { code, message } }), {
    status,
    headers: { "content-type": "application/json" },
  });
}

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
    return jsonError(403, "csrf", "Cross-site request refused");
  }

  const roles = rolesFor(event.route.id);
  const isApi = event.url.pathname.startsWith("/api/");
  if (roles) {
    const user = event.locals.user;
    if (!user) {
      if (isApi || event.request.method !== "GET") return jsonError(401, "unauthenticated", "Log in first");
      // No admin yet (a fresh install, or only the demo's reps): someone must set one up first.
      if ((await countAdmins(db)) === 0) redirect(303, "/setup");
      const next = event.url.pathname + event.url.search;
      redirect(303, next === "/" ? "/login" : `/login?next=${encodeURIComponent(next)}`);
    }
    if (!roles.includes(user.role)) {
      // The home page is where links and log-in lead: send each role to its own start instead.
      if (event.route.id === "/" && event.request.method === "GET") redirect(303, homeFor(user.role));
      // Backstop: every load, action and endpoint checks its role too (requireRole).
      if (isApi) return jsonError(403, "forbidden", "Not allowed for your role");
      const t = translator(event.locals.locale);
      return new Response(
        `<!doctype html><link rel="icon" href="data:,"><title>403</title><p>${t("error.forbidden")}</p><p><a href="/">${t("nav.home")}</a></p>`,
        {
          status: 403,
          headers: { "content-type": "text/html; charset=utf-8" },
        },
      );
    }
  }

  const response = await resolve(event, {
    transformPageChunk: ({ html }) => html.replace('lang="en"', `lang="${event.locals.locale}"`),
  });
  // The dashboard shows visitor-supplied text: never let it be framed or sniffed into script.
  response.headers.set("x-frame-options", "DENY");
  response.headers.set("x-content-type-options", "nosniff");
  response.headers.set("referrer-policy", "same-origin");
  return response;
};
