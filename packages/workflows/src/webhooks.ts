import {
  type ClaimedDelivery,
  claimDueDeliveries,
  type Database,
  dispatchOutbox,
  recordDeliveryAttempt,
  skipUncontactableOutbox,
  withWriteTransaction,
} from "@leadtrail/db";
import { hmacSha256Hex as hmacHex } from "./hash.ts";
import { slackMessage } from "./slack.ts";

/** The signature header: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export const SIGNATURE_HEADER = "X-Leadtrail-Signature";

/** The signature header value for a body sent at `timestampSeconds`. */
export async function signWebhook(secret: string, timestampSeconds: number, body: string): Promise<string> {
  return `t=${timestampSeconds},v1=${await hmacHex(secret, `${timestampSeconds}.${body}`)}`;
}

/**
 * Checks a signature header the way a receiver should: the HMAC matches (constant-time compare)
 * and the timestamp is within `toleranceSeconds` of `nowSeconds`, so a captured request cannot be
 * replayed later.
 */
export async function verifyWebhookSignature(
  secret: string,
  header: string | null | undefined,
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): Promise<boolean> {
  if (!header) return false;
  const parts = new Map(header.split(",").map((p) => p.trim().split("=", 2) as [string, string]));
  const t = Number(parts.get("t"));
  const v1 = parts.get("v1");
  if (!Number.isInteger(t) || !v1 || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  const expected = await hmacHex(secret, `${t}.${body}`);
  if (expected.length !== v1.length) return false;
  let diff = 0;
  for (let i = 0; i < expected.length; i++) diff |= expected.charCodeAt(i) ^ v1.charCodeAt(i);
  return diff === 0;
}

/** Only plain http(s) URLs with a host and no credentials may receive webhooks. */
export function isAllowedWebhookUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return (u.protocol === "https:" || u.protocol === "http:") && u.hostname !== "" && !u.username && !u.password;
  } catch {
    return false;
  }
}

/**
 * Delay before retry number `attempt` (1 = after the first failure): `baseMs · 2^(attempt−1)`,
 * capped at `maxMs` — 30 s, 1 min, 2 min … with the defaults, so a receiver that is down for a
 * while is not hammered and one that blipped gets the event soon.
 */
export function retryDelay(attempt: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
}

export interface DeliveryOptions {
  now?: () => number;
  /** Injected for tests; the global fetch otherwise. */
  fetch?: typeof fetch;
  /** Attempts before a delivery is marked failed (default 8). */
  maxAttempts?: number;
  /** Per-request timeout (default 10 s). */
  timeoutMs?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Deliveries sent per run (default 20). */
  batchSize?: number;
  /** The dashboard's public origin: Slack-format messages link to the lead there. */
  dashboardUrl?: string;
}

/** What one delivery run did. */
export interface DeliveryRunResult {
  dispatched: number;
  attempted: number;
  delivered: number;
  failed: number;
}

/** Same-origin redirects are followed (at most this many); others are a failed attempt. */
const MAX_REDIRECTS = 3;

async function send(
  d: ClaimedDelivery,
  fetchFn: typeof fetch,
  timeoutMs: number,
  nowSeconds: number,
  dashboardUrl: string | undefined,
): Promise<{ code: number | null; error: string | null }> {
  if (!isAllowedWebhookUrl(d.url)) return { code: null, error: "only http(s) URLs receive webhooks" };
  // A Slack/Teams endpoint gets a chat message made from the event; it is signed all the same.
  const body = d.format === "slack" ? JSON.stringify(slackMessage(d.eventType, d.payload, dashboardUrl)) : d.payload;
  const headers = {
    "content-type": "application/json",
    "user-agent": "leadtrail-webhooks/1",
    [SIGNATURE_HEADER]: await signWebhook(d.secret, nowSeconds, body),
    "X-Leadtrail-Event": d.eventType,
    "X-Leadtrail-Delivery": String(d.id),
  };
  let url = d.url;
  try {
    for (let hop = 0; ; hop++) {
      const res = await fetchFn(url, {
        method: "POST",
        headers,
        body,
        redirect: "manual",
        signal: AbortSignal.timeout(timeoutMs),
      });
      await res.body?.cancel().catch(() => {});
      if (res.status < 300 || res.status >= 400) {
        return res.ok ? { code: res.status, error: null } : { code: res.status, error: `HTTP ${res.status}` };
      }
      const location = res.headers.get("location");
      const next = location ? new URL(location, url) : null;
      if (!next || next.host !== new URL(url).host || !isAllowedWebhookUrl(next.href) || hop >= MAX_REDIRECTS) {
        return { code: res.status, error: `redirect to ${next?.host ?? "nowhere"} not followed` };
      }
      url = next.href;
    }
  } catch (error) {
    const e = error as Error;
    return {
      code: null,
      error: e.name === "TimeoutError" ? `timed out after ${timeoutMs} ms` : e.message.slice(0, 300),
    };
  }
}

