import type { InValue } from "@libsql/client";
import type { Database } from "../client.ts";
import { parseJson, sqlJson } from "../json-text.ts";
import { refreshLeadSummaries } from "./lead-stage.ts";
import { numOrNull, rowsOf } from "./rows.ts";

// Personas, the content catalogue, nurture tracks and each lead's nurture progress (the article's
// phases 2 and 4). JSON columns are returned parsed but loosely typed: @leadtrail/workflows turns
// them into the @leadtrail/nurture types after validation (this package depends on no domain package).

/** A persona as stored, with how many leads are matched to it now. */
export interface PersonaRecord {
  id: number;
  siteId: number;
  name: string;
  description: string | null;
  criteria: Record<string, unknown>;
  weights: Record<string, number>;
  minMatch: number;
  defaultContentKey: string | null;
  enabled: boolean;
  createdAt: number;
  leadCount: number;
}

/** What the persona editor writes (validated by the caller). */
export interface PersonaInput {
  name: string;
  description: string | null;
  criteria: Record<string, unknown>;
  weights: Record<string, number>;
  minMatch: number;
  defaultContentKey: string | null;
  enabled: boolean;
}

/** A catalogue item as stored. */
export interface ContentItemRecord {
  id: number;
  siteId: number;
  key: string;
  title: string | null;
  kind: string;
  topics: string[];
  match: string[];
  href: string | null;
  createdAt: number;
}

/** What the catalogue editor writes (validated by the caller). */
export interface ContentItemInput {
  key: string;
  title: string | null;
  kind: string;
  topics: string[];
  match: string[];
  href: string | null;
}

/** A nurture track as stored; `steps` are `NurtureStep` objects of @leadtrail/nurture. */
export interface NurtureTrackRecord {
  id: number;
  siteId: number;
  name: string;
  purpose: string;
  personaId: number | null;
  stages: string[];
  priority: number;
  steps: unknown[];
  enabled: boolean;
  createdAt: number;
}

/** What the track editor writes (validated by the caller). */
export interface NurtureTrackInput {
  name: string;
  purpose: string;
  personaId: number | null;
  stages: string[];
  priority: number;
  steps: unknown[];
  enabled: boolean;
}

const list = <T>(value: unknown): T[] => {
  const parsed = parseJson(value);
  return Array.isArray(parsed) ? (parsed as T[]) : [];
};
const object = <T>(value: unknown): T => {
  const parsed = parseJson(value);
  return (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? parsed : {}) as T;
};

function toPersona(r: Record<string, unknown>): PersonaRecord {
  return {
    id: Number(r.id),
    siteId: Number(r.site_id),
    name: String(r.name),
    description: (r.description as string | null) ?? null,
    criteria: object(r.criteria),
    weights: object(r.weights),
    minMatch: Number(r.min_match),
    defaultContentKey: (r.default_content_key as string | null) ?? null,
    enabled: Boolean(r.enabled),
    createdAt: Number(r.created_at),
    leadCount: Number(r.lead_count ?? 0),
  };
}

/** A site's personas in creation order, each with the number of leads matched to it. */
export async function listPersonas(db: Database, siteId: number): Promise<PersonaRecord[]> {
  const result = await db.$client.execute({
    sql: `SELECT p.*, (SELECT count(*) FROM leads l WHERE l.persona_id = p.id) AS lead_count
            FROM personas p WHERE p.site_id = ? ORDER BY p.id`,
    args: [siteId],
  });
  return rowsOf(result).map(toPersona);
}

/** One persona of a site, or undefined (another site's persona is not found either). */
export async function findPersona(db: Database, siteId: number, id: number): Promise<PersonaRecord | undefined> {
  const result = await db.$client.execute({
    sql: `SELECT p.*, (SELECT count(*) FROM leads l WHERE l.persona_id = p.id) AS lead_count
            FROM personas p WHERE p.site_id = ? AND p.id = ?`,
    args: [siteId, id],
  });
  const row = rowsOf(result)[0];
  return row ? toPersona(row) : undefined;
}

const personaArgs = (p: PersonaInput): InValue[] => [
  p.name,
  p.description,
  sqlJson(p.criteria),
  sqlJson(p.weights),
  p.minMatch,
  p.defaultContentKey,
  p.enabled ? 1 : 0,
];

