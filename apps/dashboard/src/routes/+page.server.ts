import { leadsByStage, topContentByPoints, visitorsNow } from "@leadtrail/db";
import { requireRole } from "$lib/server/access.ts";
import { filterBarData, periodKpis } from "$lib/server/analytics.ts";
import { goalOverview, siteWallClock } from "$lib/server/campaigns.ts";
import { resolveFilter } from "$lib/server/filters.ts";
import type { PageServerLoad } from "./$types";

export const load: PageServerLoad = async ({ locals, url }) => {
  requireRole(locals, "admin", "marketer");
  const resolved = await resolveFilter(locals.db, url);
  const bar = await filterBarData(locals.db, resolved);
  const { filter, site } = resolved;
  if (!site) return { bar, site: null };
  const [periodData, goals, stages, content, now] = await Promise.all([
    periodKpis(locals.db, resolved),
    // Goal progress counts leads by their first-touch campaign, like the campaigns pages.
    goalOverview(locals.db, site, siteWallClock(site, Date.now())),
    leadsByStage(locals.db, site.id),
    topContentByPoints(locals.db, filter),
    visitorsNow(locals.db, site.id, Date.now()),
  ]);
  return {
    bar,
    site: { key: site.publicKey, name: site.name },
    ...periodData,
    goals,
    stages,
    content,
    visitorsNow: now,
  };
};
