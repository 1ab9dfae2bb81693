import {
  acceptCurrentAssignment,
  closeCurrentAssignments,
  type Database,
  insertOutbox,
  latestRuleSet,
  loadLeadState,
  recordStageChanges,
  saveLeadStage,
  setLeadDealValue,
  setLeadOwner,
  withWriteTransaction,
} from "@leadtrail/db";
import {
  type Actor,
  defaultRuleSet,
  type SalesAction,
  type SalesActionType,
  type StageChange,
  type TransitionErrorCode,
  transition,
} from "@leadtrail/scoring";
import { loadLeadSummary, webhookBody } from "./payloads.ts";
import { routeMqls } from "./route-lead.ts";
import { stageChangeRow, storedState } from "./score-rows.ts";

/** A sales action as the dashboard and the REST API submit it. */
export interface SalesActionInput {
  leadId: number;
  /** When given, the lead must belong to this site (REST keys are per site); otherwise: not found. */
  siteId?: number;
  action: SalesActionType;
  /** `user:<id>` for people, `api:<key id>` for REST calls, `system` otherwise. */
  actor: Actor;
  reason?: string | null;
  /** Deal value of a win or loss (in the site's currency): stored on the lead, sent with `lead.stage_changed`. */
  value?: number | null;
  now?: number;
}

export type SalesActionResult =
  | { ok: true; stage: string; stageChange: StageChange }
  | { ok: false; error: { code: TransitionErrorCode | "not_found"; message: string } };

function actionOf(input: SalesActionInput): SalesAction {
  const reason = input.reason ?? "";
  switch (input.action) {
    case "reject":
    case "lose":
    case "mark_mql":
      return { type: input.action, reason };
    case "win":
    case "recycle":
      return { type: input.action, reason: reason || undefined };
    default:
      return { type: input.action };
  }
}

/** The half-life in force for a site, for the score a stage change records. */
async function halfLifeOf(db: Database, siteId: number): Promise<number | null> {
  const latest = await latestRuleSet(db, siteId);
  const h = (latest?.ruleSet as { halfLifeDays?: unknown } | undefined)?.halfLifeDays;
  return typeof h === "number" || h === null ? h : defaultRuleSet.halfLifeDays;
}

/**
 * Moves a lead through the funnel with packages/scoring's `transition` (illegal moves come back as
 * the engine's error, nothing written) and, in one write transaction: the lead's stage and state,
 * the stage history, the assignment (accept → accepted; reject, win, lose → closed; reject also
 * clears the owner so marketing has it back), routing for a manual MQL, and `lead.stage_changed`.
 */
export async function applySalesAction(db: Database, input: SalesActionInput): Promise<SalesActionResult> {
  const now = input.now ?? Date.now();
  const notFound = { ok: false as const, error: { code: "not_found" as const, message: "no such lead" } };
  const peek = await loadLeadState(db, input.leadId);
  if (!peek || (input.siteId !== undefined && peek.siteId !== input.siteId)) return notFound;
  const halfLifeDays = await halfLifeOf(db, peek.siteId);
  return withWriteTransaction(db, async (tx) => {
    const lead = await loadLeadState(tx, input.leadId);
    if (!lead || lead.siteId !== peek.siteId) return notFound;
    // The stage column is the truth (scoring continues from it too).
    const state = storedState(lead);
    const result = transition(state, actionOf(input), input.actor, now, { halfLifeDays });
    if (!result.ok) return result;
    const change = result.stageChange;
    await saveLeadStage(tx, input.leadId, change.to, result.state);
    await recordStageChanges(tx, [stageChangeRow(lead.siteId, input.leadId, change)]);
    if (input.action === "accept") await acceptCurrentAssignment(tx, input.leadId, now);
    if (change.to === "nurture" || change.to === "won" || change.to === "lost") {
      await closeCurrentAssignments(tx, input.leadId, now);
    }
    // The value of the latest close: a win after a recycled loss replaces the loss's value.
    if (change.to === "won" || change.to === "lost") await setLeadDealValue(tx, input.leadId, input.value ?? null);
    if (change.to === "nurture") await setLeadOwner(tx, input.leadId, null);
    await insertOutbox(tx, [
      {
        siteId: lead.siteId,
        leadId: input.leadId,
        eventType: "lead.stage_changed",
        payload: webhookBody("lead.stage_changed", now, {
          lead: await loadLeadSummary(tx, input.leadId),
          from: change.from,
          to: change.to,
          action: input.action,
          actor: change.actor,
          reason: change.reason,
          value: input.value ?? null,
        }),
        createdAt: now,
      },
    ]);
    if (change.to === "mql") {
      await routeMqls(tx, [{ siteId: lead.siteId, leadId: input.leadId, at: now, score: change.score }]);
    }
    return { ok: true as const, stage: change.to, stageChange: change };
  });
}
