import { insertCampaign, listCampaignOwners, removeCampaign } from "@leadtrail/db";
import { fail } from "@sveltejs/kit";
import { requireRole } from "$lib/server/access.ts";
import { campaignSummaries, parseCampaignForm, siteWallClock } from "$lib/server/campaigns.ts";
import { notFound } from "$lib/server/errors.ts";
import { publicFilter, resolveFilter } from "$lib/server/filters.ts";
import { parseId } from "$lib/server/input.ts";
import type { Actions, PageServerLoad } from "./$types";

export const load: PageServerLoad = async ({ locals, url }) => {
  requireRole(locals, "admin", "marketer");
  const resolved = await resolveFilter(locals.db, url);
  const [summary, owners] = await Promise.all([
    resolved.site
      ? campaignSummaries(locals.db, resolved.site, siteWallClock(resolved.site, Date.now()))
      : { campaigns: [], leadsPerMonth: [] },
    listCampaignOwners(locals.db),
  ]);
  return { sites: resolved.sites, filter: publicFilter(resolved), ...summary, owners };
};

export const actions: Actions = {
  create: async ({ locals, request, url }) => {
    requireRole(locals, "admin", "marketer");
    const { site } = await resolveFilter(locals.db, url);
    if (!site) return fail(400, { error: "empty.noSite" as const, field: "site" });
    const owners = await listCampaignOwners(locals.db);
    const parsed = parseCampaignForm(
      await request.formData(),
      owners.map((o) => o.id),
    );
    if (!parsed.ok) return fail(400, { error: parsed.error, field: parsed.field });
    const campaign = await insertCampaign(locals.db, site.id, parsed.value);
    return { created: campaign.id, name: campaign.name };
  },
  delete: async ({ locals, request, url }) => {
    requireRole(locals, "admin", "marketer");
    const { site } = await resolveFilter(locals.db, url);
    const id = parseId((await request.formData()).get("id"));
    if (id === undefined) return fail(400, { error: "input.badId" as const, field: "id" });
    if (!site || !(await removeCampaign(locals.db, site.id, id))) notFound();
    return { deleted: id };
  },
};
