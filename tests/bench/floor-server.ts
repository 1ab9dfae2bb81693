// The storage floor of the ingest benchmark: the bare handler plus the least a collector must do
// before its 2xx: put the event into the same group commit and insert its row into the real
// `events` table (all its indexes, duplicate ids skipped) in one write transaction per group. No
// validation, enrichment, visitor state, scoring or rollups. What this server does per second is
// the ceiling for ANY collector on this stack (Hono on Node, libSQL embedded, one core), so the
// benchmark prints it next to the bare handler and the collector.
import { serve } from "@hono/node-server";
import { GroupCommitWriter } from "@leadtrail/collector";
import { createDb, type EventRow, insertEvents, withWriteTransaction } from "@leadtrail/db";
import { Hono } from "hono";

interface Batch {
  visitor: string;
  events: { id: string; type: string; url?: string }[];
}

const db = await createDb({ url: process.env.DATABASE_URL as string });
const siteId = Number(process.env.SITE_ID);
const writer = new GroupCommitWriter<EventRow[], number>(async (groups) => {
  const inserted = await withWriteTransaction(db, (tx) => insertEvents(tx, groups.flat()));
  return groups.map((rows) => rows.filter((r) => inserted.has(`${r.siteId}|${r.clientId}`)).length);
});

const app = new Hono();
app.post("/e", async (c) => {
  const body = JSON.parse(await c.req.text()) as Batch;
  const receivedAt = Date.now();
  const rows = body.events.map(
    (e): EventRow => ({
      siteId,
      clientId: e.id,
      visitorId: body.visitor,
      leadId: null,
      type: e.type,
      url: e.url,
      receivedAt,
    }),
  );
  const accepted = await writer.submit(rows);
  return c.json({ accepted, duplicates: rows.length - accepted });
});
serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: "127.0.0.1" }, () => console.log("ready"));
