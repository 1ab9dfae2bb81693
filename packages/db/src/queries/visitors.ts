import { and, desc, eq, inArray } from "drizzle-orm";
import type { Database } from "../client.ts";
import { type Event, events } from "../schema/events.ts";
import { type Visitor, visitors } from "../schema/visitors.ts";

export interface VisitorWithEvents extends Visitor {
  events: Event[];
}

/** The most recently active visitors of a site with their latest events (newest first). */
export async function recentVisitors(
  db: Database,
  siteId: number,
  { limit = 25, eventsPerVisitor = 20 } = {},
): Promise<VisitorWithEvents[]> {
  const recent = await db
    .select()
    .from(visitors)
    .where(eq(visitors.siteId, siteId))
    .orderBy(desc(visitors.lastSeenAt))
    .limit(limit);
  if (recent.length === 0) return [];
  const rows = await db
    .select()
    .from(events)
    .where(
      and(
        eq(events.siteId, siteId),
        inArray(
          events.visitorId,
          recent.map((v) => v.id),
        ),
      ),
    )
    .orderBy(desc(events.receivedAt), desc(events.id))
    .limit(limit * eventsPerVisitor * 4);
  const byVisitor = new Map<string, Event[]>();
  for (const row of rows) {
    const list = byVisitor.get(row.visitorId) ?? [];
    if (list.length < eventsPerVisitor) list.push(row);
    byVisitor.set(row.visitorId, list);
  }
  return recent.map((v) => ({ ...v, events: byVisitor.get(v.id) ?? [] }));
}
