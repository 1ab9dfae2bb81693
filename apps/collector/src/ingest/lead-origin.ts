import {
  ACQUISITIONS,
  type AcquisitionKind,
  type Database,
  firstTouchCampaignId,
  LEGAL_BASES,
  type LegalBasisKind,
  recordLeadAcquisition,
  setLeadCampaign,
  type VisitorRow,
} from "@leadtrail/db";
import * as v from "valibot";
import { issueReason } from "../validation.ts";

// Where a lead came from, written in the ingest transaction that creates or identifies it: the
// campaign of its browser's first touch, and — from POST /v1/identify — how it was acquired
// (warm/cold) and the legal basis for contacting it.

/** How a lead was acquired and its legal basis, as a backend may state it on identify. */
export interface LeadOrigin {
  acquisition?: AcquisitionKind;
  legalBasis?: LegalBasisKind;
}

const originSchema = v.object({
  acquisition: v.optional(v.picklist(ACQUISITIONS, `acquisition must be one of ${ACQUISITIONS.join(", ")}`)),
  legalBasis: v.optional(v.picklist(LEGAL_BASES, `legalBasis must be one of ${LEGAL_BASES.join(", ")}`)),
});

/**
 * The `acquisition` and `legalBasis` fields of an identify body. Both are optional; an unknown
 * value is an error (a 400 naming the field), never silently "warm".
 */
export function parseLeadOrigin(body: unknown): { ok: true; value: LeadOrigin } | { ok: false; reason: string } {
  const result = v.safeParse(originSchema, body);
  if (result.success) return { ok: true, value: result.output };
  return { ok: false, reason: issueReason(result.issues, "body") };
}

/**
 * Sets a newly created lead's campaign from its browser's first campaign touch (stored events,
 * then the visitor's first-touch utm_campaign). Call right after the lead row is inserted, in the
 * same transaction; the visitor's events of this transaction are already stored.
 */
export async function attributeFirstTouch(
  db: Database,
  lead: { id: number; siteId: number },
  visitor: Pick<VisitorRow, "id" | "utmCampaign"> | null,
): Promise<void> {
  if (!visitor) return;
  const campaignId = await firstTouchCampaignId(db, lead.siteId, visitor.id, visitor.utmCampaign);
  if (campaignId !== null) await setLeadCampaign(db, lead.id, campaignId);
}

/** Records what a backend stated about a lead's origin (kept in its stage history, actor "api"). */
export async function recordLeadOrigin(db: Database, leadId: number, origin: LeadOrigin, at: number): Promise<void> {
  if (!origin.acquisition && !origin.legalBasis) return;
  await recordLeadAcquisition(db, { leadId, ...origin, actor: "api", at });
}
