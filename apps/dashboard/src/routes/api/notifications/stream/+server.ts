import { countUnreadNotifications, latestNotificationId, listNotifications } from "@leadtrail/db";
import { requireRole } from "$lib/server/access.ts";
import { parseId } from "$lib/server/input.ts";
import type { RequestHandler } from "./$types";

/** How often the stream looks for new rows: notifications are written by other processes. */
const POLL_MS = 1000;
/** A comment line now and then keeps proxies from closing an idle stream. */
const KEEPALIVE_MS = 15_000;

/**
 * Server-sent events: the user's new notifications (`event: notification`, id = row id, so a
 * reconnecting EventSource resumes after `Last-Event-ID`) and the unread count (`event: unread`).
 */
export const GET: RequestHandler = async ({ locals, request }) => {
  const user = requireRole(locals, "admin", "marketer", "sales");
  const db = locals.db;
  // A fresh connection (or a Last-Event-ID that is not a row id) starts at the newest row: older
  // ones are on the page already.
  const afterId = parseId(request.headers.get("last-event-id")) ?? (await latestNotificationId(db, user.id));
  const encoder = new TextEncoder();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  let cursor = afterId;
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (text: string) => {
        if (!closed) controller.enqueue(encoder.encode(text));
      };
      let lastUnread = -1;
      let lastWrite = Date.now();
      const tick = async () => {
        if (closed) return;
        try {
          const rows = await listNotifications(db, user, { afterId: cursor, limit: 50 });
          for (const row of rows) {
            cursor = row.id;
            send(`id: ${row.id}\nevent: notification\ndata: ${JSON.stringify(row)}\n\n`);
          }
          const unread = await countUnreadNotifications(db, user);
          if (unread !== lastUnread || rows.length > 0) {
            lastUnread = unread;
            send(`event: unread\ndata: ${unread}\n\n`);
            lastWrite = Date.now();
          } else if (Date.now() - lastWrite > KEEPALIVE_MS) {
            send(": keepalive\n\n");
            lastWrite = Date.now();
          }
        } catch {
          // A busy database is retried on the next tick; the stream stays open.
        }
        if (!closed) timer = setTimeout(tick, POLL_MS);
      };
      send("retry: 3000\n\n");
      await tick();
    },
    cancel() {
      closed = true;
      clearTimeout(timer);
    },
  });
  request.signal.addEventListener("abort", () => {
    closed = true;
    clearTimeout(timer);
  });
  return new Response(stream, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store",
      "x-accel-buffering": "no",
    },
  });
};
