import {
  assignLeadManually,
  findVisibleLead,
  listAssignableUsers,
  listSites,
  withWriteTransaction,
  wonValue,
} from "@leadtrail/db";
import { applySalesAction } from "@leadtrail/workflows";
import { fail } from "@sveltejs/kit";
import { requireRole } from "$lib/server/access.ts";
import { uncontactableLeadIds } from "$lib/server/campaigns-acquisition.ts";
import { parseId } from "$lib/server/input.ts";
import {
  loadSalesList,
  ownerOf,
  parseSalesAction,
  parseSalesListFilter,
  SALES_ACTIONS,
  takeLead,
} from "$lib/server/sales-workspace.ts";
import { chooseSite } from "$lib/server/site-choice.ts";
import type { Actions, PageServerLoad } from "./$types";

/** Leads per page of the queue; the pool shows its hottest few. */
const PAGE_SIZE = 50;
const POOL_SIZE = 20;

export const load: PageServerLoad = async ({ locals, url }) => {
  const user = requireRole(locals, "admin", "marketer", "sales");
  const sites = await listSites(locals.db);
  const site = await chooseSite(locals.db, sites, url.searchParams.get("site"));
  const filter = parseSalesListFilter(url.searchParams, user.role);
  const now = Date.now();
  const viewer = { id: user.id, role: user.role };
  const list = site
    ? await loadSalesList(locals.db, { siteId: site.id, viewer, filter, now, limit: PAGE_SIZE }, locals.locale)
    : { leads: [], nextCursor: null };
  // The pool to pick from, beside the rep's own queue.
  const pool =
    site && user.role !== "marketer" && filter.owner !== "pool"
      ? await loadSalesList(
          locals.db,
          { siteId: site.id, viewer, filter: { owner: "pool", cursor: null }, now, limit: POOL_SIZE },
          locals.locale,
        )
      : { leads: [], nextCursor: null };
  // Won so far: a rep's own wins; admins and marketers see the site's, or one rep's when filtered.
  const owner = user.role === "sales" ? user.id : ownerOf(filter, user.id);
  const won = site
    ? await wonValue(locals.db, { siteId: site.id, ownerId: typeof owner === "number" ? owner : undefined })
    : { count: 0, total: 0 };
  return {
    sites: sites.map((s) => ({ key: s.publicKey, name: s.name })),
    site: site?.publicKey ?? null,
    filter,
    won,
    leads: list.leads,
    nextCursor: list.nextCursor,
    pool: pool.leads,
    reps: user.role === "admin" ? await listAssignableUsers(locals.db) : [],
    me: user.id,
    salesActions: SALES_ACTIONS,
    coldWithoutBasis: await uncontactableLeadIds(
      locals.db,
      [...list.leads, ...pool.leads].map((l) => l.id),
    ),
  };
};

function ids(form: FormData): number[] {
  return [
    ...new Set(
      form
        .getAll("id")
        .map(parseId)
        .filter((n): n is number => n !== undefined),
    ),
  ].slice(0, 500);
}

export const actions: Actions = {
  /** "Take" a lead from the unassigned pool: assign it to me. */
  take: async ({ locals, request }) => {
    const user = requireRole(locals, "admin", "sales");
    const [id] = ids(await request.formData());
    const lead = id === undefined ? undefined : await findVisibleLead(locals.db, id, user);
    if (!lead) return fail(404, { error: "error.notFound" as const });
    const taken = await takeLead(locals.db, lead.id, user);
    if (!taken) return fail(400, { error: "sales.alreadyOwned" as const });
    return { taken: lead.id };
  },
  /** Admins: assign the selected leads to a rep, or move them all with one sales action. */
  bulk: async ({ locals, request }) => {
    const user = requireRole(locals, "admin");
    const form = await request.formData();
    const selected = ids(form);
    if (selected.length === 0) return fail(400, { error: "myLeads.nothingSelected" as const });
    const op = String(form.get("op") ?? "");
    let changed = 0;
    if (op === "assign") {
      const repId = parseId(form.get("rep"));
      if (repId === undefined) return fail(400, { error: "input.badId" as const });
      const rep = (await listAssignableUsers(locals.db)).find((u) => u.id === repId);
      if (!rep) return fail(400, { error: "sales.badRep" as const });
      for (const leadId of selected) {
        const ok = await withWriteTransaction(locals.db, (tx) =>
          assignLeadManually(tx, {
            leadId,
            repId: rep.id,
            actor: `user:${user.id}`,
            at: Date.now(),
            note: `reassigned to ${rep.email}`,
          }),
        );
        if (ok) changed++;
      }
    } else {
      const parsed = parseSalesAction(op, form);
      if (!parsed.ok) return fail(400, { error: parsed.error });
      for (const leadId of selected) {
        const result = await applySalesAction(locals.db, {
          leadId,
          action: parsed.action,
          actor: `user:${user.id}`,
          reason: parsed.reason,
          value: parsed.value,
        });
        if (result.ok) changed++;
      }
    }
    return { changed, failed: selected.length - changed };
  },
};
