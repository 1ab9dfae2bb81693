import { latestRescoreRun } from "@leadtrail/db";
import { json } from "@sveltejs/kit";
import { requireRole } from "$lib/server/access.ts";
import { resolveFilter } from "$lib/server/filters.ts";
import type { RequestHandler } from "./$types";

/**
 * `GET /scoring/progress?site=…`: the site's newest background re-score (after a publish) for the
 * scoring page's progress bar, which polls it while the run is under way. `{ run: null }` when the
 * site never published.
 */
export const GET: RequestHandler = async ({ locals, url }) => {
  requireRole(locals, "admin", "marketer");
  const { site } = await resolveFilter(locals.db, url);
  const run = site ? await latestRescoreRun(locals.db, site.id) : undefined;
  return json(
    {
      run: run
        ? {
            version: run.version,
            status: run.status,
            total: run.total,
            done: run.done,
            stageChanges: run.stageChanges,
            error: run.error,
            startedAt: run.startedAt,
            finishedAt: run.finishedAt,
          }
        : null,
    },
    { headers: { "cache-control": "no-store" } },
  );
};