/**
 * One run of the webhook worker: fans new outbox rows out to subscribed endpoints, claims the due
 * deliveries (a lease, so a second collector does not send them too), sends each signed, and
 * records the outcome — delivered, retried later with exponential backoff, or failed after
 * `maxAttempts`. Database work happens in short transactions, never across an HTTP request.
 */
export async function deliverDueWebhooks(db: Database, options: DeliveryOptions = {}): Promise<DeliveryRunResult> {
  const now = options.now ?? Date.now;
  const fetchFn = options.fetch ?? fetch;
  const maxAttempts = options.maxAttempts ?? 8;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const baseMs = options.retryBaseMs ?? 30_000;
  const maxMs = options.retryMaxMs ?? 3_600_000;
  const result: DeliveryRunResult = { dispatched: 0, attempted: 0, delivered: 0, failed: 0 };

  // Cheap reads first: an idle worker takes no write lock.
  const pending = await db.$client.execute("SELECT 1 FROM outbox WHERE dispatched_at IS NULL LIMIT 1");
  if (pending.rows.length > 0) {
    result.dispatched = await withWriteTransaction(db, async (tx) => {
      // Cold leads without a legal basis never reach outbound tools (see isContactable).
      await skipUncontactableOutbox(tx, now());
      return dispatchOutbox(tx, now());
    });
  }
  const due = await db.$client.execute({
    sql: "SELECT 1 FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= ? LIMIT 1",
    args: [now()],
  });
  if (due.rows.length === 0) return result;
  const claimed = await withWriteTransaction(db, (tx) =>
    claimDueDeliveries(tx, now(), now() + timeoutMs * (MAX_REDIRECTS + 1) + 5_000, options.batchSize ?? 20),
  );
  // One endpoint's deliveries go one after another, in the order their events happened (delivery
  // ids follow the outbox): a receiver sees lead.mql before lead.assigned. Endpoints run in parallel.
  const byEndpoint = new Map<number, typeof claimed>();
  for (const d of [...claimed].sort((a, b) => a.id - b.id)) {
    byEndpoint.set(d.endpointId, [...(byEndpoint.get(d.endpointId) ?? []), d]);
  }
  await Promise.all(
    [...byEndpoint.values()].map(async (deliveries) => {
      for (const d of deliveries) await deliverOne(d);
    }),
  );
  return result;

  async function deliverOne(d: (typeof claimed)[number]): Promise<void> {
    const outcome = await send(d, fetchFn, timeoutMs, Math.floor(now() / 1000), options.dashboardUrl);
    const attempts = d.attempts + 1;
    const delivered = outcome.error === null;
    const failed = !delivered && attempts >= maxAttempts;
    result.attempted++;
    if (delivered) result.delivered++;
    if (failed) result.failed++;
    const at = now();
    await recordDeliveryAttempt(db, {
      id: d.id,
      status: delivered ? "delivered" : failed ? "failed" : "pending",
      attempts,
      nextAttemptAt: delivered || failed ? at : at + retryDelay(attempts, baseMs, maxMs),
      responseCode: outcome.code,
      lastError: outcome.error,
      deliveredAt: delivered ? at : null,
    });
  }
}
