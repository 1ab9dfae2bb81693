// Test helpers for merge and re-score: leads with browsers and events stored as the collector
// stores them, scored as the collector scores them (replay equals the incremental path).
import {
  deleteLeadLedgers,
  insertEvents,
  insertLead,
  insertLedger,
  insertVisitors,
  loadLeadHistories,
  saveLeadScores,
  type VisitorRow,
  withWriteTransaction,
} from "@leadtrail/db";
import { type ReplayStep, type RuleSet, replay } from "@leadtrail/scoring";
import { historySteps } from "./rescore.ts";
import { ledgerRows, scoreRow } from "./score-rows.ts";
import type { Fixture } from "./test-fixtures.ts";

/** An event to store: what the tracker sent and when it arrived. */
export interface EventSpec {
  type: string;
  name?: string;
  path?: string;
  campaign?: Record<string, string>;
  at: number;
}

let clientIds = 0;

/** A browser row for a lead (or anonymous). */
export function visitorRow(siteId: number, id: string, leadId: number | null, at: number): VisitorRow {
  return {
    siteId,
    id,
    leadId,
    firstSeenAt: at,
    lastSeenAt: at,
    referrerDomain: null,
    channel: null,
    utmSource: null,
    utmMedium: null,
    utmCampaign: null,
    landingPath: null,
    clickId: null,
    browser: null,
    os: null,
    device: null,
    country: null,
    eventCount: 0,
    visitStartedAt: null,
    visitPageviews: 0,
    lastPath: null,
    engagementScore: 0,
    scoreState: null,
    version: 1,
  };
}

/** Stores events of a lead's browser (creating the browser) and returns their stored ids. */
export async function storeEvents(
  f: Fixture,
  leadId: number,
  visitorId: string,
  events: readonly EventSpec[],
): Promise<number[]> {
  const siteId = f.site.id;
  return withWriteTransaction(f.db, async (tx) => {
    const known = await tx.$client.execute({
      sql: "SELECT 1 FROM visitors WHERE site_id = ? AND id = ?",
      args: [siteId, visitorId],
    });
    if (known.rows.length === 0) await insertVisitors(tx, [visitorRow(siteId, visitorId, leadId, events[0]?.at ?? 0)]);
    const rows = events.map((e) => ({
      ...e,
      clientId: `c${++clientIds}`,
      receivedAt: e.at,
      siteId,
      visitorId,
      leadId,
    }));
    const ids = await insertEvents(tx, rows);
    return rows.map((r) => ids.get(`${siteId}|${r.clientId}`) as number);
  });
}

/** Scores a lead from its stored events with `rules`, writing state, score columns and ledger as ingest would. */
export async function scoreStored(f: Fixture, leadId: number, rules: RuleSet, stage?: string): Promise<void> {
  await withWriteTransaction(f.db, async (tx) => {
    const lead = (await loadLeadHistories(tx, [leadId])).get(leadId);
    if (!lead) throw new Error(`no lead ${leadId}`);
    const { state, ledger } = replay(historySteps(lead), rules);
    if (stage) state.stage = stage as typeof state.stage;
    await deleteLeadLedgers(tx, [leadId]);
    await insertLedger(tx, ledgerRows(lead, ledger));
    await saveLeadScores(tx, [scoreRow(lead, state, rules)]);
  });
}

/** A lead with traits, one browser and scored events; returns its id and stored event ids. */
export async function seedScoredLead(
  f: Fixture,
  input: {
    email: string;
    traits?: Record<string, unknown>;
    visitor: string;
    events: EventSpec[];
    rules: RuleSet;
    stage?: string;
    createdAt?: number;
    siteId?: number;
  },
): Promise<{ id: number; eventIds: number[] }> {
  const lead = await insertLead(f.db, {
    siteId: input.siteId ?? f.site.id,
    email: input.email,
    name: null,
    companyId: null,
    role: null,
    traits: input.traits ?? {},
    unverified: false,
    createdAt: input.createdAt ?? input.events[0]?.at ?? 0,
  });
  const eventIds = await storeEvents(f, lead.id, input.visitor, input.events);
  await scoreStored(f, lead.id, input.rules, input.stage);
  return { id: lead.id, eventIds };
}

/** Replay steps for events in stored order, each starting a visit when its browser was idle 30 min. */
export function expectedSteps(events: readonly (EventSpec & { id: number; visitor: string })[]): ReplayStep[] {
  const last = new Map<string, number>();
  return [...events]
    .sort((a, b) => a.id - b.id)
    .map((e) => {
      const seen = last.get(e.visitor);
      last.set(e.visitor, Math.max(seen ?? e.at, e.at));
      const { visitor: _v, at, ...rest } = e;
      return {
        kind: "event" as const,
        event: { ...rest, at, visitStart: seen === undefined || at - seen > 30 * 60_000 },
        now: at,
      };
    });
}
