import {
  collectLeadRecords,
  type Database,
  deleteLeadNurture,
  deleteLeadRecords,
  ensureTombstoneKey,
  findLeadNurture,
  findTombstoneKey,
  findTombstones,
  insertOutbox,
  insertTombstones,
  type LeadRecords,
  leadVisitorIds,
  refreshLeadSummaries,
  withWriteTransaction,
} from "@leadtrail/db";
import { legacyTombstoneHash, randomSecretHex, tombstoneHash } from "./hash.ts";
import { webhookBody } from "./payloads.ts";

/** Everything stored about a lead, as JSON (the "export my data" answer). */
export interface LeadExport extends LeadRecords {
  /** The lead's nurture progress and next step (lead_nurture), null when it was never nurtured. */
  nurture: Record<string, unknown> | null;
  exportedAt: number;
  format: "leadtrail.lead-export.v1";
}

/** Reads everything stored about a lead; undefined when there is no such lead (or it is on another site). */
export async function exportLead(
  db: Database,
  leadId: number,
  options: { siteId?: number; now?: number } = {},
): Promise<LeadExport | undefined> {
  const records = await collectLeadRecords(db, leadId);
  if (!records || (options.siteId !== undefined && Number(records.lead.site_id) !== options.siteId)) return undefined;
  const nurture = await findLeadNurture(db, leadId);
  return { format: "leadtrail.lead-export.v1", exportedAt: options.now ?? Date.now(), ...records, nurture };
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
  return withWriteTransaction(db, async (tx) => {
    const found = await tx.$client.execute({ sql: "SELECT site_id, email FROM leads WHERE id = ?", args: [leadId] });
    const row = found.rows[0] as { site_id?: number; email?: string } | undefined;
    if (!row || (options.siteId !== undefined && Number(row.site_id) !== options.siteId)) return undefined;
    const siteId = Number(row.site_id);
    const visitorIds = await leadVisitorIds(tx, leadId);
    const key = await ensureTombstoneKey(tx, siteId, randomSecretHex(), now);
    const tombstones = [
      {
        siteId,
        kind: "email" as const,
        hash: await tombstoneHash(key, siteId, "email", String(row.email)),
        createdAt: now,
      },
      ...(await Promise.all(
        visitorIds.map(async (id) => ({
          siteId,
          kind: "visitor" as const,
          hash: await tombstoneHash(key, siteId, "visitor", id),
          createdAt: now,
        })),
      )),
    ];
    // The nurture row refers to the lead, so it goes before the lead does.
    const nurtureRows = await deleteLeadNurture(tx, leadId);
    const deleted = { ...(await deleteLeadRecords(tx, leadId, siteId, visitorIds)), lead_nurture: nurtureRows };
    // The lead is gone: refreshing it takes its funnel and content-pipeline contributions back.
    await refreshLeadSummaries(tx, [leadId]);
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
  return tombstonedValues(tx, siteId, "visitor", visitorIds);
}

/**
 * Which of `values` have a tombstone: by the keyed hash when the site has a key, and by the plain
 * SHA-256 that erases wrote before keys existed. One query for all of them.
 */
/** Which of these e-mails were erased on the site (an import does not bring them back). */
export async function erasedEmails(
  tx: Parameters<typeof findTombstones>[0],
  siteId: number,
  emails: readonly string[],
): Promise<Set<string>> {
  return tombstonedValues(tx, siteId, "email", emails);
}

async function tombstonedValues(
  tx: Parameters<typeof findTombstones>[0],
  siteId: number,
  kind: "email" | "visitor",
  values: readonly string[],
): Promise<Set<string>> {
  if (values.length === 0) return new Set();
  // No key yet: this site has not erased anyone since keys came, so only plain hashes can exist.
  const key = await findTombstoneKey(tx, siteId);
  const hashed = await Promise.all(
    values.map(async (value) => ({
      value,
      hashes: [
        await legacyTombstoneHash(siteId, kind, value),
        ...(key === undefined ? [] : [await tombstoneHash(key, siteId, kind, value)]),
      ],
    })),
  );
  const found = await findTombstones(
    tx,
    siteId,
    kind,
    hashed.flatMap((h) => h.hashes),
  );
  return new Set(hashed.filter((h) => h.hashes.some((x) => found.has(x))).map((h) => h.value));
}

/** Whether this e-mail of a site belongs to an erased person. */
export async function isErasedEmail(
  tx: Parameters<typeof findTombstones>[0],
  siteId: number,
  email: string,
): Promise<boolean> {
  return (await tombstonedValues(tx, siteId, "email", [email])).size > 0;
}
