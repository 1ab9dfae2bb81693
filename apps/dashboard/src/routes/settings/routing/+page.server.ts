import {
  createRoutingPool,
  createRoutingRule,
  deleteRoutingPool,
  deleteRoutingRule,
  listAssignableUsers,
  listSites,
  loadRoutingSetup,
  moveRoutingRule,
  setPoolMembers,
  setRepOutOfOffice,
  setRoutingRuleEnabled,
  upsertRoutingRep,
  withWriteTransaction,
} from "@leadtrail/db";
import { explainLeadRoute } from "@leadtrail/workflows";
import { fail } from "@sveltejs/kit";
import * as v from "valibot";
import { requireRole } from "$lib/server/access.ts";
import { notFound } from "$lib/server/errors.ts";
import {
  choice,
  type FormProblem,
  optionalWholeNumber,
  readForm,
  recordId,
  required,
} from "$lib/server/form-schema.ts";
import { parseId, parseNumber } from "$lib/server/input.ts";
import {
  addAwayPeriod,
  currentAwayPeriods,
  formatWorkingHours,
  parseAwayPeriod,
  parseConditions,
  parseWorkingHours,
  removeAwayPeriod,
} from "$lib/server/routing-form.ts";
import { chooseSite } from "$lib/server/site-choice.ts";
import { formText } from "$lib/server/validate.ts";
import type { Actions, PageServerLoad, RequestEvent } from "./$types";

async function siteOf(locals: App.Locals, key: string | null) {
  const sites = await listSites(locals.db);
  return { sites, site: await chooseSite(locals.db, sites, key) };
}

export const load: PageServerLoad = async ({ locals, url }) => {
  requireRole(locals, "admin");
  const { sites, site } = await siteOf(locals, url.searchParams.get("site"));
  const users = await listAssignableUsers(locals.db);
  if (!site) return { sites: [], site: null, users, pools: [], reps: [], rules: [], preview: null };
  const setup = await loadRoutingSetup(locals.db, site.id);
  // "Route this lead": what routing would do now, changing nothing (explainLeadRoute).
  const previewId = parseId(url.searchParams.get("lead"));
  let preview: { leadId: number; lines: string[]; repId: string | null; found: boolean } | null = null;
  if (previewId !== undefined) {
    const explained = await explainLeadRoute(locals.db, previewId, Date.now());
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
      away: currentAwayPeriods(r.outOfOffice, Date.now()),
    })),
    rules: setup.rules,
    preview,
  };
};

/** The largest id a form may name. */
const ID_MAX = Number.MAX_SAFE_INTEGER;

function int(form: FormData, name: string, min: number, max: number): number | undefined {
  return parseNumber(form.get(name), { min, max, integer: true });
}

// The forms with only plain fields, checked in the order the page shows them.
const AddPool = v.object({
  name: required(100, "routing.nameRequired"),
  sla: optionalWholeNumber({ min: 1, max: 60 * 24 * 30 }, "routing.badSla"),
});
const rule = recordId("routing.badRule");
const RuleRef = v.object({ rule });
const MoveRule = v.object({ rule, direction: choice(["up", "down"], "routing.badRule") });
const SetRuleEnabled = v.object({ rule, enabled: choice(["true", "false"], "routing.badRule") });
const PoolRef = v.object({ pool: recordId("routing.badPool") });

/** The 400 of a form with a field that is not valid, naming the field. */
function refused(problem: FormProblem) {
  return fail(400, { error: problem.error, field: problem.field });
}

/** An admin's form post: the role is checked first, then the URL's site and the form are read. */
async function adminPost({ locals, request, url }: RequestEvent) {
  requireRole(locals, "admin");
  const { site } = await siteOf(locals, url.searchParams.get("site"));
  return { locals, site, form: await request.formData() };
}

