import {
  collectLeadRecords,
  type Database,
  deleteLeadRecords,
  findTombstones,
  insertOutbox,
  insertTombstones,
  type LeadRecords,
  leadVisitorIds,
  withWriteTransaction,
} from "@leadtrail/db";
import { tombstoneHash } from "./hash.ts";
import { webhookBody } from "./payloads.ts";

/** Everything stored about a lead, as JSON (the "export my data" answer). */
export interface LeadExport extends LeadRecords {
  exportedAt: number;
  format: "leadtrail.lead-export.v1";
}

/** Reads everything stored about a lead; undefined when there is no such lead (or it is on another site). */
export async function exportLead(
  db: Database,
  leadId: number,
  options: { siteId?: number; now?: number } = {},
): Promise<LeadExport | undefined> {
  const records = await collectLeadRecords(db.$client, leadId);
  if (!records || (options.siteId !== undefined && Number(records.lead.site_id) !== options.siteId)) return undefined;
  return { format: "leadtrail.lead-export.v1", exportedAt: options.now ?? Date.now(), ...records };
}

/** What an erase removed. */
export interface EraseResult {
  leadId: number;
  siteId: number;
  /** Rows deleted per table. */
  deleted: Record<string, number>;
  tombstones: number;
}

/**
 * Erases a lead: deletes it and every row that refers to it or its visitors, in one write
 * transaction, and leaves tombstones (hashes of site + e-mail and site + visitor id, no personal
 * data) so the collector refuses a later identify with that e-mail and drops later events of those
 * browsers. Emits `lead.erased` with ids only. Undefined when there is no such lead.
 */
export async function eraseLead(
  db: Database,
  leadId: number,
  options: { siteId?: number; now?: number; actor?: string } = {},
): Promise<EraseResult | undefined> {
  const now = options.now ?? Date.now();
  return withWriteTransaction(db.$client, async (tx) => {
    const found = await tx.execute({ sql: "SELECT site_id, email FROM leads WHERE id = ?", args: [leadId] });
    const row = found.rows[0] as { site_id?: number; email?: string } | undefined;
    if (!row || (options.siteId !== undefined && Number(row.site_id) !== options.siteId)) return undefined;
    const siteId = Number(row.site_id);
    const visitorIds = await leadVisitorIds(tx, leadId);
    const tombstones = [
      { siteId, kind: "email" as const, hash: await tombstoneHash(siteId, "email", String(row.email)), createdAt: now },
      ...(await Promise.all(
        visitorIds.map(async (id) => ({
          siteId,
          kind: "visitor" as const,
          hash: await tombstoneHash(siteId, "visitor", id),
          createdAt: now,
        })),
      )),
    ];
    const deleted = await deleteLeadRecords(tx, leadId, siteId, visitorIds);
    await insertTombstones(tx, tombstones);
    await insertOutbox(tx, [
      {
        siteId,
        // Not tied to the lead: this row must outlive it and carries no personal data.
        leadId: null,
        eventType: "lead.erased",
        payload: webhookBody("lead.erased", now, { leadId, siteId, actor: options.actor ?? null }),
        createdAt: now,
      },
    ]);
    return { leadId, siteId, deleted, tombstones: tombstones.length };
  });
}

/** Which of these visitor ids of a site belong to erased people. */
export async function erasedVisitorIds(
  tx: Parameters<typeof findTombstones>[0],
  siteId: number,
  visitorIds: readonly string[],
): Promise<Set<string>> {
  if (visitorIds.length === 0) return new Set();
  const hashes = await Promise.all(visitorIds.map((id) => tombstoneHash(siteId, "visitor", id)));
  const found = await findTombstones(tx, siteId, "visitor", hashes);
  return new Set(visitorIds.filter((_, i) => found.has(hashes[i] as string)));
}

/** Whether this e-mail of a site belongs to an erased person. */
export async function isErasedEmail(
  tx: Parameters<typeof findTombstones>[0],
  siteId: number,
  email: string,
): Promise<boolean> {
  const hash = await tombstoneHash(siteId, "email", email);
  return (await findTombstones(tx, siteId, "email", [hash])).size > 0;
}
