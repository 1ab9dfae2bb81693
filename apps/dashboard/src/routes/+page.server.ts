import { listSites, recentVisitors } from "@leadtrail/db";
import type { PageServerLoad } from "./$types";

export const load: PageServerLoad = async ({ locals, url }) => {
  const sites = await listSites(locals.db);
  const site = sites.find((s) => s.publicKey === url.searchParams.get("site")) ?? sites[0];
  const visitors = site ? await recentVisitors(locals.db, site.id) : [];
  return {
    sites: sites.map((s) => ({ key: s.publicKey, name: s.name })),
    site: site ? { key: site.publicKey, name: site.name } : null,
    visitors: visitors.map((v) => ({
      id: v.id,
      lastSeenAt: v.lastSeenAt,
      channel: v.channel,
      referrerDomain: v.referrerDomain,
      landingPath: v.landingPath,
      eventCount: v.eventCount,
      events: v.events.map((e) => ({ id: e.id, type: e.type, name: e.name, path: e.path, title: e.title, at: e.receivedAt })),
    })),
  };
};
