import type { MessageKey } from "$lib/i18n/index.ts";

type Role = "admin" | "marketer" | "sales";

/** One link of the main navigation. */
export interface NavLink {
  href: string;
  key: MessageKey;
  roles: readonly Role[];
  /** Analytics pages keep the site, range and segment filters when the user moves between them. */
  carriesFilters?: boolean;
}

/** A group of links named after a kind of work. */
export interface NavGroup {
  id: "analytics" | "pipeline" | "setup";
  key: MessageKey;
  links: NavLink[];
}

const MARKETING: readonly Role[] = ["admin", "marketer"];
const ALL: readonly Role[] = ["admin", "marketer", "sales"];

/**
 * The main navigation grouped by what each role does. Sales reps work the pipeline only: marketing
 * pages stay out of their menu (and stay forbidden server-side, see `lib/server/access.ts`).
 */
export const NAV_GROUPS: readonly NavGroup[] = [
  {
    id: "analytics",
    key: "nav.group.analytics",
    links: [
      { href: "/", key: "nav.overview", roles: MARKETING, carriesFilters: true },
      { href: "/behaviour", key: "nav.behaviour", roles: MARKETING, carriesFilters: true },
      { href: "/content", key: "nav.content", roles: MARKETING, carriesFilters: true },
      { href: "/funnel", key: "nav.funnel", roles: MARKETING, carriesFilters: true },
      { href: "/campaigns", key: "nav.campaigns", roles: MARKETING, carriesFilters: true },
      { href: "/visitors", key: "nav.visitors", roles: MARKETING, carriesFilters: true },
    ],
  },
  {
    id: "pipeline",
    key: "nav.group.pipeline",
    links: [
      { href: "/my-leads", key: "nav.myLeads", roles: ALL },
      { href: "/leads", key: "nav.leads", roles: ALL },
      { href: "/notifications", key: "notifications.title", roles: ALL },
    ],
  },
  {
    id: "setup",
    key: "nav.group.setup",
    links: [
      { href: "/scoring", key: "nav.scoring", roles: MARKETING, carriesFilters: true },
      { href: "/personas", key: "nav.personas", roles: MARKETING, carriesFilters: true },
      { href: "/nurture", key: "nav.nurture", roles: MARKETING, carriesFilters: true },
      { href: "/settings", key: "nav.settings", roles: ["admin"] },
      { href: "/settings/routing", key: "nav.routing", roles: ["admin"] },
    ],
  },
];

/** The groups (with their links) a role sees, in the order that role works: a rep's pipeline first. */
export function navFor(role: string | undefined): NavGroup[] {
  const groups = NAV_GROUPS.map((g) => ({ ...g, links: g.links.filter((l) => l.roles.includes(role as Role)) })).filter(
    (g) => g.links.length > 0,
  );
  if (role === "sales") groups.sort((a, b) => (a.id === "pipeline" ? -1 : b.id === "pipeline" ? 1 : 0));
  return groups;
}

/** Whether `pathname` is the page of `href` (or one of its sub-pages, for sections like campaigns). */
export function isCurrent(href: string, pathname: string, all: readonly string[]): boolean {
  if (pathname === href) return true;
  if (href === "/" || !pathname.startsWith(`${href}/`)) return false;
  // A more specific link (Settings → Routing) wins over its parent section.
  return !all.some((other) => other !== href && other.startsWith(`${href}/`) && pathname.startsWith(other));
}