/** Creates a persona; returns its id. */
export async function insertPersona(db: Database, siteId: number, input: PersonaInput, now: number): Promise<number> {
  const result = await db.$client.execute({
    sql: `INSERT INTO personas (name, description, criteria, weights, min_match, default_content_key, enabled, site_id,
            created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    args: [...personaArgs(input), siteId, now],
  });
  return Number(rowsOf(result)[0]?.id);
}

/** Replaces a persona's fields; false when the site has no such persona. */
export async function updatePersona(db: Database, siteId: number, id: number, input: PersonaInput): Promise<boolean> {
  const result = await db.$client.execute({
    sql: `UPDATE personas SET name = ?, description = ?, criteria = ?, weights = ?, min_match = ?,
            default_content_key = ?, enabled = ? WHERE site_id = ? AND id = ?`,
    args: [...personaArgs(input), siteId, id],
  });
  return result.rowsAffected > 0;
}

/** Enables or disables a persona (a disabled persona is kept but never matched); false when not found. */
export async function setPersonaEnabled(db: Database, siteId: number, id: number, enabled: boolean): Promise<boolean> {
  const result = await db.$client.execute({
    sql: "UPDATE personas SET enabled = ? WHERE site_id = ? AND id = ?",
    args: [enabled ? 1 : 0, siteId, id],
  });
  return result.rowsAffected > 0;
}

function toContentItem(r: Record<string, unknown>): ContentItemRecord {
  return {
    id: Number(r.id),
    siteId: Number(r.site_id),
    key: String(r.key),
    title: (r.title as string | null) ?? null,
    kind: String(r.kind),
    topics: list<string>(r.topics),
    match: list<string>(r.match),
    href: (r.href as string | null) ?? null,
    createdAt: Number(r.created_at),
  };
}

/** A site's content catalogue in creation order. */
export async function listContentItems(db: Database, siteId: number): Promise<ContentItemRecord[]> {
  const result = await db.$client.execute({
    sql: "SELECT * FROM content_items WHERE site_id = ? ORDER BY id",
    args: [siteId],
  });
  return rowsOf(result).map(toContentItem);
}

const contentArgs = (c: ContentItemInput): InValue[] => [
  c.key,
  c.title,
  c.kind,
  sqlJson(c.topics),
  sqlJson(c.match),
  c.href,
];

/** Adds a catalogue item; returns its id. The key is unique per site (the caller checks first). */
export async function insertContentItem(
  db: Database,
  siteId: number,
  input: ContentItemInput,
  now: number,
): Promise<number> {
  const result = await db.$client.execute({
    sql: `INSERT INTO content_items (key, title, kind, topics, match, href, site_id, created_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    args: [...contentArgs(input), siteId, now],
  });
  return Number(rowsOf(result)[0]?.id);
}

/** Replaces a catalogue item's fields; false when the site has no such item. */
export async function updateContentItem(
  db: Database,
  siteId: number,
  id: number,
  input: ContentItemInput,
): Promise<boolean> {
  const result = await db.$client.execute({
    sql: "UPDATE content_items SET key = ?, title = ?, kind = ?, topics = ?, match = ?, href = ? WHERE site_id = ? AND id = ?",
    args: [...contentArgs(input), siteId, id],
  });
  return result.rowsAffected > 0;
}

function toTrack(r: Record<string, unknown>): NurtureTrackRecord {
  return {
    id: Number(r.id),
    siteId: Number(r.site_id),
    name: String(r.name),
    purpose: String(r.purpose),
    personaId: numOrNull(r.persona_id),
    stages: list<string>(r.stages),
    priority: Number(r.priority),
    steps: list<unknown>(r.steps),
    enabled: Boolean(r.enabled),
    createdAt: Number(r.created_at),
  };
}

/** A site's nurture tracks in creation order. */
export async function listNurtureTracks(db: Database, siteId: number): Promise<NurtureTrackRecord[]> {
  const result = await db.$client.execute({
    sql: "SELECT * FROM nurture_tracks WHERE site_id = ? ORDER BY id",
    args: [siteId],
  });
  return rowsOf(result).map(toTrack);
}

const trackArgs = (t: NurtureTrackInput): InValue[] => [
  t.name,
  t.purpose,
  t.personaId,
  sqlJson(t.stages),
  t.priority,
  sqlJson(t.steps),
  t.enabled ? 1 : 0,
];

/** Creates a nurture track; returns its id. */
export async function insertNurtureTrack(
  db: Database,
  siteId: number,
  input: NurtureTrackInput,
  now: number,
): Promise<number> {
  const result = await db.$client.execute({
    sql: `INSERT INTO nurture_tracks (name, purpose, persona_id, stages, priority, steps, enabled, site_id, created_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    args: [...trackArgs(input), siteId, now],
  });
  return Number(rowsOf(result)[0]?.id);
}

/** Replaces a track's fields; false when the site has no such track. */
export async function updateNurtureTrack(
  db: Database,
  siteId: number,
  id: number,
  input: NurtureTrackInput,
): Promise<boolean> {
  const result = await db.$client.execute({
    sql: `UPDATE nurture_tracks SET name = ?, purpose = ?, persona_id = ?, stages = ?, priority = ?, steps = ?,
            enabled = ? WHERE site_id = ? AND id = ?`,
    args: [...trackArgs(input), siteId, id],
  });
  return result.rowsAffected > 0;
}

/** Site ids that have at least one persona or track: the nurture job has nothing to do elsewhere. */
export async function nurtureSiteIds(db: Database): Promise<number[]> {
  const result = await db.$client.execute(
    "SELECT site_id FROM personas UNION SELECT site_id FROM nurture_tracks ORDER BY site_id",
  );
  return rowsOf(result).map((r) => Number(r.site_id));
}

/**
 * Marks every nurtured lead of a site for recomputation (after a persona, catalogue item or track
 * changed): the next job run matches and steps them again.
 */
export async function markSiteNurtureStale(db: Database, siteId: number): Promise<void> {
  await db.$client.execute({
    sql: "UPDATE lead_nurture SET updated_at = 0 WHERE lead_id IN (SELECT id FROM leads WHERE site_id = ?)",
    args: [siteId],
  });
}

/**
 * Leads of a site (ids above `afterId`, in id order) whose persona or next step may have changed:
 * never processed, marked stale, active or moved (stage change or note) since they were last
 * processed, or whose waiting step has come due by `now`.
 */
export async function nurtureCandidates(
  db: Database,
  siteId: number,
  now: number,
  afterId: number,
  limit: number,
): Promise<number[]> {
  const result = await db.$client.execute({
    sql: `SELECT l.id FROM leads l LEFT JOIN lead_nurture n ON n.lead_id = l.id
           WHERE l.site_id = ? AND l.id > ? AND (
             n.lead_id IS NULL OR n.updated_at = 0 OR l.persona_matched_at IS NULL
             OR coalesce(l.last_activity_at, 0) > n.updated_at
             OR n.next_due_at <= ?
             OR EXISTS (SELECT 1 FROM stage_changes s WHERE s.lead_id = l.id AND s.at > n.updated_at))
           ORDER BY l.id LIMIT ?`,
    args: [siteId, afterId, now, limit],
  });
  return rowsOf(result).map((r) => Number(r.id));
}

/** A page view (or download / outbound click) as nurture counts it: the path or URL, first seen at. */
export interface ViewedTarget {
  target: string;
  at: number;
}

/** The next step as last stored for a lead. */
export interface StoredNextStep {
  trackId: number | null;
  stepId: string | null;
  contentKey: string | null;
  notifiedAt: number | null;
  dueAt: number | null;
}

/** Everything the nurture workflow needs to know about one lead. */
export interface NurtureInputRow {
  id: number;
  siteId: number;
  email: string;
  role: string | null;
  traits: Record<string, unknown>;
  /** Country of the lead's first browser (edge header), the fallback when traits name none. */
  visitorCountry: string | null;
  stage: string;
  fitScore: number;
  engagementScore: number;
  scoredAt: number | null;
  lastActivityAt: number | null;
  personaId: number | null;
  personaMatchedAt: number | null;
  acquisition: string;
  legalBasis: string | null;
  /** Distinct pages (paths) and download/outbound URLs with their first time, oldest first. */
  viewed: ViewedTarget[];
  /** The stored `NurtureProgress` JSON, null before the lead was first processed. */
  progress: unknown;
  next: StoredNextStep | null;
}

/** At most this many distinct targets per lead are read: catalogues match far fewer pages. */
const MAX_VIEWED = 2000;

// Page views count by path (query strings never make other content); downloads and outbound clicks
// by their URL, so a catalogue item can name a PDF or a webinar page elsewhere.
const TARGET = "CASE WHEN type = 'pageview' THEN path ELSE url END";
const VIEW_TYPES = "type IN ('pageview', 'download', 'outbound')";

/** Reads the nurture inputs of leads: profile, stage, scores, viewed pages and stored progress. */
export async function loadNurtureInputs(
  db: Database,
  leadIds: readonly number[],
): Promise<Map<number, NurtureInputRow>> {
  const found = new Map<number, NurtureInputRow>();
  if (leadIds.length === 0) return found;
  const ids = sqlJson(leadIds);
  const leadsResult = await db.$client.execute({
    sql: `SELECT l.id, l.site_id, l.email, l.role, l.traits, l.stage, l.fit_score, l.engagement_score, l.scored_at,
                 l.last_activity_at, l.persona_id, l.persona_matched_at, l.acquisition, l.legal_basis,
                 (SELECT v.country FROM visitors v WHERE v.lead_id = l.id AND v.country IS NOT NULL
                   ORDER BY v.first_seen_at LIMIT 1) AS visitor_country,
                 n.progress, n.next_track_id, n.next_step_id, n.next_content_key, n.notified_at, n.next_due_at,
                 n.lead_id AS nurtured
            FROM leads l LEFT JOIN lead_nurture n ON n.lead_id = l.id
           WHERE l.id IN (SELECT value FROM json_each(?))`,
    args: [ids],
  });
  for (const r of rowsOf(leadsResult)) {
    found.set(Number(r.id), {
      id: Number(r.id),
      siteId: Number(r.site_id),
      email: String(r.email),
      role: (r.role as string | null) ?? null,
      traits: object(r.traits),
      visitorCountry: (r.visitor_country as string | null) ?? null,
      stage: String(r.stage),
      fitScore: Number(r.fit_score),
      engagementScore: Number(r.engagement_score),
      scoredAt: numOrNull(r.scored_at),
      lastActivityAt: numOrNull(r.last_activity_at),
      personaId: numOrNull(r.persona_id),
      personaMatchedAt: numOrNull(r.persona_matched_at),
      acquisition: String(r.acquisition),
      legalBasis: (r.legal_basis as string | null) ?? null,
      viewed: [],
      progress: r.nurtured == null ? null : parseJson(r.progress),
      next:
        r.nurtured == null
          ? null
          : {
              trackId: numOrNull(r.next_track_id),
              stepId: (r.next_step_id as string | null) ?? null,
              contentKey: (r.next_content_key as string | null) ?? null,
              notifiedAt: numOrNull(r.notified_at),
              dueAt: numOrNull(r.next_due_at),
            },
    });
  }
  const views = await db.$client.execute({
    sql: `SELECT lead_id, target, at FROM (
            SELECT lead_id, ${TARGET} AS target, min(received_at) AS at,
                   row_number() OVER (PARTITION BY lead_id ORDER BY min(received_at)) AS n
              FROM events WHERE lead_id IN (SELECT value FROM json_each(?)) AND ${VIEW_TYPES}
             GROUP BY lead_id, target HAVING target IS NOT NULL)
           WHERE n <= ? ORDER BY lead_id, at`,
    args: [ids, MAX_VIEWED],
  });
  for (const r of rowsOf(views)) {
    found.get(Number(r.lead_id))?.viewed.push({ target: String(r.target), at: Number(r.at) });
  }
  return found;
}

/** An anonymous browser's viewed targets (oldest first) and the lead it belongs to, if any. */
export async function visitorNurtureFacts(
  db: Database,
  siteId: number,
  visitorId: string,
): Promise<{ leadId: number | null; viewed: ViewedTarget[] }> {
  const visitor = await db.$client.execute({
    sql: "SELECT lead_id FROM visitors WHERE site_id = ? AND id = ?",
    args: [siteId, visitorId],
  });
  const leadId = numOrNull(rowsOf(visitor)[0]?.lead_id);
  const views = await db.$client.execute({
    sql: `SELECT ${TARGET} AS target, min(received_at) AS at FROM events
           WHERE site_id = ? AND visitor_id = ? AND ${VIEW_TYPES}
           GROUP BY target HAVING target IS NOT NULL ORDER BY at LIMIT ?`,
    args: [siteId, visitorId, MAX_VIEWED],
  });
  return { leadId, viewed: rowsOf(views).map((r) => ({ target: String(r.target), at: Number(r.at) })) };
}

/** One lead's nurture state to store. */
export interface LeadNurtureWrite {
  leadId: number;
  progress: unknown;
  nextTrackId: number | null;
  nextStepId: string | null;
  nextContentKey: string | null;
  notifiedAt: number | null;
  nextDueAt: number | null;
  updatedAt: number;
}

/** Stores leads' nurture progress and next step (insert or replace, one statement). */
export async function saveLeadNurture(db: Database, rows: readonly LeadNurtureWrite[]): Promise<void> {
  if (rows.length === 0) return;
  await db.$client.execute({
    sql: `INSERT INTO lead_nurture (lead_id, progress, next_track_id, next_step_id, next_content_key, notified_at,
            next_due_at, updated_at)
          SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, value->>6, value->>7
            FROM json_each(?) WHERE true
          ON CONFLICT (lead_id) DO UPDATE SET progress = excluded.progress, next_track_id = excluded.next_track_id,
            next_step_id = excluded.next_step_id, next_content_key = excluded.next_content_key,
            notified_at = excluded.notified_at, next_due_at = excluded.next_due_at, updated_at = excluded.updated_at`,
    args: [
      sqlJson(
        rows.map((r) => [
          r.leadId,
          sqlJson(r.progress),
          r.nextTrackId,
          r.nextStepId,
          r.nextContentKey,
          r.notifiedAt,
          r.nextDueAt,
          r.updatedAt,
        ]),
      ),
    ],
  });
}

/**
 * Stores leads' matched personas and the time they were matched. Leads whose persona changed get
 * their funnel summaries refreshed in the same transaction (funnel slices by persona). Returns the
 * ids of those leads.
 */
export async function setLeadPersonas(
  db: Database,
  rows: readonly { leadId: number; personaId: number | null }[],
  now: number,
): Promise<number[]> {
  if (rows.length === 0) return [];
  const payload = sqlJson(rows.map((r) => [r.leadId, r.personaId]));
  const changed = await db.$client.execute({
    sql: `SELECT l.id FROM leads l JOIN json_each(?) j ON l.id = j.value->>0
           WHERE l.persona_id IS NOT j.value->>1`,
    args: [payload],
  });
  await db.$client.execute({
    sql: `UPDATE leads SET persona_id = (SELECT j.value->>1 FROM json_each(?1) j WHERE j.value->>0 = leads.id),
            persona_matched_at = ?2
          WHERE id IN (SELECT value->>0 FROM json_each(?1))`,
    args: [payload, now],
  });
  const ids = rowsOf(changed).map((r) => Number(r.id));
  await refreshLeadSummaries(db, ids);
  return ids;
}

/** The stored nurture row of a lead (progress parsed), or null. */
export async function findLeadNurture(db: Database, leadId: number): Promise<Record<string, unknown> | null> {
  const result = await db.$client.execute({ sql: "SELECT * FROM lead_nurture WHERE lead_id = ?", args: [leadId] });
  const row = rowsOf(result)[0];
  return row ? { ...row, progress: parseJson(row.progress) } : null;
}

/** Deletes a lead's nurture row (erasure); returns the rows deleted. */
export async function deleteLeadNurture(db: Database, leadId: number): Promise<number> {
  return (await db.$client.execute({ sql: "DELETE FROM lead_nurture WHERE lead_id = ?", args: [leadId] })).rowsAffected;
}

/** One nurtured lead for the track report: its progress and its stage changes. */
export interface NurtureReportRow {
  leadId: number;
  progress: unknown;
  stageChanges: { to: string; at: number }[];
}

/** Every nurtured lead of a site with its progress and stage changes (for the track report). */
export async function nurtureReportRows(db: Database, siteId: number): Promise<NurtureReportRow[]> {
  const progress = await db.$client.execute({
    sql: `SELECT n.lead_id, n.progress FROM lead_nurture n JOIN leads l ON l.id = n.lead_id
           WHERE l.site_id = ? ORDER BY n.lead_id`,
    args: [siteId],
  });
  const byLead = new Map<number, NurtureReportRow>();
  for (const r of rowsOf(progress)) {
    byLead.set(Number(r.lead_id), { leadId: Number(r.lead_id), progress: parseJson(r.progress), stageChanges: [] });
  }
  const changes = await db.$client.execute({
    sql: `SELECT s.lead_id, s.to_stage, s.at FROM stage_changes s JOIN lead_nurture n ON n.lead_id = s.lead_id
           WHERE s.site_id = ? AND s.from_stage IS NOT s.to_stage ORDER BY s.lead_id, s.at`,
    args: [siteId],
  });
  for (const r of rowsOf(changes)) {
    byLead.get(Number(r.lead_id))?.stageChanges.push({ to: String(r.to_stage), at: Number(r.at) });
  }
  return [...byLead.values()];
}
