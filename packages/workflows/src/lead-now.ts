import {
  type ApiLeadRow,
  type AssignmentRow,
  type Database,
  findApiLeadRow,
  leadLedgerWithEvents,
  listLeadAssignments,
  listStageChanges,
} from "@leadtrail/db";
import { currentScore, explainScore, type LedgerEntry, type RuleSet, type ScoreExplanation } from "@leadtrail/scoring";
import { siteRuleSet } from "./rule-set.ts";

/** The ledger rows of a lead, oldest first, with the event each came from. */
export type LeadLedgerRow = Awaited<ReturnType<typeof leadLedgerWithEvents>>[number];

/**
 * "A lead now": its row, its site's rule set, its combined score and its score taken apart rule by
 * rule (both decayed to `now`), its ledger, stage history and assignments. The one read model behind
 * the REST lead detail (`GET /v1/leads/:id`) and the dashboard's lead page; each surface only shapes it.
 */
export interface LeadNow {
  row: ApiLeadRow;
  ruleSet: RuleSet;
  score: number;
  ledger: LeadLedgerRow[];
  explanation: ScoreExplanation;
  /** Stage changes (and notes) oldest first, as stored (`from_stage`, `to_stage`, `actor`, `reason`, `at`, `score`). */
  stageHistory: Record<string, unknown>[];
  assignments: AssignmentRow[];
}

/** Loads a lead now, or undefined for an unknown lead. */
export async function loadLeadNow(db: Database, leadId: number, now: number): Promise<LeadNow | undefined> {
  const row = await findApiLeadRow(db, leadId);
  if (!row) return undefined;
  const [ruleSet, ledger, stageHistory, assignments] = await Promise.all([
    siteRuleSet(db, row.siteId),
    leadLedgerWithEvents(db, leadId),
    listStageChanges(db, leadId),
    listLeadAssignments(db, leadId),
  ]);
  const explanation = explainScore(
    ledger.map((l) => ({
      eventId: l.eventId,
      ruleId: l.ruleId,
      ruleVersion: l.ruleVersion,
      kind: l.kind === "fit" ? ("fit" as const) : ("engagement" as const),
      delta: l.delta,
      at: l.at,
      reason: (l.reason ?? "event") as LedgerEntry["reason"],
    })),
    ruleSet,
    now,
  );
  return { row, ruleSet, score: currentScore(row, ruleSet, now), ledger, explanation, stageHistory, assignments };
}
