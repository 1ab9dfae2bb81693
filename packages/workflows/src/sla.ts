import {
  type Database,
  dueSlaAssignments,
  insertNotifications,
  insertSlaMiss,
  loadRoutableLeads,
  markSlaWarned,
  slaMissRepIds,
  slaWarningCandidates,
  withWriteTransaction,
} from "@leadtrail/db";
import {
  type Assignment,
  findSlaBreaches,
  type RoutingDecision,
  rerouteAfterSlaBreach,
  slaWarningAt,
} from "@leadtrail/routing";
import { loadSiteRouting, persistDecision, type SiteRouting } from "./route-lead.ts";
import { toRoutableLead } from "./routing-setup.ts";

/** One handled breach: who missed it and where the lead went. */
export interface SlaReroute {
  leadId: number;
  missedBy: number;
  overdueMs: number;
  decision: RoutingDecision;
}

/**
 * The SLA job: finds current assignments not accepted by their due time, records each miss,
 * notifies the rep who missed it, and re-routes the lead with that rep (and everyone who missed it
 * before) excluded — to another rep, or to the fallback queue. One write transaction per run, so
 * two collectors running the job never re-route the same lead twice.
 */
export async function findAndRerouteSlaBreaches(db: Database, now: number, limit = 100): Promise<SlaReroute[]> {
  return withWriteTransaction(db, async (tx) => {
    const due = await dueSlaAssignments(tx, now, limit);
    if (due.length === 0) return [];
    const byKey = new Map(due.map((a) => [`${a.leadId}|${a.repId}`, a]));
    const assignments: Assignment[] = due
      .filter((a) => a.repId !== null)
      .map((a) => ({
        leadId: String(a.leadId),
        repId: String(a.repId),
        poolId: String(a.poolId),
        ruleId: String(a.ruleId),
        assignedAt: a.at,
        slaDueAt: a.slaDueAt,
        acceptedAt: a.acceptedAt,
        endedAt: a.closedAt,
      }));
    const breaches = findSlaBreaches(assignments, now);
    const leads = await loadRoutableLeads(
      tx,
      breaches.map((b) => Number(b.leadId)),
    );
    const sites = new Map<number, SiteRouting>();
    const out: SlaReroute[] = [];
    for (const breach of breaches) {
      const stored = byKey.get(`${breach.leadId}|${breach.repId}`);
      const row = leads.get(Number(breach.leadId));
      if (!stored || !row) continue;
      let site = sites.get(row.siteId);
      if (!site) {
        site = await loadSiteRouting(tx, row.siteId);
        sites.set(row.siteId, site);
      }
      const earlier = (await slaMissRepIds(tx, stored.leadId)).map(String);
      const result = rerouteAfterSlaBreach(toRoutableLead(row), breach, site.config, site.state, now, {
        excludeRepIds: earlier,
      });
      await insertSlaMiss(tx, {
        siteId: row.siteId,
        leadId: stored.leadId,
        assignmentId: stored.id,
        repId: Number(breach.repId),
        poolId: stored.poolId,
        ruleId: stored.ruleId,
        assignedAt: breach.assignedAt,
        slaDueAt: breach.slaDueAt,
        detectedAt: now,
        overdueMs: result.miss.overdueMs,
      });
      // The rep who missed it no longer holds the lead.
      site.config = {
        ...site.config,
        reps: site.config.reps.map((r) =>
          r.id === breach.repId ? { ...r, openLeads: Math.max(0, r.openLeads - 1) } : r,
        ),
      };
      await insertNotifications(tx, [
        {
          siteId: row.siteId,
          userId: Number(breach.repId),
          kind: "sla_breach",
          leadId: stored.leadId,
          message: "A lead assigned to you was not accepted in time and was re-routed",
          createdAt: now,
        },
      ]);
      await persistDecision(tx, site, result.decision, result.state);
      out.push({
        leadId: stored.leadId,
        missedBy: Number(breach.repId),
        overdueMs: result.miss.overdueMs,
        decision: result.decision,
      });
    }
    return out;
  });
}

/**
 * The SLA job's warning pass: notifies (in the app and, through the mail outbox, by e-mail) each
 * rep whose assigned lead is still not accepted and whose SLA ends within `windowMs` (see
 * `slaWarningAt`), once per assignment. Returns the assignment ids warned.
 */
export async function warnSlaDueSoon(db: Database, now: number, windowMs: number, limit = 100): Promise<number[]> {
  const idle = await slaWarningCandidates(db, now, windowMs, 1);
  if (idle.length === 0) return [];
  return withWriteTransaction(db, async (tx) => {
    const due = (await slaWarningCandidates(tx, now, windowMs, limit)).filter(
      (a) => now >= slaWarningAt(a.at, a.slaDueAt, windowMs),
    );
    await insertNotifications(
      tx,
      due.map((a) => ({
        siteId: a.siteId,
        userId: a.repId,
        kind: "sla_warning" as const,
        leadId: a.leadId,
        message: "A lead assigned to you is waiting: accept it before its SLA ends",
        createdAt: now,
      })),
    );
    await markSlaWarned(
      tx,
      due.map((a) => a.id),
      now,
    );
    return due.map((a) => a.id);
  });
}
