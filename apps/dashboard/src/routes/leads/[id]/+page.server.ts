import { findVisibleLead } from "@leadtrail/db";
import { notFound, requireRole } from "$lib/server/access.ts";
import type { PageServerLoad } from "./$types";

export const load: PageServerLoad = async ({ locals, params }) => {
  const user = requireRole(locals, "admin", "marketer", "sales");
  const id = Number(params.id);
  if (!Number.isSafeInteger(id) || id <= 0) notFound();
  // Another rep's lead answers exactly like a missing one: its existence is not revealed.
  const lead = await findVisibleLead(locals.db, id, user);
  if (!lead) notFound();
  return { lead };
};
