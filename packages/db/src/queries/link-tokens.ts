import type { Database } from "../client.ts";
import { rowsOf } from "./rows.ts";

/**
 * Marks a link token used (single use). True when this call used it; false when it was used
 * before. Expired uses are pruned on the way: a token is refused after its expiry anyway.
 */
export async function claimLinkToken(
  db: Database,
  use: { siteId: number; tokenId: string; expiresAt: number; now: number },
): Promise<boolean> {
  await db.$client.execute({ sql: "DELETE FROM link_token_uses WHERE expires_at < ?", args: [use.now] });
  const result = await db.$client.execute({
    sql: "INSERT INTO link_token_uses (site_id, token_id, expires_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
    args: [use.siteId, use.tokenId, use.expiresAt],
  });
  return result.rowsAffected === 1;
}

/** A stored scan (or tracked-link click) as the stitch moves and re-scores it. */
export interface ScanEvent {
  id: number;
  visitorId: string;
  leadId: number | null;
  type: string;
  name: string | null;
  path: string | null;
  url: string | null;
  props: Record<string, unknown> | null;
  campaign: Record<string, string> | null;
  receivedAt: number;
}

function json<T>(value: unknown): T | null {
  if (typeof value !== "string") return null;
  try {
    return JSON.parse(value) as T;
  } catch {
    return null;
  }
}

function toScan(r: Record<string, unknown>): ScanEvent {
  return {
    id: Number(r.id),
    visitorId: String(r.visitor_id),
    leadId: r.lead_id == null ? null : Number(r.lead_id),
    type: String(r.type),
    name: r.name == null ? null : String(r.name),
    path: r.path == null ? null : String(r.path),
    url: r.url == null ? null : String(r.url),
    props: json(r.props),
    campaign: json(r.campaign),
    receivedAt: Number(r.received_at),
  };
}

const SCAN_COLUMNS = "id, visitor_id, lead_id, type, name, path, url, props, campaign, received_at";

/** The `qr_scan` / `link_click` event of a site with this client id, or undefined. */
export async function findLinkEvent(db: Database, siteId: number, clientId: string): Promise<ScanEvent | undefined> {
  const row = rowsOf(
    await db.$client.execute({
      sql: `SELECT ${SCAN_COLUMNS} FROM events
             WHERE site_id = ? AND client_id = ? AND type IN ('qr_scan', 'link_click')`,
      args: [siteId, clientId],
    }),
  )[0];
  return row ? toScan(row) : undefined;
}

/** A visitor's stored events in id order (what its anonymous score is replayed from). */
export async function visitorEvents(db: Database, siteId: number, visitorId: string): Promise<ScanEvent[]> {
  const result = await db.$client.execute({
    sql: `SELECT ${SCAN_COLUMNS} FROM events WHERE site_id = ? AND visitor_id = ? ORDER BY id`,
    args: [siteId, visitorId],
  });
  return rowsOf(result).map(toScan);
}

/**
 * Hands one stored event to another browser (and its lead, if any) and deletes the ledger rows
 * it earned the browser it was recorded for: the write path scores it again for its new owner.
 */
export async function moveEventToVisitor(
  db: Database,
  event: { siteId: number; id: number; visitorId: string },
  to: { visitorId: string; leadId: number | null },
): Promise<void> {
  await db.$client.execute({
    sql: "UPDATE events SET visitor_id = ?, lead_id = ? WHERE id = ? AND site_id = ?",
    args: [to.visitorId, to.leadId, event.id, event.siteId],
  });
  await db.$client.execute({
    // By (site, visitor) first: the ledger's index; the event id picks the rows.
    sql: "DELETE FROM score_ledger WHERE site_id = ? AND visitor_id = ? AND event_id = ?",
    args: [event.siteId, event.visitorId, event.id],
  });
}
