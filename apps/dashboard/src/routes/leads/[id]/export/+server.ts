import { findVisibleLead } from "@leadtrail/db";
import { exportLead } from "@leadtrail/workflows";
import { requireRole } from "$lib/server/access.ts";
import { notFound } from "$lib/server/errors.ts";
import { parseId } from "$lib/server/input.ts";
import type { RequestHandler } from "./$types";

/** Everything stored about a lead as a JSON download (admins: data subject access requests). */
export const GET: RequestHandler = async ({ locals, params }) => {
  const user = requireRole(locals, "admin");
  const id = parseId(params.id);
  if (id === undefined) notFound();
  const lead = await findVisibleLead(locals.db, id, user);
  if (!lead) notFound();
  const data = await exportLead(locals.db, id);
  if (!data) notFound();
  return new Response(JSON.stringify(data, null, 2), {
    headers: {
      "content-type": "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="lead-${id}.json"`,
      "cache-control": "no-store",
    },
  });
};
