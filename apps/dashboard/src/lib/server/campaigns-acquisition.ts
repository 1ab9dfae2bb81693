import {
  ACQUISITIONS,
  type Database,
  LEGAL_BASES,
  type LeadContactFacts,
  leadContactFacts,
  recordLeadAcquisition,
  withWriteTransaction,
} from "@leadtrail/db";
import { isContactable } from "@leadtrail/workflows";
import { fail } from "@sveltejs/kit";

// Warm/cold acquisition and the legal basis on the dashboard: the lead page records them, lead
// lists flag cold leads without a basis, and CSV exports leave those leads out.

/** The acquisition facts of one lead with whether outbound tools may receive it. */
export async function leadAcquisition(db: Database, leadId: number) {
  const [facts] = await leadContactFacts(db, [leadId]);
  return facts ? { ...facts, contactable: isContactable(facts) } : null;
}

/** Ids among `ids` of cold leads without a legal basis: flagged in lists, left out of exports. */
export async function uncontactableLeadIds(db: Database, ids: readonly number[]): Promise<number[]> {
  const facts: LeadContactFacts[] = await leadContactFacts(db, ids);
  return facts.filter((f) => !isContactable(f)).map((f) => f.id);
}

/**
 * The lead page's "record acquisition / legal basis" action for a lead the user may see: warm or
 * cold, and a basis from the list or none (withdrawing a recorded one, e.g. revoked consent). A
 * change is kept in the stage history as a note by the user. A value outside the lists is a 400
 * and changes nothing.
 */
export async function recordAcquisitionAction(
  db: Database,
  request: Request,
  leadId: number,
  userId: number,
  now = Date.now(),
) {
  const form = await request.formData();
  const acquisition = String(form.get("acquisition") ?? "");
  const basis = String(form.get("legalBasis") ?? "");
  const validAcquisition = (ACQUISITIONS as readonly string[]).includes(acquisition);
  const validBasis = basis === "" || (LEGAL_BASES as readonly string[]).includes(basis);
  if (!validAcquisition || !validBasis) return fail(400, { error: "acq.badInput" as const });
  await withWriteTransaction(db, (tx) =>
    recordLeadAcquisition(tx, {
      leadId,
      acquisition: acquisition as (typeof ACQUISITIONS)[number],
      legalBasis: basis === "" ? null : (basis as (typeof LEGAL_BASES)[number]),
      actor: `user:${userId}`,
      at: now,
    }),
  );
  return { done: "acquisition" as const };
}
