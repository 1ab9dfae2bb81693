import {
  assignLeadManually,
  companyColleagues,
  findLeadByEmail,
  findLeadMerge,
  findVisibleLead,
  insertLeadNote,
  leadTimelineEvents,
  listAssignableUsers,
  withWriteTransaction,
} from "@leadtrail/db";
import {
  applySalesAction,
  eraseLead,
  type LeadLedgerRow,
  leadNurtureView,
  loadLeadNow,
  mergeLeads,
} from "@leadtrail/workflows";
import { fail, redirect } from "@sveltejs/kit";
import { requireRole } from "$lib/server/access.ts";
import { accountRollup } from "$lib/server/account-rollup.ts";
import { leadAcquisition, recordAcquisitionAction } from "$lib/server/campaigns-acquisition.ts";
import { notFound } from "$lib/server/errors.ts";
import { parseId } from "$lib/server/input.ts";
import { gradeNow, parseSalesAction, scoreSeries, takeLead } from "$lib/server/sales-workspace.ts";
import type { Actions, PageServerLoad, RequestEvent } from "./$types";

/** The lead id of the URL if the user may see that lead; otherwise the same 404 as a missing lead. */
async function visibleLeadId(event: Pick<RequestEvent, "locals" | "params">, user: { id: number; role: string }) {
  const id = parseId(event.params.id);
  if (id === undefined) notFound();
  // Another rep's lead answers exactly like a missing one: its existence is not revealed.
  const lead = await findVisibleLead(event.locals.db, id, user);
  if (!lead) {
    // A merged lead's address leads to the lead it became (if that one is visible to the user).
    const merged = await findLeadMerge(event.locals.db, id);
    if (merged && (await findVisibleLead(event.locals.db, merged.keptLeadId, user))) {
      redirect(301, `/leads/${merged.keptLeadId}`);
    }
    notFound();
  }
  return lead;
}

/** Ledger entries shown per rule (the newest); the privacy export has them all. */
const ENTRIES_SHOWN = 100;

/** A rule's newest ledger entries, each with the rule version it was scored under, and how many are older. */
function entriesOf(rows: readonly LeadLedgerRow[], shown: number) {
  return {
    events: rows.slice(-shown).map((l) => ({
      at: l.at,
      delta: l.delta,
      eventType: l.eventType,
      path: l.path,
      ruleVersion: l.ruleVersion,
      reason: l.reason,
    })),
    olderEntries: Math.max(0, rows.length - shown),
  };
}

export const load: PageServerLoad = async ({ locals, params }) => {
  const user = requireRole(locals, "admin", "marketer", "sales");
  const lead = await visibleLeadId({ locals, params }, user);
  const db = locals.db;
  const now = Date.now();
  const [leadNow, events, users] = await Promise.all([
    loadLeadNow(db, lead.id, now),
    leadTimelineEvents(db, lead.id),
    listAssignableUsers(db),
  ]);
  if (!leadNow) notFound();
  const { row, ruleSet, ledger, explanation: explained, stageHistory: history, assignments } = leadNow;
  const userEmail = new Map(users.map((u) => [u.id, u.email]));
  const actorName = (actor: string) => {
    const m = /^user:(\d+)$/.exec(actor);
    return m ? (userEmail.get(Number(m[1])) ?? actor) : actor;
  };
  const stageHistory = history.map((h) => ({
    from: (h.from_stage as string | null) ?? null,
    to: String(h.to_stage),
    actor: actorName(String(h.actor)),
    reason: (h.reason as string | null) ?? null,
    at: Number(h.at),
    // A note (or a manual assignment) keeps the stage: it is history, not a move.
    note: h.from_stage === h.to_stage,
  }));
  return {
    lead: {
      ...row,
      score: leadNow.score,
      grade: gradeNow(row, ruleSet, now),
      ownerEmail: row.ownerId === null ? null : (userEmail.get(row.ownerId) ?? null),
    },
    series: scoreSeries(ledger, ruleSet.halfLifeDays),
    breakdown: explained.rules.map((r) => ({
      ruleId: r.ruleId,
      kind: r.kind,
      label: r.label?.[locals.locale] ?? r.label?.en ?? r.ruleId,
      entries: r.entries,
      points: r.points,
      current: r.current,
      ...entriesOf(
        ledger.filter((l) => l.ruleId === r.ruleId && (l.kind === "fit") === (r.kind === "fit")),
        ENTRIES_SHOWN,
      ),
    })),
    stageHistory,
    assignments: assignments.map((a) => ({
      id: a.id,
      rep: a.repId === null ? null : (userEmail.get(a.repId) ?? `#${a.repId}`),
      queueId: a.queueId,
      trigger: a.trigger,
      at: a.at,
      acceptedAt: a.acceptedAt,
      closedAt: a.closedAt,
      slaDueAt: a.slaDueAt,
      summary: (a.decision as { summary?: string } | null)?.summary ?? null,
    })),
    events,
    colleagues: row.companyId === null ? [] : await companyColleagues(db, row.companyId, row.id, user),
    account: await accountRollup(db, row.companyId, user, ruleSet, now),
    reps: user.role === "admin" ? users : [],
    me: user.id,
    acquisition: await leadAcquisition(db, lead.id),
    nurture: await leadNurtureView(db, lead.id, now),
  };
};

