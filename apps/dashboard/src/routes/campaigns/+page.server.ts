import { createCampaign, deleteCampaign, listCampaigns } from "@leadtrail/db";
import { fail } from "@sveltejs/kit";
import { notFound, requireRole } from "$lib/server/access.ts";
import { publicFilter, resolveFilter } from "$lib/server/filters.ts";
import type { Actions, PageServerLoad } from "./$types";

export const load: PageServerLoad = async ({ locals, url }) => {
  requireRole(locals, "admin", "marketer");
  const resolved = await resolveFilter(locals.db, url);
  const campaigns = resolved.site ? await listCampaigns(locals.db, resolved.site.id) : [];
  return { sites: resolved.sites, filter: publicFilter(resolved), campaigns };
};

function field(form: FormData, name: string, max = 200): string | null {
  const v = String(form.get(name) ?? "").trim();
  return v ? v.slice(0, max) : null;
}

export const actions: Actions = {
  create: async ({ locals, request, url }) => {
    requireRole(locals, "admin", "marketer");
    const { site } = await resolveFilter(locals.db, url);
    if (!site) return fail(400, { error: "empty.noSite" as const });
    const form = await request.formData();
    const name = field(form, "name");
    const goal = Number(form.get("mqlGoal") ?? "");
    if (!name) return fail(400, { error: "campaigns.nameRequired" as const });
    await createCampaign(locals.db, {
      siteId: site.id,
      name,
      channel: field(form, "channel"),
      utmCampaign: field(form, "utmCampaign"),
      mqlGoal: Number.isFinite(goal) && goal > 0 ? Math.round(goal) : null,
    });
    return { created: name };
  },
  delete: async ({ locals, request, url }) => {
    requireRole(locals, "admin", "marketer");
    const { site } = await resolveFilter(locals.db, url);
    const id = Number((await request.formData()).get("id"));
    if (!site || !(await deleteCampaign(locals.db, site.id, id))) notFound();
    return { deleted: id };
  },
};
