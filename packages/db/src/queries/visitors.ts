import { and, desc, eq } from "drizzle-orm";
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
  // One index range per visitor (events_site_visitor_idx: site, visitor, received_at): each reads
  // only that visitor's newest events. A single query over all of them made the planner walk the
  // site's events newest-first instead (seconds at 10 M events).
  const perVisitor = await Promise.all(
    recent.map((v) =>
      db
        .select()
        .from(events)
        .where(and(eq(events.siteId, siteId), eq(events.visitorId, v.id)))
        .orderBy(desc(events.receivedAt), desc(events.id))
        .limit(eventsPerVisitor),
    ),
  );
  return recent.map((v, i) => ({ ...v, events: perVisitor[i] ?? [] }));
}