export const actions: Actions = {
  addPool: async (event) => {
    const { locals, site, form } = await adminPost(event);
    if (!site) return fail(400, { error: "routing.nameRequired" as const });
    const input = readForm(form, AddPool);
    if (!input.ok) return refused(input);
    const { name, sla } = input.value;
    const members = form
      .getAll("members")
      .map(parseId)
      .filter((m): m is number => m !== undefined);
    const valid = new Set((await listAssignableUsers(locals.db)).map((u) => u.id));
    await withWriteTransaction(locals.db, (tx) =>
      createRoutingPool(tx, { siteId: site.id, name, slaMinutes: sla, repIds: members.filter((m) => valid.has(m)) }),
    );
    return { saved: "pool" };
  },
  setMembers: async (event) => {
    const { locals, site, form } = await adminPost(event);
    const poolId = parseId(form.get("pool"));
    if (!site || poolId === undefined) return fail(400, { error: "routing.badPool" as const });
    const setup = await loadRoutingSetup(locals.db, site.id);
    if (!setup.pools.some((p) => p.id === poolId)) return fail(400, { error: "routing.badPool" as const });
    const valid = new Set((await listAssignableUsers(locals.db)).map((u) => u.id));
    const members = form
      .getAll("members")
      .map(parseId)
      .filter((m): m is number => m !== undefined && valid.has(m));
    await withWriteTransaction(locals.db, (tx) => setPoolMembers(tx, poolId, members));
    return { saved: "members" };
  },
  saveRep: async (event) => {
    const { locals, site, form } = await adminPost(event);
    const userId = parseId(form.get("user"));
    if (!site || userId === undefined || !(await listAssignableUsers(locals.db)).some((u) => u.id === userId)) {
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
    await withWriteTransaction(locals.db, async (tx) => {
      // Out-of-office periods have their own forms: saving the rep keeps them.
      const existing = (await loadRoutingSetup(tx, site.id)).reps.find((r) => r.userId === userId);
      const outOfOffice = currentAwayPeriods(existing?.outOfOffice ?? [], Date.now());
      await upsertRoutingRep(tx, {
        siteId: site.id,
        userId,
        weight,
        capacity,
        timeZone,
        workingHours,
        outOfOffice,
        active: form.get("active") === "on",
      });
    });
    return { saved: "rep" };
  },
  /** Adds an out-of-office period to a rep (several may be planned; past ones are dropped). */
  addAway: async (event) => {
    const { locals, site, form } = await adminPost(event);
    const userId = int(form, "user", 1, ID_MAX);
    const period = parseAwayPeriod(form);
    if (!site || userId === undefined) return fail(400, { error: "sales.badRep" as const });
    if (!period) return fail(400, { error: "routing.badAway" as const });
    return withWriteTransaction(locals.db, async (tx) => {
      const rep = (await loadRoutingSetup(tx, site.id)).reps.find((r) => r.userId === userId);
      if (!rep) return fail(400, { error: "routing.saveRepFirst" as const });
      const added = addAwayPeriod(rep.outOfOffice, period, Date.now());
      if (!added.ok) return fail(400, { error: added.error });
      await setRepOutOfOffice(tx, site.id, userId, added.periods);
      return { saved: "away" };
    });
  },
  /** Removes one out-of-office period of a rep (identified by its start and end). */
  removeAway: async (event) => {
    const { locals, site, form } = await adminPost(event);
    const userId = int(form, "user", 1, ID_MAX);
    const from = int(form, "from", 0, ID_MAX);
    const until = int(form, "until", 0, ID_MAX);
    if (!site || userId === undefined || from === undefined || until === undefined) {
      return fail(400, { error: "routing.badAway" as const });
    }
    return withWriteTransaction(locals.db, async (tx) => {
      const rep = (await loadRoutingSetup(tx, site.id)).reps.find((r) => r.userId === userId);
      if (!rep) notFound();
      const now = Date.now();
      const kept = removeAwayPeriod(rep.outOfOffice, from, until, now);
      if (kept.length === currentAwayPeriods(rep.outOfOffice, now).length) notFound();
      await setRepOutOfOffice(tx, site.id, userId, kept);
      return { saved: "away" };
    });
  },
  addRule: async (event) => {
    const { locals, site, form } = await adminPost(event);
    const poolId = parseId(form.get("pool"));
    if (!site || poolId === undefined) return fail(400, { error: "routing.badPool" as const });
    const setup = await loadRoutingSetup(locals.db, site.id);
    if (!setup.pools.some((p) => p.id === poolId)) return fail(400, { error: "routing.badPool" as const });
    const name = formText(form, "name", 100) || null;
    await withWriteTransaction(locals.db, (tx) =>
      createRoutingRule(tx, { siteId: site.id, poolId, name, conditions: parseConditions(form) }),
    );
    return { saved: "rule" };
  },
  /** Moves a rule one place up or down: rules are tried in order, the first match routes. */
  moveRule: async (event) => {
    const { locals, site, form } = await adminPost(event);
    if (!site) return fail(400, { error: "routing.badRule" as const });
    const input = readForm(form, MoveRule);
    if (!input.ok) return refused(input);
    const { rule: ruleId, direction } = input.value;
    const moved = await withWriteTransaction(locals.db, (tx) => moveRoutingRule(tx, site.id, ruleId, direction));
    if (!moved) notFound();
    return { saved: "rule" };
  },
  /** Turns a rule on or off; a disabled rule keeps its place and routes nothing. */
  setRuleEnabled: async (event) => {
    const { locals, site, form } = await adminPost(event);
    if (!site) return fail(400, { error: "routing.badRule" as const });
    const input = readForm(form, SetRuleEnabled);
    if (!input.ok) return refused(input);
    const { rule: ruleId, enabled } = input.value;
    const changed = await withWriteTransaction(locals.db, (tx) =>
      setRoutingRuleEnabled(tx, site.id, ruleId, enabled === "true"),
    );
    if (!changed) notFound();
    return { saved: "rule" };
  },
  deleteRule: async (event) => {
    const { locals, site, form } = await adminPost(event);
    if (!site) return fail(400, { error: "routing.badRule" as const });
    const input = readForm(form, RuleRef);
    if (!input.ok) return refused(input);
    const { rule: ruleId } = input.value;
    const deleted = await withWriteTransaction(locals.db, (tx) => deleteRoutingRule(tx, site.id, ruleId));
    if (!deleted) notFound();
    return { saved: "rule" };
  },
  /** Deletes a pool no rule sends leads to; while rules do, the answer names them. */
  deletePool: async (event) => {
    const { locals, site, form } = await adminPost(event);
    if (!site) return fail(400, { error: "routing.badPool" as const });
    const input = readForm(form, PoolRef);
    if (!input.ok) return refused(input);
    const { pool: poolId } = input.value;
    const result = await withWriteTransaction(locals.db, (tx) => deleteRoutingPool(tx, site.id, poolId));
    if (!result.ok && result.reason === "not_found") notFound();
    if (!result.ok && result.reason === "in_use") {
      return fail(400, { error: "routing.poolInUse" as const, rules: result.rules });
    }
    return { saved: "pool" };
  },
};
