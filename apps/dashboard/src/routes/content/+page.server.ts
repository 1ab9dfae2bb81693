import { contentEngagement, contentPipeline, recentEventsOnPath } from "@leadtrail/db";
import { requireRole } from "$lib/server/access.ts";
import { filterBarData, periodKpis } from "$lib/server/analytics.ts";
import { resolveFilter } from "$lib/server/filters.ts";
import type { PageServerLoad } from "./$types";

export const load: PageServerLoad = async ({ locals, url }) => {
  requireRole(locals, "admin", "marketer");
  const resolved = await resolveFilter(locals.db, url);
  const bar = await filterBarData(locals.db, resolved, { segments: true });
  const { filter, site } = resolved;
  if (!site) return { bar, site: null };
  const path = url.searchParams.get("path")?.slice(0, 2048) ?? null;
  const [rows, drill, periodData] = await Promise.all([
    contentEngagement(locals.db, filter),
    // The only raw-event read: a drill-down into one page, always limited.
    path ? recentEventsOnPath(locals.db, site.id, path, 50) : Promise.resolve(null),
    periodKpis(locals.db, resolved),
  ]);
  // The pipeline columns (sliced by the segment's persona) read the content_pipeline_daily and
  // lead_funnel summaries; they stream in after the engagement table, which they depend on.
  const pipeline = contentPipeline(
    locals.db,
    filter,
    rows.map((r) => r.path),
  );
  return {
    bar,
    site: { key: site.publicKey, name: site.name },
    kpis: periodData.kpis,
    previous: periodData.previous,
    rows,
    path,
    drill,
    pipeline,
  };
};
