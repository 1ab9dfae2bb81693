import { requireRole } from "$lib/server/access.ts";
import { resolveFilter } from "$lib/server/filters.ts";
import { editing } from "../rule-sets.ts";
import type { RequestHandler } from "./$types";

/**
 * `GET /scoring/export?site=…`: the rules being edited (the draft, else the live version) as the
 * JSON that the import and `PUT /v1/scoring` take, as a download, so teams keep rules in version control.
 */
export const GET: RequestHandler = async ({ locals, url }) => {
  requireRole(locals, "admin", "marketer");
  const { site } = await resolveFilter(locals.db, url);
  if (!site) return new Response("no site", { status: 404 });
  const { live, draft } = await editing(locals.db, site.id);
  const name = `scoring-${site.publicKey.replace(/[^A-Za-z0-9_-]/g, "_")}${draft ? "-draft" : `-v${live.version}`}.json`;
  return new Response(`${JSON.stringify(draft ?? live, null, 2)}\n`, {
    headers: {
      "content-type": "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="${name}"`,
      "cache-control": "no-store",
    },
  });
};
