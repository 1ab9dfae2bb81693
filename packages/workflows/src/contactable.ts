import type { Lead } from "@leadtrail/db";

/**
 * Whether a lead may be handed to outbound tools (CSV exports, webhooks): warm leads always; cold
 * leads (Kaltakquise) only once a legal basis for contacting them is recorded.
 */
export function isContactable(lead: Pick<Lead, "acquisition" | "legalBasis">): boolean {
  return lead.acquisition !== "cold" || lead.legalBasis !== null;
}
