import { leadsByStage, leadsPerMonth, topContentByPoints, visitorsNow } from "@leadtrail/db";
import { requireRole } from "$lib/server/access.ts";
import { filterBarData, twelveMonthsBefore } from "$lib/server/analytics.ts";
import { goalOverview } from "$lib/server/campaigns.ts";
import { resolveFilter } from "$lib/server/filters.ts";
import type { PageServerLoad } from "./$types";

export const load: PageServerLoad = async ({ locals, url }) => {
  requireRole(locals, "admin", "marketer");
  const resolved = await resolveFilter(locals.db, url);
  const bar = await filterBarData(locals.db, resolved);
  const { filter, site } = resolved;
  if (!site) return { bar, site: null };
  // Lead generation is judged by month: the monthly charts show the twelve months up to `to`.
  const months = { ...filter, from: twelveMonthsBefore(filter.to) };
  const [perMonth, goals, stages, content, now] = await Promise.all([
    leadsPerMonth(locals.db, months),
    // Goal progress counts leads by their first-touch campaign, like the campaigns pages.
    goalOverview(locals.db, site, Date.now()),
    leadsByStage(locals.db, site.id),
    topContentByPoints(locals.db, filter),
    visitorsNow(locals.db, site.id, Date.now()),
  ]);
  return { bar, site: { key: site.publicKey, name: site.name }, perMonth, goals, stages, content, visitorsNow: now };
};
