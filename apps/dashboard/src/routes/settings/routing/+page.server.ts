import {
  createRoutingPool,
  createRoutingRule,
  listAssignableUsers,
  listSites,
  loadRoutingSetup,
  setPoolMembers,
  upsertRoutingRep,
  withWriteTransaction,
} from "@leadtrail/db";
import { explainLeadRoute } from "@leadtrail/workflows";
import { fail } from "@sveltejs/kit";
import { requireRole } from "$lib/server/access.ts";
import { formatWorkingHours, parseConditions, parseWorkingHours } from "$lib/server/routing-form.ts";
import type { Actions, PageServerLoad } from "./$types";

async function siteOf(locals: App.Locals, key: string | null) {
  const sites = await listSites(locals.db);
  return { sites, site: sites.find((s) => s.publicKey === key) ?? sites[0] };
}

export const load: PageServerLoad = async ({ locals, url }) => {
  requireRole(locals, "admin");
  const { sites, site } = await siteOf(locals, url.searchParams.get("site"));
  const users = await listAssignableUsers(locals.db);
  if (!site) return { sites: [], site: null, users, pools: [], reps: [], rules: [], preview: null };
  const setup = await loadRoutingSetup(locals.db.$client, site.id);
  // "Route this lead": what routing would do now, changing nothing (explainLeadRoute).
  const previewId = Number(url.searchParams.get("lead") ?? "");
  let preview: { leadId: number; lines: string[]; repId: string | null; found: boolean } | null = null;
  if (Number.isSafeInteger(previewId) && previewId > 0) {
    const explained = await explainLeadRoute(locals.db.$client, previewId, Date.now());
    preview =
      explained && explained.lead.siteId === site.id
        ? { leadId: previewId, lines: explained.lines, repId: explained.decision.repId ?? null, found: true }
        : { leadId: previewId, lines: [], repId: null, found: false };
  }
  return {
    sites: sites.map((s) => ({ key: s.publicKey, name: s.name })),
    site: site.publicKey,
    users,
    pools: setup.pools,
    reps: setup.reps.map((r) => ({
      ...r,
      hoursText: formatWorkingHours(r.workingHours),
      away: (r.outOfOffice as { from?: number; until?: number }[]).filter((o) => (o.until ?? 0) > Date.now()),
    })),
    rules: setup.rules,
    preview,
  };
};

function int(form: FormData, name: string, min: number, max: number): number | undefined {
  const raw = String(form.get(name) ?? "").trim();
  const n = raw === "" ? Number.NaN : Number(raw);
  return Number.isInteger(n) && n >= min && n <= max ? n : undefined;
}

export const actions: Actions = {
  addPool: async ({ locals, request, url }) => {
    requireRole(locals, "admin");
    const { site } = await siteOf(locals, url.searchParams.get("site"));
    const form = await request.formData();
    const name = String(form.get("name") ?? "")
      .trim()
      .slice(0, 100);
    const sla = String(form.get("sla") ?? "").trim() === "" ? null : int(form, "sla", 1, 60 * 24 * 30);
    if (!site || !name) return fail(400, { error: "routing.nameRequired" as const });
    if (sla === undefined) return fail(400, { error: "routing.badSla" as const });
    const members = form.getAll("members").map(Number);
    const valid = new Set((await listAssignableUsers(locals.db)).map((u) => u.id));
    await withWriteTransaction(locals.db.$client, (tx) =>
      createRoutingPool(tx, { siteId: site.id, name, slaMinutes: sla, repIds: members.filter((m) => valid.has(m)) }),
    );
    return { saved: "pool" };
  },
  setMembers: async ({ locals, request, url }) => {
    requireRole(locals, "admin");
    const { site } = await siteOf(locals, url.searchParams.get("site"));
    const form = await request.formData();
    const poolId = Number(form.get("pool"));
    if (!site) return fail(400, { error: "routing.badPool" as const });
    const setup = await loadRoutingSetup(locals.db.$client, site.id);
    if (!setup.pools.some((p) => p.id === poolId)) return fail(400, { error: "routing.badPool" as const });
    const valid = new Set((await listAssignableUsers(locals.db)).map((u) => u.id));
    const members = form
      .getAll("members")
      .map(Number)
      .filter((m) => valid.has(m));
    await withWriteTransaction(locals.db.$client, (tx) => setPoolMembers(tx, poolId, members));
    return { saved: "members" };
  },
  saveRep: async ({ locals, request, url }) => {
    requireRole(locals, "admin");
    const { site } = await siteOf(locals, url.searchParams.get("site"));
    const form = await request.formData();
    const userId = Number(form.get("user"));
    if (!site || !(await listAssignableUsers(locals.db)).some((u) => u.id === userId)) {
      return fail(400, { error: "sales.badRep" as const });
    }
    const weight = int(form, "weight", 0, 100);
    const capacity = int(form, "capacity", 0, 100_000);
    if (weight === undefined || capacity === undefined) return fail(400, { error: "routing.badNumber" as const });
    const workingHours = parseWorkingHours(String(form.get("hours") ?? "").slice(0, 1000));
    if (workingHours === undefined) return fail(400, { error: "routing.badHours" as const });
    const timeZone = String(form.get("timeZone") ?? "UTC").trim() || "UTC";
    try {
      new Intl.DateTimeFormat("en", { timeZone });
    } catch {
      return fail(400, { error: "routing.badZone" as const });
    }
    const awayFrom = Date.parse(String(form.get("awayFrom") ?? ""));
    const awayUntil = Date.parse(String(form.get("awayUntil") ?? ""));
    const outOfOffice =
      Number.isFinite(awayFrom) && Number.isFinite(awayUntil) && awayUntil > awayFrom
        ? [{ from: awayFrom, until: awayUntil }]
        : [];
    await withWriteTransaction(locals.db.$client, (tx) =>
      upsertRoutingRep(tx, {
        siteId: site.id,
        userId,
        weight,
        capacity,
        timeZone,
        workingHours,
        outOfOffice,
        active: form.get("active") === "on",
      }),
    );
    return { saved: "rep" };
  },
  addRule: async ({ locals, request, url }) => {
    requireRole(locals, "admin");
    const { site } = await siteOf(locals, url.searchParams.get("site"));
    const form = await request.formData();
    const poolId = Number(form.get("pool"));
    if (!site) return fail(400, { error: "routing.badPool" as const });
    const setup = await loadRoutingSetup(locals.db.$client, site.id);
    if (!setup.pools.some((p) => p.id === poolId)) return fail(400, { error: "routing.badPool" as const });
    const name =
      String(form.get("name") ?? "")
        .trim()
        .slice(0, 100) || null;
    await withWriteTransaction(locals.db.$client, (tx) =>
      createRoutingRule(tx, { siteId: site.id, poolId, name, conditions: parseConditions(form) }),
    );
    return { saved: "rule" };
  },
};
