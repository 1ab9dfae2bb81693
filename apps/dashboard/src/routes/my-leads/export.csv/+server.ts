import { listSites } from "@leadtrail/db";
import { toCsv } from "$lib/csv.ts";
import { requireRole } from "$lib/server/access.ts";
import { uncontactableLeadIds } from "$lib/server/campaigns-acquisition.ts";
import { loadSalesList, parseSalesListFilter } from "$lib/server/sales-workspace.ts";
import { chooseSite } from "$lib/server/site-choice.ts";
import type { RequestHandler } from "./$types";

/** Most rows one export holds; the list filters narrow it down. */
const MAX_ROWS = 5000;

/**
 * The sales list with the same filters as the page, as CSV (every cell through the formula-safe
 * `toCsv`: e-mails, names and company names come from visitors' forms).
 */
export const GET: RequestHandler = async ({ locals, url }) => {
  const user = requireRole(locals, "admin", "marketer", "sales");
  const sites = await listSites(locals.db);
  const site = await chooseSite(locals.db, sites, url.searchParams.get("site"));
  const filter = { ...parseSalesListFilter(url.searchParams, user.role), cursor: null };
  const list = site
    ? await loadSalesList(
        locals.db,
        { siteId: site.id, viewer: { id: user.id, role: user.role }, filter, now: Date.now(), limit: MAX_ROWS },
        locals.locale,
      )
    : { leads: [] };
  // Cold leads without a legal basis never leave in an export (Kaltakquise needs a basis first).
  const blocked = new Set(
    await uncontactableLeadIds(
      locals.db,
      list.leads.map((l) => l.id),
    ),
  );
  const exported = list.leads.filter((l) => !blocked.has(l.id));
  const csv = toCsv(
    [
      "id",
      "email",
      "name",
      "stage",
      "deal_value",
      "score",
      "grade",
      "owner",
      "company",
      "source",
      "campaign",
      "last_activity",
      "why",
    ],
    exported.map((l) => [
      l.id,
      l.email,
      l.name,
      l.stage,
      l.dealValue,
      l.score,
      l.grade,
      l.ownerEmail,
      l.companyName ?? l.companyDomain,
      l.source,
      l.campaign,
      l.lastActivityAt === null ? null : new Date(l.lastActivityAt).toISOString(),
      l.why.map((w) => `${w.label} ${w.points}`).join("; "),
    ]),
  );
  return new Response(csv, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": 'attachment; filename="leads.csv"',
      "cache-control": "no-store",
    },
  });
};
