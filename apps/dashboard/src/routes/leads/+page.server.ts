import { dealValuesOf, listVisibleLeads } from "@leadtrail/db";
import { requireRole } from "$lib/server/access.ts";
import { uncontactableLeadIds } from "$lib/server/campaigns-acquisition.ts";
import { publicFilter, resolveFilter } from "$lib/server/filters.ts";
import type { PageServerLoad } from "./$types";

export const load: PageServerLoad = async ({ locals, url }) => {
  const user = requireRole(locals, "admin", "marketer", "sales");
  const resolved = await resolveFilter(locals.db, url);
  const rows = resolved.site ? await listVisibleLeads(locals.db, resolved.site.id, user) : [];
  const dealValues = await dealValuesOf(
    locals.db,
    rows.map((l) => l.id),
  );
  const leads = rows.map((l) => ({ ...l, dealValue: dealValues.get(l.id) ?? null }));
  const coldWithoutBasis = await uncontactableLeadIds(
    locals.db,
    rows.map((l) => l.id),
  );
  return { sites: resolved.sites, filter: publicFilter(resolved), leads, me: user.id, coldWithoutBasis };
};
