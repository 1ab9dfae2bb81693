import {
  advanceRescoreRun,
  type Database,
  deleteLeadLedgers,
  insertLedger,
  type LeadHistory,
  type LeadScoreRow,
  type LedgerRow,
  lastRescoredVersion,
  loadLeadHistories,
  nextRescoreRun,
  type RescoreRunRow,
  recordStageChanges,
  ruleSetHistory,
  ruleSetVersion,
  type StageChangeRow,
  saveLeadScores,
  siteLeadIdsAfter,
  siteTimeZone,
  tzOffsetMinutes,
  withWriteTransaction,
} from "@leadtrail/db";
import {
  type Campaign,
  combinePreviews,
  defaultRuleSet,
  emptyPreview,
  type PreviewResult,
  type ProfileTraits,
  previewRuleChange,
  profileFromTraits,
  type ReplayStep,
  type RuleSet,
  rescoreLead,
  validateRuleSet,
} from "@leadtrail/scoring";
import { type NewMql, routeMqls } from "./route-lead.ts";
import { ledgerRows, scoreRow, stageChangeRow, storedState } from "./score-rows.ts";

/**
 * A visit starts after this much inactivity (the usual analytics definition). The collector's
 * visit tracking imports it: a replay must mark the same events as visit starts that ingest did.
 */
export const VISIT_GAP_MS = 30 * 60_000;

/**
 * How long a publish waits before the job re-scores with it: collectors re-check the published
 * version at most every 5 s, so after this every ingest commit already scores with the new
 * version and no event can be scored with the old one after its lead was re-scored.
 */
export const RESCORE_GRACE_MS = 10_000;

/** The scoring profile of a lead, read from its traits exactly as the collector's identify builds it. */
export function profileOf(lead: Pick<LeadHistory, "email" | "traits" | "visitorCountry">): ProfileTraits {
  return profileFromTraits(lead.email, lead.traits, lead.visitorCountry);
}

/**
 * A lead's history as replay steps: its stored events in the order the collector scored them
 * (visit starts derived per browser as ingest derives them), then its current profile. Sales
 * actions are not steps: a re-score keeps the stored stage.
 */
export function historySteps(lead: LeadHistory): ReplayStep[] {
  const steps: ReplayStep[] = [];
  const lastSeen = new Map<string, number>();
  let last = lead.createdAt;
  for (const e of lead.events) {
    const seen = lastSeen.get(e.visitorId);
    const visitStart = seen === undefined || e.receivedAt - seen > VISIT_GAP_MS;
    lastSeen.set(e.visitorId, Math.max(seen ?? e.receivedAt, e.receivedAt));
    last = Math.max(last, e.receivedAt);
    steps.push({
      kind: "event",
      event: {
        id: e.id,
        type: e.type,
        name: e.name ?? undefined,
        path: e.path ?? undefined,
        url: e.url ?? undefined,
        props: (e.props ?? undefined) as Record<string, string | number | boolean> | undefined,
        campaign: (e.campaign ?? undefined) as Campaign | undefined,
        visitStart,
        at: e.receivedAt,
      },
      now: e.receivedAt,
    });
  }
  // Fit is a function of the profile alone; applied last so earlier events keep their own times.
  steps.push({ kind: "traits", traits: profileOf(lead), now: last });
  return steps;
}

/**
 * A stored rule set, validated, with the site's zone for per-day caps (the same as the collector's,
 * so a replay gives the incremental result).
 */
function checked(json: unknown, timeZone: string): RuleSet | undefined {
  const result = validateRuleSet(json);
  return result.ok ? ruleSetInZone(result.ruleSet, timeZone) : undefined;
}

/** Per-day caps count the site's local days: the zone as a pure offset function (none for UTC). */
export function ruleSetInZone(ruleSet: RuleSet, timeZone: string): RuleSet {
  if (timeZone === "UTC") return ruleSet;
  return { ...ruleSet, dayOffsetAt: (at) => tzOffsetMinutes(timeZone, at) };
}

/**
 * The rule versions a site's events count under, for replaying a lead "with the rule versions":
 * an event counts under the version in force when it arrived, except that a finished background
 * re-score moved every earlier event to its version (that run replayed all leads with it).
 * `current` is the newest version (the defaults for a site that never published).
 */
export async function siteRuleVersions(
  db: Database,
  siteId: number,
): Promise<{ current: RuleSet; at: (now: number) => RuleSet }> {
  const zone = await siteTimeZone(db, siteId);
  const versions = (await ruleSetHistory(db, siteId))
    .map((row) => ({ publishedAt: row.publishedAt, ruleSet: checked(row.ruleSet, zone) }))
    .filter((v): v is { publishedAt: number; ruleSet: RuleSet } => v.ruleSet !== undefined);
  const floor = (await lastRescoredVersion(db, siteId)) ?? 0;
  const current = versions[versions.length - 1]?.ruleSet ?? ruleSetInZone(defaultRuleSet, zone);
  const eligible = versions.filter((v) => v.ruleSet.version >= floor);
  const first = eligible[0]?.ruleSet ?? current;
  return {
    current,
    at(now) {
      let inForce = first;
      for (const v of eligible) if (v.publishedAt <= now) inForce = v.ruleSet;
      return inForce;
    },
  };
}

/**
 * What publishing `draft` would do to every existing lead of a site: each lead is replayed from
 * its stored events with the draft (the same `rescoreLead` the background job runs) and compared
 * with its stored score. Reads `batchSize` leads at a time and keeps only running totals, so
 * memory stays bounded however many leads there are. Writes nothing.
 */
