import type { Database } from "../client.ts";
import { parseJson, sqlJson } from "../json-text.ts";

// Privacy: everything stored about one lead (export), deleting it (erase), and the tombstones
// that keep an erased person from coming back.

/** Which of `hashes` are tombstoned for this site and kind. */
export async function findTombstones(
  db: Database,
  siteId: number,
  kind: "email" | "visitor",
  hashes: readonly string[],
): Promise<Set<string>> {
  if (hashes.length === 0) return new Set();
  const result = await db.$client.execute({
    sql: `SELECT hash FROM privacy_tombstones
          WHERE site_id = ? AND kind = ? AND hash IN (SELECT value FROM json_each(?))`,
    args: [siteId, kind, sqlJson(hashes)],
  });
  return new Set((result.rows as Record<string, unknown>[]).map((r) => String(r.hash)));
}

/** The site's tombstone key, or undefined before its first erase (so nothing of it is tombstoned yet). */
export async function findTombstoneKey(db: Database, siteId: number): Promise<string | undefined> {
  const result = await db.$client.execute({
    sql: "SELECT secret FROM tombstone_keys WHERE site_id = ?",
    args: [siteId],
  });
  const row = result.rows[0] as { secret?: string } | undefined;
  return row?.secret === undefined ? undefined : String(row.secret);
}

/**
 * The site's tombstone key, stored from `candidate` on first use. Call inside a write transaction:
 * two first erases at once then agree on one key (the later insert is ignored and reads the first).
 */
export async function ensureTombstoneKey(
  db: Database,
  siteId: number,
  candidate: string,
  now: number,
): Promise<string> {
  await db.$client.execute({
    sql: "INSERT INTO tombstone_keys (site_id, secret, created_at) VALUES (?, ?, ?) ON CONFLICT (site_id) DO NOTHING",
    args: [siteId, candidate, now],
  });
  return (await findTombstoneKey(db, siteId)) ?? candidate;
}

/** Stores tombstones (a repeated one is kept once). */
export async function insertTombstones(
  db: Database,
  rows: readonly { siteId: number; kind: "email" | "visitor"; hash: string; createdAt: number }[],
): Promise<void> {
  if (rows.length === 0) return;
  await db.$client.execute({
    sql: `INSERT INTO privacy_tombstones (site_id, kind, hash, created_at)
          SELECT value->>0, value->>1, value->>2, value->>3 FROM json_each(?) WHERE true
          ON CONFLICT (site_id, kind, hash) DO NOTHING`,
    args: [sqlJson(rows.map((r) => [r.siteId, r.kind, r.hash, r.createdAt]))],
  });
}

/** Every row stored about a lead, table by table, as plain JSON objects (JSON columns parsed). */
export interface LeadRecords {
  lead: Record<string, unknown>;
  company: Record<string, unknown> | null;
  visitors: Record<string, unknown>[];
  events: Record<string, unknown>[];
  ledger: Record<string, unknown>[];
  stageChanges: Record<string, unknown>[];
  assignments: Record<string, unknown>[];
  slaMisses: Record<string, unknown>[];
  notifications: Record<string, unknown>[];
  outbox: Record<string, unknown>[];
  contentTouches: Record<string, unknown>[];
}

const JSON_COLUMNS = new Set(["traits", "score_state", "props", "campaign", "candidates", "decision", "payload"]);

function plain(rows: unknown[]): Record<string, unknown>[] {
  return (rows as Record<string, unknown>[]).map((r) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(r)) out[k] = JSON_COLUMNS.has(k) ? parseJson(v) : v;
    return out;
  });
}

/** The visitor ids attached to a lead. */
export async function leadVisitorIds(db: Database, leadId: number): Promise<string[]> {
  const result = await db.$client.execute({
    sql: "SELECT id FROM visitors WHERE lead_id = ? ORDER BY id",
    args: [leadId],
  });
  return (result.rows as Record<string, unknown>[]).map((r) => String(r.id));
}

