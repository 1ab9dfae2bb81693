import {
  closeCurrentAssignments,
  type Database,
  insertAssignment,
  insertNotifications,
  insertOutbox,
  loadRoutableLeads,
  loadRoutingSetup,
  type NewNotification,
  type NewOutboxRow,
  type RoutableLeadRow,
  saveRoutingCredits,
  setLeadOwner,
} from "@leadtrail/db";
import {
  explainRoute,
  type RouteExplanation,
  type RouteOptions,
  type RoutingConfig,
  type RoutingDecision,
  type RoutingState,
  route,
} from "@leadtrail/routing";
import { loadLeadSummary, webhookBody } from "./payloads.ts";
import { toRoutableLead, toRoutingInput } from "./routing-setup.ts";

/** A site's routing settings and round-robin state, loaded once and advanced in memory as leads are routed. */
export interface SiteRouting {
  siteId: number;
  config: RoutingConfig;
  state: RoutingState;
}

/** Loads a site's routing settings and state (inside the write transaction that will route). */
export async function loadSiteRouting(db: Database, siteId: number): Promise<SiteRouting> {
  return { siteId, ...toRoutingInput(await loadRoutingSetup(db, siteId)) };
}

/** What a routing run wrote. */
export interface RoutedLead {
  leadId: number;
  assignmentId: number;
  decision: RoutingDecision;
}

const idOrNull = (id: string | null) => (id === null ? null : Number(id));

/**
 * Stores a routing decision: ends the lead's current assignment, inserts the new one (rep or
 * queue, rule, candidates, decision), sets the owner, saves the pool's credits, notifies the rep
 * and enqueues `lead.assigned`. Advances `site` in memory (state, rep load) so the next lead of the
 * same commit routes from there.
 */
export async function persistDecision(
  db: Database,
  site: SiteRouting,
  decision: RoutingDecision,
  nextState: RoutingState,
  extra: { outbox?: NewOutboxRow[]; notifications?: NewNotification[] } = {},
): Promise<RoutedLead> {
  const leadId = Number(decision.leadId);
  const at = decision.at;
  await closeCurrentAssignments(db, leadId, at);
  const repId = idOrNull(decision.repId);
  const assignmentId = await insertAssignment(db, {
    siteId: site.siteId,
    leadId,
    repId,
    queueId: decision.queueId,
    poolId: idOrNull(decision.poolId),
    ruleId: idOrNull(decision.ruleId),
    trigger: decision.trigger,
    candidates: decision.candidates,
    decision,
    at,
    slaDueAt: decision.slaDueAt,
  });
  await setLeadOwner(db, leadId, repId);
  const outbox = [...(extra.outbox ?? [])];
  const notifications = [...(extra.notifications ?? [])];
  if (decision.outcome === "assigned" && decision.poolId !== null && decision.repId !== null) {
    const credits = nextState.pools[decision.poolId]?.credits ?? {};
    await saveRoutingCredits(db, Number(decision.poolId), credits, at);
    site.state = nextState;
    site.config = {
      ...site.config,
      reps: site.config.reps.map((r) => (r.id === decision.repId ? { ...r, openLeads: r.openLeads + 1 } : r)),
    };
    notifications.push({
      siteId: site.siteId,
      userId: Number(decision.repId),
      kind: "lead_assigned",
      leadId,
      message:
        decision.trigger === "sla_reroute"
          ? "A lead was re-routed to you after a missed SLA"
          : "A lead was routed to you",
      createdAt: at,
    });
    const lead = await loadLeadSummary(db, leadId);
    outbox.push({
      siteId: site.siteId,
      leadId,
      eventType: "lead.assigned",
      payload: webhookBody("lead.assigned", at, {
        lead,
        assignment: {
          id: assignmentId,
          repId,
          poolId: Number(decision.poolId),
          ruleId: idOrNull(decision.ruleId),
          trigger: decision.trigger,
          slaDueAt: decision.slaDueAt,
          summary: decision.summary,
        },
      }),
      createdAt: at,
    });
  }
  await insertNotifications(db, notifications);
  await insertOutbox(db, outbox);
  return { leadId, assignmentId, decision };
}

/** A lead that just became MQL in a transaction. */
export interface NewMql {
  siteId: number;
  leadId: number;
  at: number;
  score: number | null;
}

/**
 * Routes the leads that became MQL in one write transaction (the collector's group commit, or a
 * manual `mark_mql`): loads each site's settings and state once, routes the leads in order,
 * stores assignments, owners, state, notifications, and enqueues `lead.mql` (+ `lead.assigned`).
 */
export async function routeMqls(db: Database, mqls: readonly NewMql[]): Promise<RoutedLead[]> {
  const unique = [...new Map(mqls.map((m) => [m.leadId, m])).values()];
  if (unique.length === 0) return [];
  const sites = new Map<number, SiteRouting>();
  const leads = await loadRoutableLeads(
    db,
    unique.map((m) => m.leadId),
  );
  const routed: RoutedLead[] = [];
  for (const mql of unique) {
    const row = leads.get(mql.leadId);
    if (!row) continue;
    let site = sites.get(mql.siteId);
    if (!site) {
      site = await loadSiteRouting(db, mql.siteId);
      sites.set(mql.siteId, site);
    }
    const lead = await loadLeadSummary(db, mql.leadId);
    const mqlEvent: NewOutboxRow = {
      siteId: mql.siteId,
      leadId: mql.leadId,
      eventType: "lead.mql",
      payload: webhookBody("lead.mql", mql.at, { lead: lead ? { ...lead, stage: "mql" } : null, score: mql.score }),
      createdAt: mql.at,
    };
    const { decision, state } = route(toRoutableLead(row), site.config, site.state, mql.at, { trigger: "mql" });
    routed.push(await persistDecision(db, site, decision, state, { outbox: [mqlEvent] }));
  }
  return routed;
}

/** Options of an on-demand routing. */
export interface RouteLeadInput {
  leadId: number;
  now: number;
  trigger?: RouteOptions["trigger"];
  excludeRepIds?: readonly number[];
}

/**
 * Routes one lead now ("route this lead" / reassign by rules) inside the caller's write
 * transaction, and stores the result like an MQL routing. Undefined when there is no such lead.
 */
export async function routeLead(db: Database, input: RouteLeadInput): Promise<RoutedLead | undefined> {
  const row = (await loadRoutableLeads(db, [input.leadId])).get(input.leadId);
  if (!row) return undefined;
  const site = await loadSiteRouting(db, row.siteId);
  const { decision, state } = route(toRoutableLead(row), site.config, site.state, input.now, {
    trigger: input.trigger ?? "manual",
    excludeRepIds: (input.excludeRepIds ?? []).map(String),
  });
  return persistDecision(db, site, decision, state);
}

/**
 * The "route this lead" preview: which rule and rep the lead would get now and why, without
 * storing anything or advancing the round robin. Undefined when there is no such lead.
 */
export async function explainLeadRoute(
  db: Database,
  leadId: number,
  now: number,
): Promise<(RouteExplanation & { lead: RoutableLeadRow }) | undefined> {
  const row = (await loadRoutableLeads(db, [leadId])).get(leadId);
  if (!row) return undefined;
  const site = await loadSiteRouting(db, row.siteId);
  return { ...explainRoute(toRoutableLead(row), site.config, site.state, now), lead: row };
}