export async function previewRescore(
  db: Database,
  siteId: number,
  draft: RuleSet,
  now: number,
  options: { batchSize?: number; keepChanged?: number } = {},
): Promise<PreviewResult> {
  const batchSize = options.batchSize ?? 200;
  const { current } = await siteRuleVersions(db, siteId);
  let total = emptyPreview();
  let cursor = 0;
  for (;;) {
    const ids = await siteLeadIdsAfter(db, siteId, cursor, batchSize);
    if (ids.length === 0) break;
    const histories = await loadLeadHistories(db, ids);
    const batch = [...histories.values()].map((lead) => ({
      id: lead.id,
      steps: historySteps(lead),
      state: storedState(lead),
    }));
    total = combinePreviews(total, previewRuleChange(batch, current, draft, now), options.keepChanged);
    cursor = ids[ids.length - 1] as number;
  }
  return total;
}

/** What one batch of the background re-score did. */
export interface RescoreBatchResult {
  runId: number;
  siteId: number;
  version: number;
  /** Leads re-scored in this batch. */
  leads: number;
  /** Leads the new rules made MQL in this batch. */
  stageChanges: number;
  status: RescoreRunRow["status"];
  done: number;
  total: number;
}

/**
 * Re-scores the next batch of the oldest queued re-score run (`rescore_runs`, written by publish)
 * in ONE short write transaction: the batch's leads are read, replayed from their events with the
 * run's version, and their scores, ledgers (every row carrying that version) and any forward move
 * to MQL (routed like any MQL) are written with the run's progress.
 *
 * Ingest races: the batch reads and writes inside the write lock, so an event is either committed
 * before the batch (it is in the events table and replayed) or after it (ingest scores it on top
 * of the re-scored state, read in its own transaction) — never lost, never counted twice. Runs
 * younger than `graceMs` wait, so every collector already scores new events with the new version.
 * Undefined when there is nothing to do.
 */
export async function runRescoreBatch(
  db: Database,
  options: { now: number; batchSize?: number; graceMs?: number },
): Promise<RescoreBatchResult | undefined> {
  const { now } = options;
  const batchSize = options.batchSize ?? 100;
  const graceMs = options.graceMs ?? RESCORE_GRACE_MS;
  // A cheap read first: an idle job (nothing published) takes no write lock every poll.
  if (!(await nextRescoreRun(db, now - graceMs))) return undefined;
  return withWriteTransaction(db, async (tx) => {
    const run = await nextRescoreRun(tx, now - graceMs);
    if (!run) return undefined;
    const row = await ruleSetVersion(tx, run.siteId, run.version);
    const ruleSet = row ? checked(row.ruleSet, await siteTimeZone(tx, run.siteId)) : undefined;
    const summary = (status: RescoreRunRow["status"], leads: number, changes: number, done: number) => ({
      runId: run.id,
      siteId: run.siteId,
      version: run.version,
      leads,
      stageChanges: changes,
      status,
      done,
      total: Math.max(run.total, done),
    });
    if (!ruleSet) {
      await advanceRescoreRun(tx, run, now, "failed", `rule set v${run.version} is missing or invalid`);
      return summary("failed", 0, 0, run.done);
    }
    const ids = await siteLeadIdsAfter(tx, run.siteId, run.cursor, batchSize);
    const histories = await loadLeadHistories(tx, ids);
    const ledger: LedgerRow[] = [];
    const scores: LeadScoreRow[] = [];
    const changes: StageChangeRow[] = [];
    const mqls: NewMql[] = [];
    for (const lead of histories.values()) {
      const result = rescoreLeadHistory(lead, ruleSet, now);
      ledger.push(...ledgerRows(lead, result.ledger));
      scores.push(scoreRow(lead, result.state, ruleSet));
      if (result.stageChange) {
        changes.push(stageChangeRow(lead.siteId, lead.id, result.stageChange));
        mqls.push({ siteId: lead.siteId, leadId: lead.id, at: result.stageChange.at, score: result.stageChange.score });
      }
    }
    await deleteLeadLedgers(tx, ids);
    await insertLedger(tx, ledger);
    await saveLeadScores(tx, scores);
    await recordStageChanges(tx, changes);
    if (mqls.length > 0) await routeMqls(tx, mqls);
    // A short batch means no lead after the cursor is left (leads created meanwhile included).
    const finished = ids.length < batchSize;
    const progress = {
      id: run.id,
      cursor: ids[ids.length - 1] ?? run.cursor,
      done: run.done + ids.length,
      stageChanges: run.stageChanges + changes.length,
    };
    await advanceRescoreRun(tx, progress, now, finished ? "done" : "running");
    return summary(finished ? "done" : "running", ids.length, changes.length, progress.done);
  });
}

/** Re-scores one lead's stored history with `ruleSet` (its stage kept; it may become MQL). */
export function rescoreLeadHistory(lead: LeadHistory, ruleSet: RuleSet, now: number) {
  return rescoreLead(historySteps(lead), storedState(lead), ruleSet, now);
}

/**
 * The periodic job's work: batches of the queued re-score runs, each its own transaction, until
 * nothing is queued or `maxBatches` ran (the next tick continues; the cursor is in the run row).
 */
export async function processRescoreRuns(
  db: Database,
  options: { now: () => number; batchSize?: number; maxBatches?: number; graceMs?: number },
): Promise<RescoreBatchResult[]> {
  const results: RescoreBatchResult[] = [];
  const maxBatches = options.maxBatches ?? 20;
  for (let i = 0; i < maxBatches; i++) {
    const result = await runRescoreBatch(db, {
      now: options.now(),
      batchSize: options.batchSize,
      graceMs: options.graceMs,
    });
    if (!result) break;
    results.push(result);
  }
  return results;
}
