import { BREAKDOWNS, behaviourBreakdown, behaviourTotals } from "@leadtrail/db";
import { requireRole } from "$lib/server/access.ts";
import { filterBarData, periodKpis } from "$lib/server/analytics.ts";
import { resolveFilter } from "$lib/server/filters.ts";
import type { PageServerLoad } from "./$types";

export const load: PageServerLoad = async ({ locals, url }) => {
  requireRole(locals, "admin", "marketer");
  const resolved = await resolveFilter(locals.db, url);
  const bar = await filterBarData(locals.db, resolved);
  const { filter, site } = resolved;
  if (!site) return { bar, site: null };
  const previous = { ...filter, ...resolved.period.previous };
  const [totals, previousTotals, periodData, ...breakdowns] = await Promise.all([
    behaviourTotals(locals.db, filter),
    behaviourTotals(locals.db, previous),
    periodKpis(locals.db, resolved),
    ...BREAKDOWNS.map((d) => behaviourBreakdown(locals.db, filter, d)),
  ]);
  return {
    bar,
    site: { key: site.publicKey, name: site.name },
    totals,
    previousTotals,
    ...periodData,
    breakdowns: Object.fromEntries(BREAKDOWNS.map((d, i) => [d, breakdowns[i] ?? []])),
    // Rollups break a day down by one dimension: the tables cannot apply a campaign/channel filter.
    breakdownsUnfiltered: Boolean(filter.campaign || filter.channel),
  };
};