/** One sales action form (accept, reject, qualify, win, lose) through packages/workflows. */
async function salesAction(event: RequestEvent, action: string) {
  const user = requireRole(event.locals, "admin", "sales");
  const lead = await visibleLeadId(event, user);
  const parsed = parseSalesAction(action, await event.request.formData());
  if (!parsed.ok) return fail(400, { error: parsed.error });
  // Accepting a lead from the unassigned pool makes it yours: nobody else works it in parallel.
  if (parsed.action === "accept" && lead.ownerId === null) {
    await takeLead(event.locals.db, lead.id, user);
  }
  const result = await applySalesAction(event.locals.db, {
    leadId: lead.id,
    action: parsed.action,
    actor: `user:${user.id}`,
    reason: parsed.reason,
    value: parsed.value,
  });
  if (!result.ok) {
    if (result.error.code === "not_found") notFound();
    return fail(400, { error: "sales.illegal" as const, detail: result.error.message });
  }
  return { done: action, stage: result.stage };
}

export const actions: Actions = {
  acquisition: async (event) => {
    const user = requireRole(event.locals, "admin", "marketer", "sales");
    const lead = await visibleLeadId(event, user);
    return recordAcquisitionAction(event.locals.db, event.request, lead.id, user.id);
  },
  accept: (event) => salesAction(event, "accept"),
  reject: (event) => salesAction(event, "reject"),
  qualify: (event) => salesAction(event, "qualify"),
  win: (event) => salesAction(event, "win"),
  lose: (event) => salesAction(event, "lose"),
  note: async (event) => {
    const user = requireRole(event.locals, "admin", "sales");
    const lead = await visibleLeadId(event, user);
    const text = String((await event.request.formData()).get("note") ?? "")
      .trim()
      .slice(0, 2000);
    if (!text) return fail(400, { error: "sales.noteRequired" as const });
    const at = Date.now();
    await withWriteTransaction(event.locals.db, (tx) =>
      insertLeadNote(tx, { leadId: lead.id, actor: `user:${user.id}`, text, at }),
    );
    return { done: "note" };
  },
  take: async (event) => {
    const user = requireRole(event.locals, "admin", "sales");
    const lead = await visibleLeadId(event, user);
    const taken = await takeLead(event.locals.db, lead.id, user);
    if (!taken) return fail(400, { error: "sales.alreadyOwned" as const });
    return { done: "take" };
  },
  reassign: async (event) => {
    const user = requireRole(event.locals, "admin");
    const lead = await visibleLeadId(event, user);
    const repId = parseId((await event.request.formData()).get("rep"));
    if (repId === undefined) return fail(400, { error: "input.badId" as const });
    const rep = (await listAssignableUsers(event.locals.db)).find((u) => u.id === repId);
    if (!rep) return fail(400, { error: "sales.badRep" as const });
    await withWriteTransaction(event.locals.db, (tx) =>
      assignLeadManually(tx, {
        leadId: lead.id,
        repId: rep.id,
        actor: `user:${user.id}`,
        at: Date.now(),
        note: `reassigned to ${rep.email}`,
      }),
    );
    return { done: "reassign" };
  },
  merge: async (event) => {
    const user = requireRole(event.locals, "admin");
    const lead = await visibleLeadId(event, user);
    const form = await event.request.formData();
    const into = String(form.get("into") ?? "")
      .trim()
      .slice(0, 320);
    const target = /^\d+$/.test(into)
      ? parseId(into)
      : into.includes("@")
        ? (await findLeadByEmail(event.locals.db, lead.siteId, into.toLowerCase()))?.id
        : undefined;
    // The merge target obeys the same visibility rule as every other lead surface.
    if (target === undefined || !(await findVisibleLead(event.locals.db, target, user))) {
      return fail(400, { error: "merge.notFound" as const });
    }
    const result = await mergeLeads(event.locals.db, {
      siteId: lead.siteId,
      keepId: target,
      mergeId: lead.id,
      actor: `user:${user.id}`,
      reason: String(form.get("reason") ?? "").slice(0, 500),
    });
    if (!result.ok) {
      return fail(400, {
        error: result.error.code === "same_lead" ? ("merge.same" as const) : ("merge.notFound" as const),
      });
    }
    redirect(303, `/leads/${result.leadId}`);
  },
  erase: async (event) => {
    const user = requireRole(event.locals, "admin");
    const lead = await visibleLeadId(event, user);
    const form = await event.request.formData();
    // Erasing cannot be undone: the admin types the e-mail address to confirm.
    if (
      String(form.get("confirm") ?? "")
        .trim()
        .toLowerCase() !== lead.email.toLowerCase()
    ) {
      return fail(400, { error: "privacy.confirmMismatch" as const });
    }
    const erased = await eraseLead(event.locals.db, lead.id, { actor: `user:${user.id}` });
    if (!erased) notFound();
    redirect(303, "/leads?erased=1");
  },
};
