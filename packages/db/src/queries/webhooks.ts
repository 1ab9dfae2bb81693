import type { Database } from "../client.ts";
import { parseJson, sqlJson } from "../json-text.ts";

/** An event to announce, written in the transaction of the change it describes. */
export interface NewOutboxRow {
  siteId: number;
  /** The lead it is about (erasing the lead deletes the row); null for payloads without lead data. */
  leadId: number | null;
  eventType: string;
  payload: unknown;
  createdAt: number;
}

/** Writes outbox rows in one statement. */
export async function insertOutbox(db: Database, rows: readonly NewOutboxRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db.$client.execute({
    sql: `INSERT INTO outbox (site_id, lead_id, event_type, payload, created_at)
          SELECT value->>0, value->>1, value->>2, value->>3, value->>4 FROM json_each(?)`,
    args: [sqlJson(rows.map((r) => [r.siteId, r.leadId, r.eventType, sqlJson(r.payload), r.createdAt]))],
  });
}

/**
 * Fans new outbox rows out to the active endpoints of their site subscribed to their event type
 * (one pending delivery each, due now) and stamps them dispatched. Returns how many deliveries
 * were created. Run it in a write transaction so two workers never fan out the same row twice.
 */
export async function dispatchOutbox(db: Database, now: number, limit = 500): Promise<number> {
  const pending = await db.$client.execute({
    sql: "SELECT id FROM outbox WHERE dispatched_at IS NULL ORDER BY id LIMIT ?",
    args: [limit],
  });
  const ids = (pending.rows as Record<string, unknown>[]).map((r) => Number(r.id));
  if (ids.length === 0) return 0;
  const inserted = await db.$client.execute({
    sql: `INSERT INTO webhook_deliveries (outbox_id, endpoint_id, event_type, next_attempt_at, created_at)
          SELECT o.id, e.id, o.event_type, ?, ? FROM outbox o
          JOIN webhook_endpoints e ON e.site_id = o.site_id AND e.active = 1
            AND EXISTS (SELECT 1 FROM json_each(e.events) WHERE value = o.event_type)
          WHERE o.id IN (SELECT value FROM json_each(?)) ORDER BY o.id, e.id`,
    args: [now, now, sqlJson(ids)],
  });
  await db.$client.execute({
    sql: "UPDATE outbox SET dispatched_at = ? WHERE id IN (SELECT value FROM json_each(?))",
    args: [now, sqlJson(ids)],
  });
  return inserted.rowsAffected;
}

/** A delivery claimed for sending, with what it needs. */
export interface ClaimedDelivery {
  id: number;
  outboxId: number;
  endpointId: number;
  eventType: string;
  attempts: number;
  url: string;
  secret: string;
  /** `json` (the stored body, signed) or `slack` (a chat message made from it). */
  format: string;
  /** The JSON body to send, exactly as stored. */
  payload: string;
}

/**
 * Claims up to `limit` due pending deliveries by pushing their `next_attempt_at` to `leaseUntil`:
 * another worker (a second collector) does not pick them up while this one is sending, and a
 * worker that dies mid-send leaves them to be retried after the lease.
 */
export async function claimDueDeliveries(
  db: Database,
  now: number,
  leaseUntil: number,
  limit = 20,
): Promise<ClaimedDelivery[]> {
  const result = await db.$client.execute({
    sql: `UPDATE webhook_deliveries SET next_attempt_at = ?
          WHERE id IN (SELECT id FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= ?
                       ORDER BY next_attempt_at, id LIMIT ?)
          RETURNING id, outbox_id, endpoint_id, event_type, attempts,
            (SELECT url FROM webhook_endpoints e WHERE e.id = endpoint_id) AS url,
            (SELECT secret FROM webhook_endpoints e WHERE e.id = endpoint_id) AS secret,
            (SELECT format FROM webhook_endpoints e WHERE e.id = endpoint_id) AS format,
            (SELECT payload FROM outbox o WHERE o.id = outbox_id) AS payload`,
    args: [leaseUntil, now, limit],
  });
  return (result.rows as Record<string, unknown>[])
    .map((r) => ({
      id: Number(r.id),
      outboxId: Number(r.outbox_id),
      endpointId: Number(r.endpoint_id),
      eventType: String(r.event_type),
      attempts: Number(r.attempts),
      url: String(r.url),
      secret: String(r.secret),
      format: String(r.format ?? "json"),
      payload: String(r.payload),
    }))
    .sort((a, b) => a.id - b.id);
}

/** The outcome of one attempt. */
export interface DeliveryAttempt {
  id: number;
  status: "pending" | "delivered" | "failed";
  attempts: number;
  nextAttemptAt: number;
  responseCode: number | null;
  lastError: string | null;
  deliveredAt: number | null;
}

/** Records an attempt: delivered, failed for good, or pending again at `nextAttemptAt`. */
export async function recordDeliveryAttempt(db: Database, a: DeliveryAttempt): Promise<void> {
  await db.$client.execute({
    sql: `UPDATE webhook_deliveries SET status = ?, attempts = ?, next_attempt_at = ?, response_code = ?,
            last_error = ?, delivered_at = ? WHERE id = ?`,
    args: [a.status, a.attempts, a.nextAttemptAt, a.responseCode, a.lastError, a.deliveredAt, a.id],
  });
}

/** A row of the delivery log. */
export interface DeliveryLogRow {
  id: number;
  endpointId: number;
  url: string;
  eventType: string;
  status: string;
  attempts: number;
  nextAttemptAt: number;
  responseCode: number | null;
  lastError: string | null;
  createdAt: number;
  deliveredAt: number | null;
}

