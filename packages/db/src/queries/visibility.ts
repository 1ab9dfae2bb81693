// Who may see which lead: the one rule every surface that lists or opens leads goes through
// (lists, my leads, search, the lead page and its panels, exports, notifications, REST).

/**
 * The viewer of a lead surface: a dashboard user (admin, marketer, sales) or a REST key (`api`,
 * already scoped to its site by the caller).
 */
export interface LeadViewer {
  id: number;
  role: string;
}

/** Roles that see every lead of the site they look at. */
const SEE_ALL_ROLES: readonly string[] = ["admin", "marketer", "api"];

/**
 * The visibility rule as SQL over the leads table aliased `alias`, with its arguments:
 * admins, marketers and REST keys see every lead (of the site the query is scoped to), a sales
 * rep sees their own leads and the unassigned pool, and any other role sees nothing.
 * Site scoping stays with the caller: this says only which of a site's leads the viewer may see.
 */
export function visibleLeadsCondition(viewer: LeadViewer, alias = "l"): { sql: string; args: number[] } {
  if (SEE_ALL_ROLES.includes(viewer.role)) return { sql: "1 = 1", args: [] };
  if (viewer.role === "sales") {
    return { sql: `(${alias}.owner_id = ? OR ${alias}.owner_id IS NULL)`, args: [viewer.id] };
  }
  return { sql: "0 = 1", args: [] };
}

/** The same rule in plain code, for a lead row already read (`ownerId` as stored). */
export function canSeeLead(viewer: LeadViewer, lead: { ownerId: number | null }): boolean {
  if (SEE_ALL_ROLES.includes(viewer.role)) return true;
  return viewer.role === "sales" && (lead.ownerId === null || lead.ownerId === viewer.id);
}
