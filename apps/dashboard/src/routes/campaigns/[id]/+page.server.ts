import {
  createLink,
  deleteCampaignLink,
  findLinkByCode,
  listCampaignLinks,
  listCampaignOwners,
  removeCampaign,
  updateCampaign,
} from "@leadtrail/db";
import { fail, redirect } from "@sveltejs/kit";
import { requireRole } from "$lib/server/access.ts";
import { campaignDetail, campaignOfUrlId, formDays, parseCampaignForm, siteWallClock } from "$lib/server/campaigns.ts";
import { parseLinkForm, shortUrl } from "$lib/server/campaigns-links.ts";
import { collectorUrlFor } from "$lib/server/config.ts";
import { notFound } from "$lib/server/errors.ts";
import { parseId } from "$lib/server/input.ts";
import type { Actions, PageServerLoad } from "./$types";

export const load: PageServerLoad = async ({ locals, params, url }) => {
  requireRole(locals, "admin", "marketer");
  const { campaign, site } = await campaignOfUrlId(locals.db, params.id);
  // Campaign days are the site's days: goals judge "this month" on the site's wall clock.
  const now = siteWallClock(site, Date.now());
  const [detail, links, owners] = await Promise.all([
    campaignDetail(locals.db, campaign, now),
    listCampaignLinks(locals.db, site.id, campaign.id),
    listCampaignOwners(locals.db),
  ]);
  const base = collectorUrlFor(url);
  return {
    campaign: { ...campaign, ...formDays(campaign) },
    site: { key: site.publicKey, name: site.name, domains: site.domains },
    ...detail,
    links: links.map((l) => ({ ...l, shortUrl: shortUrl(base, l.code) })),
    owners,
  };
};

export const actions: Actions = {
  update: async (event) => {
    requireRole(event.locals, "admin", "marketer");
    const { campaign, site } = await campaignOfUrlId(event.locals.db, event.params.id);
    const owners = await listCampaignOwners(event.locals.db);
    const parsed = parseCampaignForm(
      await event.request.formData(),
      owners.map((o) => o.id),
    );
    if (!parsed.ok) return fail(400, { error: parsed.error, field: parsed.field });
    if (!(await updateCampaign(event.locals.db, site.id, campaign.id, parsed.value))) notFound();
    return { done: "update" as const };
  },
  delete: async (event) => {
    requireRole(event.locals, "admin", "marketer");
    const { campaign, site } = await campaignOfUrlId(event.locals.db, event.params.id);
    if (!(await removeCampaign(event.locals.db, site.id, campaign.id))) notFound();
    redirect(303, `/campaigns?site=${encodeURIComponent(site.publicKey)}`);
  },
  createLink: async (event) => {
    requireRole(event.locals, "admin", "marketer");
    const { campaign, site } = await campaignOfUrlId(event.locals.db, event.params.id);
    const db = event.locals.db;
    const parsed = await parseLinkForm(
      await event.request.formData(),
      site,
      campaign,
      async (code) => (await findLinkByCode(db, code)) !== undefined,
    );
    if (!parsed.ok) return fail(400, { error: parsed.error, field: parsed.field });
    try {
      await createLink(db, { siteId: site.id, campaignId: campaign.id, ...parsed.value });
    } catch (error) {
      // Two people choosing the same code at once: the unique index decides, the loser is told.
      if (/UNIQUE/.test(`${error} ${(error as { cause?: unknown })?.cause ?? ""}`)) {
        return fail(400, { error: "links.codeTaken" as const, field: "code" });
      }
      throw error;
    }
    return { done: "createLink" as const, code: parsed.value.code };
  },
  deleteLink: async (event) => {
    requireRole(event.locals, "admin", "marketer");
    const { campaign, site } = await campaignOfUrlId(event.locals.db, event.params.id);
    const id = parseId((await event.request.formData()).get("link"));
    if (id === undefined) return fail(400, { error: "input.badId" as const, field: "link" });
    if (!(await deleteCampaignLink(event.locals.db, site.id, campaign.id, id))) notFound();
    return { done: "deleteLink" as const };
  },
};