/** The delivery log of a site (optionally one endpoint), newest first. */
export async function listWebhookDeliveries(
  db: Database,
  options: { siteId: number; endpointId?: number; limit?: number },
): Promise<DeliveryLogRow[]> {
  const result = await db.$client.execute({
    sql: `SELECT d.*, e.url FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
          WHERE e.site_id = ? AND (? IS NULL OR d.endpoint_id = ?) ORDER BY d.id DESC LIMIT ?`,
    args: [options.siteId, options.endpointId ?? null, options.endpointId ?? null, options.limit ?? 100],
  });
  return (result.rows as Record<string, unknown>[]).map((r) => ({
    id: Number(r.id),
    endpointId: Number(r.endpoint_id),
    url: String(r.url),
    eventType: String(r.event_type),
    status: String(r.status),
    attempts: Number(r.attempts),
    nextAttemptAt: Number(r.next_attempt_at),
    responseCode: r.response_code == null ? null : Number(r.response_code),
    lastError: (r.last_error as string | null) ?? null,
    createdAt: Number(r.created_at),
    deliveredAt: r.delivered_at == null ? null : Number(r.delivered_at),
  }));
}

/** A webhook endpoint as settings list it. */
export interface WebhookEndpointRow {
  id: number;
  siteId: number;
  url: string;
  secret: string;
  events: string[];
  active: boolean;
  format: string;
  createdAt: number;
}

/** Adds an endpoint (the URL must already be validated: http(s) only). Returns its id. */
export async function createWebhookEndpoint(
  db: Database,
  e: { siteId: number; url: string; secret: string; events: readonly string[]; active?: boolean; format?: string },
  now = Date.now(),
): Promise<number> {
  const result = await db.$client.execute({
    sql: `INSERT INTO webhook_endpoints (site_id, url, secret, events, active, format, created_at)
          VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    args: [e.siteId, e.url, e.secret, sqlJson(e.events), e.active === false ? 0 : 1, e.format ?? "json", now],
  });
  return Number((result.rows[0] as unknown as { id: number }).id);
}

/** A site's endpoints. */
export async function listWebhookEndpoints(db: Database, siteId: number): Promise<WebhookEndpointRow[]> {
  const result = await db.$client.execute({
    sql: "SELECT * FROM webhook_endpoints WHERE site_id = ? ORDER BY id",
    args: [siteId],
  });
  return (result.rows as Record<string, unknown>[]).map((r) => ({
    id: Number(r.id),
    siteId: Number(r.site_id),
    url: String(r.url),
    secret: String(r.secret),
    events: (parseJson(r.events) as string[] | null) ?? [],
    active: Boolean(r.active),
    format: String(r.format ?? "json"),
    createdAt: Number(r.created_at),
  }));
}

/**
 * What a REST API key may be granted: `read` lists and reads leads, `write` changes stages, `admin`
 * reads and replaces the site's scoring rules (`GET`/`PUT /v1/scoring`).
 */
export const API_KEY_SCOPES = ["read", "write", "admin"] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** What a REST API key may do: its site and scopes; undefined when the key has no grant. */
export async function findApiKeyGrant(
  db: Database,
  apiKeyId: number,
): Promise<{ siteId: number; scopes: string[] } | undefined> {
  const result = await db.$client.execute({
    sql: "SELECT site_id, scopes FROM api_key_grants WHERE api_key_id = ?",
    args: [apiKeyId],
  });
  const row = result.rows[0] as Record<string, unknown> | undefined;
  return row ? { siteId: Number(row.site_id), scopes: (parseJson(row.scopes) as string[] | null) ?? [] } : undefined;
}

/** Grants an API key access to one site with scopes (replacing an earlier grant). */
export async function grantApiKey(
  db: Database,
  grant: { apiKeyId: number; siteId: number; scopes: readonly string[] },
): Promise<void> {
  await db.$client.execute({
    sql: `INSERT INTO api_key_grants (api_key_id, site_id, scopes) VALUES (?, ?, ?)
          ON CONFLICT (api_key_id) DO UPDATE SET site_id = excluded.site_id, scopes = excluded.scopes`,
    args: [grant.apiKeyId, grant.siteId, sqlJson(grant.scopes)],
  });
}

/** Every API key's grant by key id (keys without one are left out). */
export async function listApiKeyGrants(db: Database): Promise<Map<number, { siteId: number; scopes: string[] }>> {
  const result = await db.$client.execute("SELECT api_key_id, site_id, scopes FROM api_key_grants");
  return new Map(
    (result.rows as Record<string, unknown>[]).map((r) => [
      Number(r.api_key_id),
      { siteId: Number(r.site_id), scopes: (parseJson(r.scopes) as string[] | null) ?? [] },
    ]),
  );
}

/**
 * Stores an API key (by the hash of its secret) together with its site grant, in the caller's write
 * transaction: a key is never usable half-made, nor made without saying what it may do. Returns its id.
 */
export async function createGrantedApiKey(
  db: Database,
  key: {
    name: string;
    prefix: string;
    keyHash: string;
    createdBy: number | null;
    siteId: number;
    scopes: readonly string[];
    createdAt: number;
  },
): Promise<number> {
  const result = await db.$client.execute({
    sql: "INSERT INTO api_keys (name, prefix, key_hash, created_by, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
    args: [key.name, key.prefix, key.keyHash, key.createdBy, key.createdAt],
  });
  const id = Number((result.rows[0] as unknown as { id: number }).id);
  await grantApiKey(db, { apiKeyId: id, siteId: key.siteId, scopes: key.scopes });
  return id;
}
