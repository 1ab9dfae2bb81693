import {
  closeCurrentAssignments,
  type Database,
  deleteLeadLedgers,
  deleteMergedLead,
  insertLeadMerge,
  insertLedger,
  type LeadHistory,
  loadLeadHistories,
  moveLeadRecords,
  recordStageChanges,
  type StageChangeRow,
  saveLeadScores,
  setLeadOwner,
  updateLeadProfile,
  withWriteTransaction,
} from "@leadtrail/db";
import { type Actor, rescoreLead, STAGE_RANK, type Stage } from "@leadtrail/scoring";
import { historySteps, siteRuleVersions } from "./rescore.ts";
import { routeMqls } from "./route-lead.ts";
import { ledgerRows, scoreRow, stageChangeRow, storedState } from "./score-rows.ts";

/** Two leads found to be one person: `mergeId` is folded into `keepId`. */
export interface MergeLeadsInput {
  /** Both leads must belong to this site; otherwise: not found. */
  siteId: number;
  keepId: number;
  mergeId: number;
  /** `user:<id>` from the dashboard, the API key's creator from the REST API. */
  actor: Actor;
  reason?: string | null;
  now?: number;
}

export type MergeLeadsResult =
  | {
      ok: true;
      leadId: number;
      stage: Stage;
      /** Combined score of the kept lead after the merge, at `now`. */
      score: number;
      /** Rows handed to the kept lead, per table. */
      moved: Record<string, number>;
      /** The merge's entry in the stage history, and an MQL the combined score reached, if any. */
      stageChanges: StageChangeRow[];
    }
  | { ok: false; error: { code: "not_found" | "same_lead"; message: string } };

/**
 * Merges two leads of a site found to be one person, in ONE write transaction: the merged lead's
 * browsers, events, stage history and notes, assignments, SLA misses, notifications, outbox rows
 * and nurture progress move to the kept lead; the profiles combine (the kept lead's values win,
 * gaps are filled from the other); the kept lead's score is re-derived by replaying all the events
 * with the rule versions they count under (its ledger replaced by that replay's, each row with its
 * version); the further stage of the two is kept and the merge is recorded in the stage history
 * with actor and reason (the combined score may also make it an MQL, routed like any MQL). The
 * merged lead's row is deleted and `lead_merges` redirects its id to the kept lead.
 */
export async function mergeLeads(db: Database, input: MergeLeadsInput): Promise<MergeLeadsResult> {
  const now = input.now ?? Date.now();
  if (input.keepId === input.mergeId) {
    return { ok: false, error: { code: "same_lead", message: "a lead cannot be merged into itself" } };
  }
  const notFound = { ok: false as const, error: { code: "not_found" as const, message: "no such lead" } };
  return withWriteTransaction(db, async (tx) => {
    const found = await loadLeadHistories(tx, [input.keepId, input.mergeId]);
    const keep = found.get(input.keepId);
    const merged = found.get(input.mergeId);
    if (!keep || !merged || keep.siteId !== input.siteId || merged.siteId !== input.siteId) return notFound;

    await updateLeadProfile(tx, {
      id: keep.id,
      name: keep.name ?? merged.name,
      role: keep.role ?? merged.role,
      companyId: keep.companyId ?? merged.companyId,
      traits: { ...merged.traits, ...keep.traits },
      unverified: keep.unverified && merged.unverified,
    });
    // One person has one owner: the kept lead's, else the merged lead's (with its open assignment).
    if (keep.ownerId !== null) await closeCurrentAssignments(tx, merged.id, now);
    else if (merged.ownerId !== null) await setLeadOwner(tx, keep.id, merged.ownerId);
    const moved = await moveLeadRecords(tx, merged.id, keep.id);

    const combined = (await loadLeadHistories(tx, [keep.id])).get(keep.id) as LeadHistory;
    combined.lastActivityAt = Math.max(keep.lastActivityAt ?? 0, merged.lastActivityAt ?? 0) || null;
    const keepState = storedState(keep);
    const mergedState = storedState(merged);
    const further = STAGE_RANK[mergedState.stage] > STAGE_RANK[keepState.stage] ? mergedState : keepState;
    const rules = await siteRuleVersions(tx, keep.siteId);
    const result = rescoreLead(
      historySteps(combined),
      { ...keepState, stage: further.stage, armed: further.armed },
      rules.at,
      now,
      "leads merged",
    );

    await deleteLeadLedgers(tx, [keep.id]);
    await insertLedger(tx, ledgerRows(combined, result.ledger));
    await saveLeadScores(tx, [scoreRow(combined, result.state, rules.current)]);
    await deleteMergedLead(tx, merged.id);
    const actor = input.actor;
    const reason = input.reason?.trim() || null;
    const changes: StageChangeRow[] = [
      {
        siteId: keep.siteId,
        leadId: keep.id,
        fromStage: keepState.stage,
        toStage: further.stage,
        actor,
        reason: `merged lead #${merged.id} (${merged.email})${reason ? `: ${reason}` : ""}`,
        at: now,
        score: result.scoreAfter,
      },
    ];
    if (result.stageChange) changes.push(stageChangeRow(keep.siteId, keep.id, result.stageChange));
    // The stage history and the funnel summaries of both leads (the merged one's are removed).
    await recordStageChanges(tx, changes, [merged.id]);
    await insertLeadMerge(tx, {
      siteId: keep.siteId,
      mergedLeadId: merged.id,
      keptLeadId: keep.id,
      mergedEmail: merged.email,
      actor,
      reason,
      at: now,
    });
    if (result.stageChange) {
      await routeMqls(tx, [{ siteId: keep.siteId, leadId: keep.id, at: now, score: result.stageChange.score }]);
    }
    return {
      ok: true as const,
      leadId: keep.id,
      stage: result.state.stage,
      score: result.scoreAfter,
      moved,
      stageChanges: changes,
    };
  });
}
