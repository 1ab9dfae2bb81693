import type { Database } from "../../client.ts";
import { selectRows } from "./filters.ts";

/** A site as the settings page shows it, with its install check. */
export interface SiteStatus {
  id: number;
  publicKey: string;
  name: string;
  domains: string[];
  /** IANA time zone whose days the site's rollups count. */
  timeZone: string;
  createdAt: number;
  /** Time of the first stored event, or null while the snippet has not reported in. */
  firstEventAt: number | null;
}

/**
 * Every site with its install state. A site counts as installed once it has stored an event,
 * whether or not the collector has stamped `first_event_at` yet (one indexed probe per site).
 */
export async function listSiteStatus(db: Database): Promise<SiteStatus[]> {
  const rows = await selectRows<Omit<SiteStatus, "domains"> & { domains: string }>(
    db,
    `SELECT s.id, s.public_key AS publicKey, s.name, s.domains, s.time_zone AS timeZone, s.created_at AS createdAt,
            coalesce(s.first_event_at,
                     (SELECT min(received_at) FROM (SELECT received_at FROM events e
                       WHERE e.site_id = s.id ORDER BY received_at LIMIT 1))) AS firstEventAt
       FROM sites s ORDER BY s.id`,
    [],
  );
  return rows.map((r) => ({ ...r, domains: parseList(r.domains) }));
}

function parseList(json: string): string[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
}

/** Replaces a site's allowed domains and name; false when the site does not exist. */
export async function updateSite(
  db: Database,
  id: number,
  change: { name: string; domains: string[] },
): Promise<boolean> {
  const result = await db.$client.execute({
    sql: "UPDATE sites SET name = ?, domains = ? WHERE id = ?",
    args: [change.name, JSON.stringify(change.domains), id],
  });
  return result.rowsAffected > 0;
}

/** A lead as the sales list shows it. */
export interface LeadListRow {
  id: number;
  email: string;
  name: string | null;
  stage: string;
  engagementScore: number;
  fitScore: number;
  ownerId: number | null;
  lastActivityAt: number | null;
}

const LEAD_COLUMNS = `id, email, name, stage, engagement_score AS engagementScore, fit_score AS fitScore,
  owner_id AS ownerId, last_activity_at AS lastActivityAt`;

/**
 * Leads a user may see, hottest first: a sales rep sees their own and the unassigned pool,
 * admins and marketers every lead of the site.
 */
export async function listVisibleLeads(
  db: Database,
  siteId: number,
  viewer: { id: number; role: string },
  limit = 100,
): Promise<LeadListRow[]> {
  if (viewer.role === "sales") {
    return selectRows<LeadListRow>(
      db,
      `SELECT ${LEAD_COLUMNS} FROM leads WHERE site_id = ? AND (owner_id = ? OR owner_id IS NULL)
        ORDER BY engagement_sort_key DESC LIMIT ?`,
      [siteId, viewer.id, limit],
    );
  }
  return selectRows<LeadListRow>(
    db,
    `SELECT ${LEAD_COLUMNS} FROM leads WHERE site_id = ? ORDER BY engagement_sort_key DESC LIMIT ?`,
    [siteId, limit],
  );
}

/** One lead if the viewer may see it (same rule as the list), otherwise undefined. */
export async function findVisibleLead(
  db: Database,
  leadId: number,
  viewer: { id: number; role: string },
): Promise<(LeadListRow & { siteId: number }) | undefined> {
  const rows = await selectRows<LeadListRow & { siteId: number }>(
    db,
    `SELECT ${LEAD_COLUMNS}, site_id AS siteId FROM leads WHERE id = ?
        AND (? <> 'sales' OR owner_id = ? OR owner_id IS NULL)`,
    [leadId, viewer.role, viewer.id],
  );
  return rows[0];
}
