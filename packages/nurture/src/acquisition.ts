/**
 * Warm and cold acquisition (the article's Warmakquise / Kaltakquise) and the legal basis for
 * contacting a lead. A cold lead with no recorded basis must not reach outbound tools: it is flagged,
 * and kept out of exports and outbound webhooks until someone records a basis.
 */
import type { Stage } from "@leadtrail/scoring";

/**
 * Legal bases that can be recorded for contacting a lead (GDPR Art. 6) — the same list as the
 * `leads.legal_basis` column (@leadtrail/db `LEGAL_BASES`); no basis is null there, never a value.
 */
export const LEGAL_BASES = ["consent", "legitimate_interest", "contract"] as const;
export type LegalBasis = (typeof LEGAL_BASES)[number];
/** The basis a contact decision names: a recorded one, or "none" when none is recorded. */
export type ContactBasis = LegalBasis | "none";

/**
 * How a lead was acquired. Warm sources are an existing relationship or the lead's own initiative;
 * cold sources are the company's outreach to people who never asked.
 */
export const WARM_SOURCES = [
  "website",
  "form",
  "qr_scan",
  "tracked_link",
  "event",
  "referral",
  "partner",
  "customer",
  "inbound_call",
] as const;
export const COLD_SOURCES = ["purchased_list", "outbound", "scraped", "cold_import"] as const;
export type AcquisitionSource = (typeof WARM_SOURCES)[number] | (typeof COLD_SOURCES)[number] | "unknown";
export type Acquisition = "warm" | "cold";

/** What the contact rules need to know about a lead. */
export interface ContactSubject {
  /** Where the lead came from; absent or unknown counts as cold (see `acquisitionOf`). */
  source?: AcquisitionSource | string | null;
  /** A person's explicit classification; it wins over the source. */
  acquisition?: Acquisition | null;
  legalBasis?: ContactBasis | null;
  /** The lead objected or unsubscribed: never contact, whatever the basis. */
  optedOut?: boolean;
  /** A customer (Closed Won) has a relationship whatever the first source was. */
  stage?: Stage;
}

const WARM = new Set<string>(WARM_SOURCES);

/**
 * Warm or cold. A recorded classification wins; a customer is warm; otherwise the source decides:
 * listed warm sources are warm, everything else — cold sources and an unknown or missing source —
 * is cold, because treating a lead of unknown origin as cold is the choice that cannot contact
 * someone without a basis.
 */
export function acquisitionOf(lead: ContactSubject): Acquisition {
  if (lead.acquisition === "warm" || lead.acquisition === "cold") return lead.acquisition;
  if (lead.stage === "won") return "warm";
  const source = lead.source?.trim().toLowerCase();
  return source !== undefined && WARM.has(source) ? "warm" : "cold";
}

/** Why a lead may or may not be contacted. */
export type ContactReason = "opted_out" | "legal_basis" | "warm_inbound" | "cold_without_basis";

export interface ContactDecision {
  allowed: boolean;
  acquisition: Acquisition;
  basis: ContactBasis;
  reason: ContactReason;
}

/**
 * Whether the lead may be contacted: never after an opt-out; always with a recorded basis; a warm
 * lead without one may be (it came to the company itself); a cold lead without one may not.
 */
export function mayContact(lead: ContactSubject): ContactDecision {
  const acquisition = acquisitionOf(lead);
  const basis: ContactBasis = lead.legalBasis ?? "none";
  if (lead.optedOut === true) return { allowed: false, acquisition, basis, reason: "opted_out" };
  if (basis !== "none") return { allowed: true, acquisition, basis, reason: "legal_basis" };
  if (acquisition === "warm") return { allowed: true, acquisition, basis, reason: "warm_inbound" };
  return { allowed: false, acquisition, basis, reason: "cold_without_basis" };
}

/** Whether the lead may go into exports and webhooks to outbound tools (e-mail, CRM sequences). */
export function outboundExportAllowed(lead: ContactSubject): boolean {
  return mayContact(lead).allowed;
}

/** The flag the dashboard shows on a lead, or null: a cold lead without a basis, or an opt-out. */
export function contactFlag(lead: ContactSubject): "cold_without_basis" | "opted_out" | null {
  const decision = mayContact(lead);
  return decision.allowed ? null : (decision.reason as "cold_without_basis" | "opted_out");
}
