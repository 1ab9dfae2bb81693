import { findVisibleLead } from "@leadtrail/db";
import { exportLead } from "@leadtrail/workflows";
import { notFound, requireRole } from "$lib/server/access.ts";
import type { RequestHandler } from "./$types";

/** Everything stored about a lead as a JSON download (admins: data subject access requests). */
export const GET: RequestHandler = async ({ locals, params }) => {
  const user = requireRole(locals, "admin");
  const id = Number(params.id);
  if (!Number.isSafeInteger(id) || id <= 0) notFound();
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
