import type { Database } from "../client.ts";
import { sqlJson } from "../json-text.ts";
import { type ACQUISITIONS, LEGAL_BASES } from "../schema/leads.ts";
import { insertLeadNote } from "./dashboard/sales.ts";

// Warm and cold acquisition (Warmakquise / Kaltakquise) and the legal basis for contacting a
// lead. A cold lead without a recorded basis stays out of exports and outbound webhooks.

export type AcquisitionKind = (typeof ACQUISITIONS)[number];
export type LegalBasisKind = (typeof LEGAL_BASES)[number];

/** How a lead was acquired and the basis recorded for contacting it (null: none recorded). */
export interface LeadContactFacts {
  id: number;
  acquisition: AcquisitionKind;
  legalBasis: LegalBasisKind | null;
  legalBasisAt: number | null;
}

/** The acquisition facts of the given leads (missing ids are left out). */
export async function leadContactFacts(db: Database, ids: readonly number[]): Promise<LeadContactFacts[]> {
  if (ids.length === 0) return [];
  const result = await db.$client.execute({
    sql: `SELECT id, acquisition, legal_basis, legal_basis_at FROM leads
           WHERE id IN (SELECT value FROM json_each(?))`,
    args: [sqlJson(ids)],
  });
  return (result.rows as Record<string, unknown>[]).map((r) => ({
    id: Number(r.id),
    acquisition: r.acquisition === "cold" ? "cold" : "warm",
    legalBasis: LEGAL_BASES.includes(r.legal_basis as LegalBasisKind) ? (r.legal_basis as LegalBasisKind) : null,
    legalBasisAt: r.legal_basis_at == null ? null : Number(r.legal_basis_at),
  }));
}

/**
 * Records how a lead was acquired and/or the legal basis for contacting it, in the caller's write
 * transaction. A change of either is kept in the lead's stage history as a note (same stage,
 * the actor, "acquisition: cold" / "legal basis: consent"), the one audited history of a lead.
 * Returns false when there is no such lead.
 */
export async function recordLeadAcquisition(
  db: Database,
  input: {
    leadId: number;
    acquisition?: AcquisitionKind;
    /** A basis to record; null withdraws the recorded one (e.g. consent revoked); absent keeps it. */
    legalBasis?: LegalBasisKind | null;
    actor: string;
    at: number;
  },
): Promise<boolean> {
  const found = await db.$client.execute({
    sql: "SELECT acquisition, legal_basis FROM leads WHERE id = ?",
    args: [input.leadId],
  });
  const row = found.rows[0] as { acquisition?: string; legal_basis?: string | null } | undefined;
  if (!row) return false;
  const notes: string[] = [];
  if (input.acquisition && input.acquisition !== row.acquisition) {
    await db.$client.execute({
      sql: "UPDATE leads SET acquisition = ? WHERE id = ?",
      args: [input.acquisition, input.leadId],
    });
    notes.push(`acquisition: ${input.acquisition}`);
  }
  if (input.legalBasis !== undefined && input.legalBasis !== (row.legal_basis ?? null)) {
    await db.$client.execute({
      sql: "UPDATE leads SET legal_basis = ?, legal_basis_at = ? WHERE id = ?",
      args: [input.legalBasis, input.legalBasis === null ? null : input.at, input.leadId],
    });
    notes.push(`legal basis: ${input.legalBasis ?? "none"}`);
  }
  if (notes.length > 0) {
    await insertLeadNote(db, { leadId: input.leadId, actor: input.actor, text: notes.join("; "), at: input.at });
  }
  return true;
}

/**
 * Marks pending outbox rows about cold leads without a legal basis as dispatched without
 * creating deliveries: outbound tools never receive them (the SQL form of @leadtrail/workflows
 * `isContactable`). Rows enqueued after a basis is recorded go out as usual. Run it in the
 * dispatch transaction, right before the fan-out. Returns how many rows were skipped.
 */
export async function skipUncontactableOutbox(db: Database, now: number): Promise<number> {
  const result = await db.$client.execute({
    sql: `UPDATE outbox SET dispatched_at = ?
           WHERE dispatched_at IS NULL AND EXISTS (SELECT 1 FROM leads l
             WHERE l.id = outbox.lead_id AND l.acquisition = 'cold' AND l.legal_basis IS NULL)`,
    args: [now],
  });
  return result.rowsAffected;
}
