import { listVisibleLeads } from "@leadtrail/db";
import { requireRole } from "$lib/server/access.ts";
import { publicFilter, resolveFilter } from "$lib/server/filters.ts";
import type { PageServerLoad } from "./$types";

export const load: PageServerLoad = async ({ locals, url }) => {
  const user = requireRole(locals, "admin", "marketer", "sales");
  const resolved = await resolveFilter(locals.db, url);
  const leads = resolved.site ? await listVisibleLeads(locals.db, resolved.site.id, user) : [];
  return { sites: resolved.sites, filter: publicFilter(resolved), leads, me: user.id };
};
