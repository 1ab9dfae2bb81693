import { recentVisitors } from "@leadtrail/db";
import { requireRole } from "$lib/server/access.ts";
import { publicFilter, resolveFilter } from "$lib/server/filters.ts";
import type { PageServerLoad } from "./$types";

export const load: PageServerLoad = async ({ locals, url }) => {
  requireRole(locals, "admin", "marketer");
  const resolved = await resolveFilter(locals.db, url);
  const site = resolved.site;
  const visitors = site ? await recentVisitors(locals.db, site.id) : [];
  return {
    sites: resolved.sites,
    filter: publicFilter(resolved),
    site: site ? { key: site.publicKey, name: site.name } : null,
    visitors: visitors.map((v) => ({
      id: v.id,
      lastSeenAt: v.lastSeenAt,
      channel: v.channel,
      referrerDomain: v.referrerDomain,
      landingPath: v.landingPath,
      eventCount: v.eventCount,
      events: v.events.map((e) => ({
        id: e.id,
        type: e.type,
        name: e.name,
        path: e.path,
        title: e.title,
        url: e.url,
        referrer: e.referrer,
        at: e.receivedAt,
      })),
    })),
  };
};
