import { BREAKDOWNS, behaviourBreakdown, behaviourSeries, behaviourTotals, previousPeriod } from "@leadtrail/db";
import { requireRole } from "$lib/server/access.ts";
import { filterBarData } from "$lib/server/analytics.ts";
import { resolveFilter } from "$lib/server/filters.ts";
import type { PageServerLoad } from "./$types";

export const load: PageServerLoad = async ({ locals, url }) => {
  requireRole(locals, "admin", "marketer");
  const resolved = await resolveFilter(locals.db, url);
  const bar = await filterBarData(locals.db, resolved);
  const { filter, site } = resolved;
  if (!site) return { bar, site: null };
  const previous = previousPeriod(filter);
  const [totals, previousTotals, series, previousSeries, ...breakdowns] = await Promise.all([
    behaviourTotals(locals.db, filter),
    behaviourTotals(locals.db, previous),
    behaviourSeries(locals.db, filter),
    behaviourSeries(locals.db, previous),
    ...BREAKDOWNS.map((d) => behaviourBreakdown(locals.db, filter, d)),
  ]);
  return {
    bar,
    site: { key: site.publicKey, name: site.name },
    previous: { from: previous.from, to: previous.to },
    totals,
    previousTotals,
    series,
    previousSeries,
    breakdowns: Object.fromEntries(BREAKDOWNS.map((d, i) => [d, breakdowns[i] ?? []])),
    // Rollups break a day down by one dimension: the tables cannot apply a campaign/channel filter.
    breakdownsUnfiltered: Boolean(filter.campaign || filter.channel),
  };
};
