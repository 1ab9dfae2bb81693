import { type ApiLeadRow, type Database, findApiLeadRow } from "@leadtrail/db";

/** Events the outbox carries (webhooks subscribe to these). */
export type LeadEventType =
  | "lead.mql"
  | "lead.assigned"
  | "lead.stage_changed"
  | "lead.erased"
  | "lead.nurture_step_due";

/** The lead as webhooks describe it: who it is, where it stands, who owns it. */
export interface LeadSummary {
  id: number;
  email: string;
  name: string | null;
  role: string | null;
  stage: string;
  ownerId: number | null;
  company: { id: number; name: string | null; domain: string | null } | null;
}

/** The lead part of a webhook payload. */
export function leadSummary(row: ApiLeadRow): LeadSummary {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    stage: row.stage,
    ownerId: row.ownerId,
    company: row.companyId === null ? null : { id: row.companyId, name: row.companyName, domain: row.companyDomain },
  };
}

/** Reads the lead summary inside the transaction that announces it. */
export async function loadLeadSummary(db: Database, leadId: number): Promise<LeadSummary | undefined> {
  const row = await findApiLeadRow(db, leadId);
  return row ? leadSummary(row) : undefined;
}

/** The body of a webhook: `{ type, createdAt, data }`. */
export function webhookBody(type: LeadEventType, createdAt: number, data: Record<string, unknown>) {
  return { type, createdAt, data };
}
