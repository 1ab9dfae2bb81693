import { COHORTS, type Cohort, exitReasons, funnel, timeInStage } from "@leadtrail/db";
import { requireRole } from "$lib/server/access.ts";
import { filterBarData } from "$lib/server/analytics.ts";
import { resolveFilter } from "$lib/server/filters.ts";
import type { PageServerLoad } from "./$types";

export const load: PageServerLoad = async ({ locals, url }) => {
  requireRole(locals, "admin", "marketer");
  const resolved = await resolveFilter(locals.db, url);
  const bar = await filterBarData(locals.db, resolved, { segments: true });
  const { filter, site } = resolved;
  if (!site) return { bar, site: null };
  const requested = url.searchParams.get("cohort");
  const cohort: Cohort = (COHORTS as readonly string[]).includes(requested ?? "") ? (requested as Cohort) : "month";
  // From the per-lead summaries (lead_funnel, stage_exits, stage_time_daily); streamed so the
  // filter bar renders first.
  const details = Promise.all([
    funnel(locals.db, filter),
    funnel(locals.db, filter, cohort),
    timeInStage(locals.db, filter),
    exitReasons(locals.db, filter),
  ]).then(([all, byCohort, times, reasons]) => ({ total: all[0] ?? null, byCohort, times, reasons }));
  return { bar, site: { key: site.publicKey, name: site.name }, cohort, details };
};
