import type { PublicUser, Role } from "@leadtrail/db";
import { redirect } from "@sveltejs/kit";
import { forbidden } from "./errors.ts";

const ALL: readonly Role[] = ["admin", "marketer", "sales"];
const ANALYTICS: readonly Role[] = ["admin", "marketer"];

/**
 * Who may open what, by SvelteKit route id prefix (longest match wins). Routes not listed need
 * no log-in. Every load, action and endpoint also calls `requireRole` itself: this table is the
 * hook's backstop and the list the role-matrix test walks.
 */
export const ROUTE_ROLES: readonly (readonly [string, readonly Role[]])[] = [
  ["/", ANALYTICS],
  ["/behaviour", ANALYTICS],
  ["/content", ANALYTICS],
  ["/funnel", ANALYTICS],
  ["/visitors", ANALYTICS],
  ["/campaigns", ANALYTICS],
  ["/campaigns/[id]", ANALYTICS],
  ["/campaigns/[id]/links", ANALYTICS],
  // Sales reads personas and nurture tracks (what its leads are offered); only analytics roles edit.
  ["/personas", ALL],
  ["/nurture", ALL],
  ["/scoring", ANALYTICS],
  ["/leads", ALL],
  ["/my-leads", ALL],
  ["/notifications", ALL],
  ["/api/notifications", ALL],
  ["/account", ALL],
  ["/api/me", ALL],
  ["/settings", ["admin"]],
];

/** Routes anyone may open: the first-run setup, the log-in page and one-time links (the token is the proof). */
export const PUBLIC_ROUTES: readonly string[] = ["/setup", "/login", "/invite"];

/** The roles a route id needs, or undefined for a public route or an unknown one (404 follows). */
export function rolesFor(routeId: string | null): readonly Role[] | undefined {
  if (routeId === null || PUBLIC_ROUTES.some((p) => routeId === p || routeId.startsWith(`${p}/`))) return undefined;
  let best: (typeof ROUTE_ROLES)[number] | undefined;
  for (const entry of ROUTE_ROLES) {
    const [prefix] = entry;
    const matches = prefix === "/" ? routeId === "/" : routeId === prefix || routeId.startsWith(`${prefix}/`);
    if (matches && (!best || prefix.length > best[0].length)) best = entry;
  }
  return best?.[1] ?? ALL;
}

/** Where a role lands after log-in: sales has no analytics pages. */
export function homeFor(role: Role): string {
  return role === "sales" ? "/my-leads" : "/";
}

/**
 * The logged-in user if their role is one of `roles`; otherwise a redirect to log-in (no user) or
 * a 403. Call it first in every load, action and endpoint.
 */
export function requireRole(locals: App.Locals, ...roles: Role[]): PublicUser {
  const user = locals.user;
  if (!user) redirect(303, "/login");
  if (!roles.includes(user.role)) forbidden();
  return user;
}
