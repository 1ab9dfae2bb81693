import { siteInstallStatus } from "@leadtrail/db";
import { json } from "@sveltejs/kit";
import { requireRole } from "$lib/server/access.ts";
import { notFound } from "$lib/server/errors.ts";
import type { RequestHandler } from "./$types";

/**
 * `GET /settings/sites/KEY/status`: the install check Settings → Sites polls while it waits —
 * the time of the site's first stored event and the last refusal the collector noted
 * (`{ host, reason, at, count }`; a hostname and a reason code, nothing personal).
 */
export const GET: RequestHandler = async ({ locals, params }) => {
  requireRole(locals, "admin");
  if (params.key.length > 64) notFound();
  const status = await siteInstallStatus(locals.db, params.key);
  if (!status) notFound();
  return json(status, { headers: { "cache-control": "no-store" } });
};
