import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { apiKeys } from "./auth.ts";
import { sites } from "./sites.ts";

// Integrations: outbound webhooks (outbox + deliveries) and what a REST API key may do.

/** Events a webhook endpoint can subscribe to. */
export const WEBHOOK_EVENTS = [
  "lead.mql",
  "lead.assigned",
  "lead.stage_changed",
  "lead.erased",
  "lead.nurture_step_due",
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** Body formats: the signed JSON event, or a Slack incoming-webhook message (`text` + `blocks`, read by Teams too). */
export const WEBHOOK_FORMATS = ["json", "slack"] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

/** A receiver of signed webhooks. The secret signs (HMAC-SHA256), so it is stored as is. */
export const webhookEndpoints = sqliteTable(
  "webhook_endpoints",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    siteId: integer("site_id")
      .notNull()
      .references(() => sites.id),
    url: text("url").notNull(),
    secret: text("secret").notNull(),
    /** Subscribed event types. */
    events: text("events", { mode: "json" }).$type<WebhookEvent[]>().notNull(),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    format: text("format", { enum: WEBHOOK_FORMATS }).notNull().default("json"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("webhook_endpoints_site_idx").on(t.siteId)],
);

/**
 * Events to send, written in the same transaction as the change they announce (transactional
 * outbox): a committed MQL always gets its webhook, a rolled-back one never. The delivery worker
 * fans each row out to the subscribed endpoints and stamps `dispatched_at`.
 */
export const outbox = sqliteTable(
  "outbox",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    siteId: integer("site_id")
      .notNull()
      .references(() => sites.id),
    /** The lead the payload is about, so erasing the lead can delete it; null for `lead.erased`. */
    leadId: integer("lead_id"),
    eventType: text("event_type").notNull(),
    payload: text("payload").notNull(),
    createdAt: integer("created_at").notNull(),
    dispatchedAt: integer("dispatched_at"),
  },
  (t) => [
    // The worker looks only at rows not fanned out yet.
    index("outbox_pending_idx").on(t.id).where(sql`${t.dispatchedAt} IS NULL`),
    index("outbox_lead_idx").on(t.leadId),
  ],
);

/** One outbox event to one endpoint: its attempts and outcome (the delivery log in settings). */
export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    outboxId: integer("outbox_id")
      .notNull()
      .references(() => outbox.id, { onDelete: "cascade" }),
    endpointId: integer("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    eventType: text("event_type").notNull(),
    /** `pending` (will be tried at `next_attempt_at`), `delivered` or `failed` (attempts used up). */
    status: text("status", { enum: ["pending", "delivered", "failed"] })
      .notNull()
      .default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at").notNull(),
    responseCode: integer("response_code"),
    lastError: text("last_error"),
    createdAt: integer("created_at").notNull(),
    deliveredAt: integer("delivered_at"),
  },
  (t) => [
    // The worker picks due pending deliveries.
    index("webhook_deliveries_due_idx").on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    // The delivery log lists an endpoint's newest first.
    index("webhook_deliveries_endpoint_idx").on(t.endpointId, t.id),
    index("webhook_deliveries_outbox_idx").on(t.outboxId),
  ],
);

/** REST API scopes: read lists and leads; write changes stages; admin reads and replaces the scoring rules. */
export const API_SCOPES = ["read", "write", "admin"] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/**
 * What an API key (`api_keys`, owned by the dashboard's settings) may do: the one site it sees and
 * its scopes. A key without a grant is refused by the REST API.
 */
export const apiKeyGrants = sqliteTable("api_key_grants", {
  apiKeyId: integer("api_key_id")
    .primaryKey()
    .references(() => apiKeys.id, { onDelete: "cascade" }),
  siteId: integer("site_id")
    .notNull()
    .references(() => sites.id),
  scopes: text("scopes", { mode: "json" }).$type<ApiScope[]>().notNull(),
});

export type WebhookEndpoint = typeof webhookEndpoints.$inferSelect;
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;
export type OutboxRow = typeof outbox.$inferSelect;
