import type { Database } from "../client.ts";
import { parseJson, sqlJson } from "../json-text.ts";
import { type LeadViewer, visibleLeadsCondition } from "./visibility.ts";

/** A site's newest published rule set version, or undefined when it has never published one. */
export async function latestRuleSetVersion(db: Database, siteId: number): Promise<number | undefined> {
  const result = await db.$client.execute({
    sql: "SELECT max(version) AS version FROM rule_set_versions WHERE site_id = ?",
    args: [siteId],
  });
  const version = (result.rows[0] as { version?: number | null } | undefined)?.version;
  return version == null ? undefined : Number(version);
}

/** A site's newest published rule set (the JSON the dashboard stored), or undefined. */
export async function latestRuleSet(
  db: Database,
  siteId: number,
): Promise<{ version: number; ruleSet: unknown } | undefined> {
  const result = await db.$client.execute({
    sql: "SELECT version, rule_set FROM rule_set_versions WHERE site_id = ? ORDER BY version DESC LIMIT 1",
    args: [siteId],
  });
  const row = result.rows[0] as { version: number; rule_set: unknown } | undefined;
  return row ? { version: Number(row.version), ruleSet: parseJson(row.rule_set) } : undefined;
}

/** One published version of a site's rules (unvalidated JSON). */
export interface RuleSetVersionRow {
  version: number;
  ruleSet: unknown;
  publishedAt: number;
}

/** One published version of a site's rules, or undefined. */
export async function ruleSetVersion(
  db: Database,
  siteId: number,
  version: number,
): Promise<RuleSetVersionRow | undefined> {
  const result = await db.$client.execute({
    sql: "SELECT version, rule_set, published_at FROM rule_set_versions WHERE site_id = ? AND version = ?",
    args: [siteId, version],
  });
  const row = result.rows[0] as Record<string, unknown> | undefined;
  return row
    ? { version: Number(row.version), ruleSet: parseJson(row.rule_set), publishedAt: Number(row.published_at) }
    : undefined;
}

/** Every published version of a site's rules, oldest first (a replay looks up the version in force). */
export async function ruleSetHistory(db: Database, siteId: number): Promise<RuleSetVersionRow[]> {
  const result = await db.$client.execute({
    sql: "SELECT version, rule_set, published_at FROM rule_set_versions WHERE site_id = ? ORDER BY version",
    args: [siteId],
  });
  return (result.rows as Record<string, unknown>[]).map((row) => ({
    version: Number(row.version),
    ruleSet: parseJson(row.rule_set),
    publishedAt: Number(row.published_at),
  }));
}

/**
 * Stores `ruleSet` as version 1 of a site that has no published rules yet (a new site gets the
 * default rules as a real, editable version). Returns whether it was stored.
 */
export async function seedRuleSetVersion(
  db: Database,
  siteId: number,
  ruleSet: unknown,
  now: number,
  note = "default rules",
): Promise<boolean> {
  const result = await db.$client.execute({
    sql: `INSERT INTO rule_set_versions (site_id, version, rule_set, note, published_by, published_at)
          SELECT ?, 1, ?, ?, NULL, ? WHERE NOT EXISTS (SELECT 1 FROM rule_set_versions WHERE site_id = ?)`,
    args: [siteId, sqlJson(ruleSet), note, now, siteId],
  });
  return result.rowsAffected > 0;
}

// ---------------------------------------------------------------------------------------------
// Background re-scoring after a publish (rescore_runs).

