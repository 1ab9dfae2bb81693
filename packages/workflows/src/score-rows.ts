import type { LeadHistory, LeadScoreRow, LedgerRow, StageChangeRow } from "@leadtrail/db";
import {
  initialState,
  type LedgerEntry,
  type RuleSet,
  type ScoreState,
  type StageChange,
  sortKey,
} from "@leadtrail/scoring";

// The scoring engine's results as the rows @leadtrail/db stores, and stored score state read back:
// one builder per row kind, shared by the collector's write path, the re-score job, merges and
// sales actions, so a ledger row or a stage change means the same wherever it was written.

/** A stored engine state (`score_state` column, parsed), or undefined when it is missing or of another format. */
export function scoreStateOf(value: unknown): ScoreState | undefined {
  return value && typeof value === "object" && (value as { v?: unknown }).v === 1 ? (value as ScoreState) : undefined;
}

/** The engine state a lead continues from: the stored one, with the stage column as the truth. */
export function storedState(lead: Pick<LeadHistory, "scoreState" | "stage">): ScoreState {
  const state = scoreStateOf(lead.scoreState) ?? initialState();
  return state.stage === lead.stage ? state : { ...state, stage: lead.stage as ScoreState["stage"] };
}

/** Whom a ledger row belongs to: the lead (null while the browser is anonymous), the browser and the event. */
export interface LedgerOwner {
  siteId: number;
  leadId: number | null;
  visitorId: string | null;
  eventId: number | null;
}

/** One score_ledger row for an engine ledger entry. */
export function ledgerRow(owner: LedgerOwner, entry: LedgerEntry): LedgerRow {
  return {
    siteId: owner.siteId,
    leadId: owner.leadId,
    visitorId: owner.visitorId,
    eventId: owner.eventId,
    ruleId: entry.ruleId,
    ruleVersion: entry.ruleVersion,
    kind: entry.kind,
    delta: entry.delta,
    at: entry.at,
    reason: entry.reason,
  };
}

/** Ledger rows of a lead from engine entries; an event's row names the browser that sent the event. */
export function ledgerRows(lead: LeadHistory, entries: readonly LedgerEntry[]): LedgerRow[] {
  const visitorOf = new Map(lead.events.map((e) => [e.id, e.visitorId]));
  return entries.map((entry) => {
    const eventId = entry.eventId === null ? null : Number(entry.eventId);
    const visitorId = eventId === null ? null : (visitorOf.get(eventId) ?? null);
    return ledgerRow({ siteId: lead.siteId, leadId: lead.id, visitorId, eventId }, entry);
  });
}

/** The score columns of a lead for a state. */
export function scoreRow(
  lead: Pick<LeadHistory, "id" | "lastActivityAt">,
  state: ScoreState,
  ruleSet: RuleSet,
): LeadScoreRow {
  return {
    id: lead.id,
    engagementScore: state.engagement,
    engagementSortKey: sortKey(state, ruleSet),
    fitScore: state.fit,
    scoredAt: state.engagementAt ?? state.lastAt,
    scoreState: state,
    stage: state.stage,
    lastActivityAt: lead.lastActivityAt,
  };
}

/** A stage_changes row for an engine stage change. */
export function stageChangeRow(siteId: number, leadId: number, change: StageChange): StageChangeRow {
  return {
    siteId,
    leadId,
    fromStage: change.from,
    toStage: change.to,
    actor: change.actor,
    reason: change.reason,
    at: change.at,
    score: change.score,
  };
}