/** Reads everything stored about a lead; undefined when there is no such lead. */
export async function collectLeadRecords(db: Database, leadId: number): Promise<LeadRecords | undefined> {
  const lead = plain((await db.$client.execute({ sql: "SELECT * FROM leads WHERE id = ?", args: [leadId] })).rows)[0];
  if (!lead) return undefined;
  const siteId = Number(lead.site_id);
  const visitorIds = sqlJson(await leadVisitorIds(db, leadId));
  const q = async (sql: string, args: (string | number)[]) => plain((await db.$client.execute({ sql, args })).rows);
  const ofVisitors = "site_id = ? AND visitor_id IN (SELECT value FROM json_each(?))";
  return {
    lead,
    company:
      lead.company_id == null
        ? null
        : ((await q("SELECT * FROM companies WHERE id = ?", [Number(lead.company_id)]))[0] ?? null),
    visitors: await q("SELECT * FROM visitors WHERE lead_id = ? ORDER BY first_seen_at", [leadId]),
    events: await q(`SELECT * FROM events WHERE lead_id = ? OR (${ofVisitors}) ORDER BY received_at, id`, [
      leadId,
      siteId,
      visitorIds,
    ]),
    ledger: await q(`SELECT * FROM score_ledger WHERE lead_id = ? OR (${ofVisitors}) ORDER BY at, id`, [
      leadId,
      siteId,
      visitorIds,
    ]),
    stageChanges: await q("SELECT * FROM stage_changes WHERE lead_id = ? ORDER BY at, id", [leadId]),
    assignments: await q("SELECT * FROM lead_assignments WHERE lead_id = ? ORDER BY at, id", [leadId]),
    slaMisses: await q("SELECT * FROM sla_misses WHERE lead_id = ? ORDER BY id", [leadId]),
    notifications: await q("SELECT * FROM notifications WHERE lead_id = ? ORDER BY id", [leadId]),
    outbox: await q("SELECT * FROM outbox WHERE lead_id = ? ORDER BY id", [leadId]),
    contentTouches: await q(`SELECT * FROM content_touches WHERE ${ofVisitors} ORDER BY first_at`, [
      siteId,
      visitorIds,
    ]),
  };
}

/**
 * Deletes a lead and every row that refers to it or to its visitors: events (with their props),
 * ledger, stage changes, assignments, SLA misses, notifications, outbox rows (their deliveries go
 * with them), content touches, visitors, the lead, and its company when nobody else belongs to it.
 * Daily rollups are aggregates without personal data and stay. Returns rows deleted per table.
 */
export async function deleteLeadRecords(
  db: Database,
  leadId: number,
  siteId: number,
  visitorIds: readonly string[],
): Promise<Record<string, number>> {
  const ids = sqlJson(visitorIds);
  const ofVisitors = "site_id = ? AND visitor_id IN (SELECT value FROM json_each(?))";
  const counts: Record<string, number> = {};
  const run = async (table: string, sql: string, args: (string | number)[]) => {
    counts[table] = (counts[table] ?? 0) + (await db.$client.execute({ sql, args })).rowsAffected;
  };
  const company = await db.$client.execute({ sql: "SELECT company_id FROM leads WHERE id = ?", args: [leadId] });
  const companyId = (company.rows[0] as { company_id?: number | null } | undefined)?.company_id ?? null;
  await run("events", `DELETE FROM events WHERE lead_id = ? OR (${ofVisitors})`, [leadId, siteId, ids]);
  await run("score_ledger", `DELETE FROM score_ledger WHERE lead_id = ? OR (${ofVisitors})`, [leadId, siteId, ids]);
  await run("content_touches", `DELETE FROM content_touches WHERE ${ofVisitors}`, [siteId, ids]);
  await run("stage_changes", "DELETE FROM stage_changes WHERE lead_id = ?", [leadId]);
  await run("sla_misses", "DELETE FROM sla_misses WHERE lead_id = ?", [leadId]);
  await run("lead_assignments", "DELETE FROM lead_assignments WHERE lead_id = ?", [leadId]);
  await run("notifications", "DELETE FROM notifications WHERE lead_id = ?", [leadId]);
  await run("mail_outbox", "DELETE FROM mail_outbox WHERE lead_id = ?", [leadId]);
  await run("outbox", "DELETE FROM outbox WHERE lead_id = ?", [leadId]);
  await run(
    "visitors",
    `DELETE FROM visitors WHERE lead_id = ? OR (site_id = ? AND id IN (SELECT value FROM json_each(?)))`,
    [leadId, siteId, ids],
  );
  await run("leads", "DELETE FROM leads WHERE id = ?", [leadId]);
  if (companyId != null) {
    await run(
      "companies",
      "DELETE FROM companies WHERE id = ? AND NOT EXISTS (SELECT 1 FROM leads WHERE company_id = ?)",
      [Number(companyId), Number(companyId)],
    );
  }
  return counts;
}