/** A background re-score as the job and the progress bar see it. */
export interface RescoreRunRow {
  id: number;
  siteId: number;
  version: number;
  status: "pending" | "running" | "done" | "superseded" | "failed";
  total: number;
  done: number;
  stageChanges: number;
  /** Last lead id done; the next batch starts after it. */
  cursor: number;
  error: string | null;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

const RUN_COLUMNS = `id, site_id, version, status, total, done, stage_changes, cursor, error, created_at, started_at,
  finished_at`;

function toRun(r: Record<string, unknown>): RescoreRunRow {
  const num = (v: unknown) => (v == null ? null : Number(v));
  return {
    id: Number(r.id),
    siteId: Number(r.site_id),
    version: Number(r.version),
    status: String(r.status) as RescoreRunRow["status"],
    total: Number(r.total),
    done: Number(r.done),
    stageChanges: Number(r.stage_changes),
    cursor: Number(r.cursor),
    error: (r.error as string | null) ?? null,
    createdAt: Number(r.created_at),
    startedAt: num(r.started_at),
    finishedAt: num(r.finished_at),
  };
}

/**
 * Queues the re-score of every lead of a site with `version` (call it in the publish
 * transaction). An unfinished run of an older version is superseded: the new run replays every
 * lead with the newer rules anyway. Returns the run id.
 */
export async function createRescoreRun(db: Database, siteId: number, version: number, now: number): Promise<number> {
  await db.$client.execute({
    sql: `UPDATE rescore_runs SET status = 'superseded', finished_at = ?
          WHERE site_id = ? AND status IN ('pending', 'running')`,
    args: [now, siteId],
  });
  const result = await db.$client.execute({
    sql: `INSERT INTO rescore_runs (site_id, version, status, total, created_at)
          SELECT ?, ?, 'pending', (SELECT count(*) FROM leads WHERE site_id = ?), ? RETURNING id`,
    args: [siteId, version, siteId, now],
  });
  return Number((result.rows[0] as unknown as { id: number }).id);
}

/** The oldest unfinished run created at or before `createdBefore` (the job's next work), or undefined. */
export async function nextRescoreRun(db: Database, createdBefore: number): Promise<RescoreRunRow | undefined> {
  const result = await db.$client.execute({
    sql: `SELECT ${RUN_COLUMNS} FROM rescore_runs WHERE status IN ('pending', 'running') AND created_at <= ?
          ORDER BY id LIMIT 1`,
    args: [createdBefore],
  });
  const row = result.rows[0] as Record<string, unknown> | undefined;
  return row ? toRun(row) : undefined;
}

/** A run by id, or undefined. */
export async function findRescoreRun(db: Database, id: number): Promise<RescoreRunRow | undefined> {
  const result = await db.$client.execute({ sql: `SELECT ${RUN_COLUMNS} FROM rescore_runs WHERE id = ?`, args: [id] });
  const row = result.rows[0] as Record<string, unknown> | undefined;
  return row ? toRun(row) : undefined;
}

/** A site's newest run (the scoring page's progress bar), or undefined. */
export async function latestRescoreRun(db: Database, siteId: number): Promise<RescoreRunRow | undefined> {
  const result = await db.$client.execute({
    sql: `SELECT ${RUN_COLUMNS} FROM rescore_runs WHERE site_id = ? ORDER BY id DESC LIMIT 1`,
    args: [siteId],
  });
  const row = result.rows[0] as Record<string, unknown> | undefined;
  return row ? toRun(row) : undefined;
}

/** The newest version every lead of a site has been re-scored with (a finished run), or undefined. */
export async function lastRescoredVersion(db: Database, siteId: number): Promise<number | undefined> {
  const result = await db.$client.execute({
    sql: "SELECT max(version) AS v FROM rescore_runs WHERE site_id = ? AND status = 'done'",
    args: [siteId],
  });
  const v = (result.rows[0] as { v?: number | null } | undefined)?.v;
  return v == null ? undefined : Number(v);
}

/** Records a batch's progress (and the run's end when `status` is given). */
export async function advanceRescoreRun(
  db: Database,
  run: { id: number; cursor: number; done: number; stageChanges: number },
  now: number,
  status: "running" | "done" | "failed" = "running",
  error: string | null = null,
): Promise<void> {
  await db.$client.execute({
    // Leads created during the run are re-scored too: a finished run's total is what it did.
    sql: `UPDATE rescore_runs SET cursor = ?, done = ?, stage_changes = ?, status = ?, error = ?,
            started_at = coalesce(started_at, ?), finished_at = CASE WHEN ? = 'running' THEN NULL ELSE ? END,
            total = CASE WHEN ? = 'done' THEN max(total, ?) ELSE total END
          WHERE id = ?`,
    args: [run.cursor, run.done, run.stageChanges, status, error, now, status, now, status, run.done, run.id],
  });
}

/** Up to `limit` lead ids of a site after `afterId`, in id order (keyset pagination for batches). */
export async function siteLeadIdsAfter(
  db: Database,
  siteId: number,
  afterId: number,
  limit: number,
): Promise<number[]> {
  const result = await db.$client.execute({
    // `+site_id` keeps the planner on the primary key: walking ids in order reads each batch from
    // where the last one stopped, where the (site_id, …) indexes would sort all the site's leads
    // for every batch.
    sql: "SELECT id FROM leads WHERE +site_id = ? AND id > ? ORDER BY id LIMIT ?",
    args: [siteId, afterId, limit],
  });
  return (result.rows as Record<string, unknown>[]).map((r) => Number(r.id));
}

// ---------------------------------------------------------------------------------------------
// A lead's history for replay: its stored state and profile, its events, its browsers' countries.

/** One stored event as a replay needs it. */
export interface HistoryEvent {
  id: number;
  visitorId: string;
  type: string;
  name: string | null;
  path: string | null;
  url: string | null;
  props: Record<string, unknown> | null;
  campaign: Record<string, string> | null;
  receivedAt: number;
}

/** Everything a replay of one lead reads. */
export interface LeadHistory {
  id: number;
  siteId: number;
  email: string;
  stage: string;
  ownerId: number | null;
  companyId: number | null;
  name: string | null;
  role: string | null;
  traits: Record<string, unknown>;
  unverified: boolean;
  scoreState: unknown;
  lastActivityAt: number | null;
  createdAt: number;
  /** Country of its first browser that has one (the profile's fallback country). */
  visitorCountry: string | null;
  /** Its events in stored order (id). */
  events: HistoryEvent[];
}

/** Histories of these leads (missing ids are left out), each with its events in id order. */
export async function loadLeadHistories(db: Database, leadIds: readonly number[]): Promise<Map<number, LeadHistory>> {
  const out = new Map<number, LeadHistory>();
  if (leadIds.length === 0) return out;
  const ids = sqlJson(leadIds);
  const leads = await db.$client.execute({
    sql: `SELECT l.id, l.site_id, l.email, l.stage, l.owner_id, l.company_id, l.name, l.role, l.traits, l.unverified, l.score_state,
            l.last_activity_at, l.created_at,
            (SELECT country FROM visitors v WHERE v.lead_id = l.id AND v.country IS NOT NULL
              ORDER BY v.first_seen_at LIMIT 1) AS visitor_country
          FROM leads l WHERE l.id IN (SELECT value FROM json_each(?))`,
    args: [ids],
  });
  for (const r of leads.rows as Record<string, unknown>[]) {
    out.set(Number(r.id), {
      id: Number(r.id),
      siteId: Number(r.site_id),
      email: String(r.email),
      stage: String(r.stage),
      ownerId: r.owner_id == null ? null : Number(r.owner_id),
      companyId: r.company_id == null ? null : Number(r.company_id),
      name: (r.name as string | null) ?? null,
      role: (r.role as string | null) ?? null,
      traits: (parseJson(r.traits) as Record<string, unknown> | null) ?? {},
      unverified: Boolean(r.unverified),
      scoreState: parseJson(r.score_state),
      lastActivityAt: r.last_activity_at == null ? null : Number(r.last_activity_at),
      createdAt: Number(r.created_at),
      visitorCountry: (r.visitor_country as string | null) ?? null,
      events: [],
    });
  }
  // The partial index on events(lead_id, received_at) serves this; ordering by id afterwards is
  // cheap for one lead's events and is the order the collector scored them in.
  const events = await db.$client.execute({
    sql: `SELECT lead_id, id, visitor_id, type, name, path, url, props, campaign, received_at FROM events
          WHERE lead_id IN (SELECT value FROM json_each(?)) ORDER BY lead_id, id`,
    args: [ids],
  });
  for (const r of events.rows as Record<string, unknown>[]) {
    out.get(Number(r.lead_id))?.events.push({
      id: Number(r.id),
      visitorId: String(r.visitor_id),
      type: String(r.type),
      name: (r.name as string | null) ?? null,
      path: (r.path as string | null) ?? null,
      url: (r.url as string | null) ?? null,
      props: parseJson(r.props) as Record<string, unknown> | null,
      campaign: parseJson(r.campaign) as Record<string, string> | null,
      receivedAt: Number(r.received_at),
    });
  }
  return out;
}

/** Deletes the ledger rows of these leads (a re-score writes their replayed ledger in the same transaction). */
export async function deleteLeadLedgers(db: Database, leadIds: readonly number[]): Promise<number> {
  if (leadIds.length === 0) return 0;
  const result = await db.$client.execute({
    sql: "DELETE FROM score_ledger WHERE lead_id IN (SELECT value FROM json_each(?))",
    args: [sqlJson(leadIds)],
  });
  return result.rowsAffected;
}

// ---------------------------------------------------------------------------------------------
// Merging two leads found to be one person.

/**
 * Hands everything that refers to lead `fromId` to lead `toId`: browsers (their `version` is
 * bumped so a collector's cached row is read again), events, stage history and notes,
 * assignments, SLA misses, notifications, outbox and mail outbox rows; the nurture progress moves only when
 * the kept lead has none. Ledger rows are not moved: the caller replays them. Returns rows moved
 * per table.
 */
export async function moveLeadRecords(db: Database, fromId: number, toId: number): Promise<Record<string, number>> {
  const moved: Record<string, number> = {};
  const move = async (table: string, sql: string) => {
    moved[table] = (await db.$client.execute({ sql, args: [toId, fromId] })).rowsAffected;
  };
  await move("visitors", "UPDATE visitors SET lead_id = ?, version = version + 1 WHERE lead_id = ?");
  await move("events", "UPDATE events SET lead_id = ? WHERE lead_id = ?");
  await move("stage_changes", "UPDATE stage_changes SET lead_id = ? WHERE lead_id = ?");
  await move("lead_assignments", "UPDATE lead_assignments SET lead_id = ? WHERE lead_id = ?");
  await move("sla_misses", "UPDATE sla_misses SET lead_id = ? WHERE lead_id = ?");
  await move("notifications", "UPDATE notifications SET lead_id = ? WHERE lead_id = ?");
  await move("outbox", "UPDATE outbox SET lead_id = ? WHERE lead_id = ?");
  await move("mail_outbox", "UPDATE mail_outbox SET lead_id = ? WHERE lead_id = ?");
  moved.lead_nurture = (
    await db.$client.execute({
      sql: `UPDATE lead_nurture SET lead_id = ?
            WHERE lead_id = ? AND NOT EXISTS (SELECT 1 FROM lead_nurture k WHERE k.lead_id = ?)`,
      args: [toId, fromId, toId],
    })
  ).rowsAffected;
  await db.$client.execute({ sql: "DELETE FROM lead_nurture WHERE lead_id = ?", args: [fromId] });
  await move("lead_merges", "UPDATE lead_merges SET kept_lead_id = ? WHERE kept_lead_id = ?");
  return moved;
}

/**
 * Deletes a lead whose records `moveLeadRecords` handed over; its ledger rows go too (the kept
 * lead's replay wrote the combined ledger). Returns whether the lead existed.
 */
export async function deleteMergedLead(db: Database, leadId: number): Promise<boolean> {
  await db.$client.execute({ sql: "DELETE FROM score_ledger WHERE lead_id = ?", args: [leadId] });
  return (await db.$client.execute({ sql: "DELETE FROM leads WHERE id = ?", args: [leadId] })).rowsAffected > 0;
}

/** Records that `mergedLeadId` now lives on as `keptLeadId` (its id redirects there). */
export async function insertLeadMerge(
  db: Database,
  merge: {
    siteId: number;
    mergedLeadId: number;
    keptLeadId: number;
    mergedEmail: string;
    actor: string;
    reason: string | null;
    at: number;
  },
): Promise<void> {
  await db.$client.execute({
    sql: `INSERT INTO lead_merges (merged_lead_id, site_id, kept_lead_id, merged_email, actor, reason, at)
          VALUES (?, ?, ?, ?, ?, ?, ?)`,
    args: [
      merge.mergedLeadId,
      merge.siteId,
      merge.keptLeadId,
      merge.mergedEmail.toLowerCase(),
      merge.actor,
      merge.reason,
      merge.at,
    ],
  });
}

/** Where a merged lead lives on: the kept lead's id and site, or undefined for an id never merged. */
export async function findLeadMerge(
  db: Database,
  mergedLeadId: number,
): Promise<{ keptLeadId: number; siteId: number } | undefined> {
  const result = await db.$client.execute({
    sql: "SELECT kept_lead_id, site_id FROM lead_merges WHERE merged_lead_id = ?",
    args: [mergedLeadId],
  });
  const row = result.rows[0] as Record<string, unknown> | undefined;
  return row ? { keptLeadId: Number(row.kept_lead_id), siteId: Number(row.site_id) } : undefined;
}

/**
 * The stored scores of the leads of a company that `viewer` may see (the account roll-up decays
 * them to now); a rep's roll-up counts only their own leads and the pool.
 */
export async function companyMemberScores(
  db: Database,
  companyId: number,
  viewer: LeadViewer,
): Promise<{ id: number; stage: string; engagementScore: number; scoredAt: number | null; fitScore: number }[]> {
  const visible = visibleLeadsCondition(viewer, "l");
  const result = await db.$client.execute({
    sql: `SELECT l.id, l.stage, l.engagement_score, l.scored_at, l.fit_score FROM leads l
          WHERE l.company_id = ? AND ${visible.sql} ORDER BY l.id LIMIT 500`,
    args: [companyId, ...visible.args],
  });
  return (result.rows as Record<string, unknown>[]).map((r) => ({
    id: Number(r.id),
    stage: String(r.stage),
    engagementScore: Number(r.engagement_score),
    scoredAt: r.scored_at == null ? null : Number(r.scored_at),
    fitScore: Number(r.fit_score),
  }));
}
