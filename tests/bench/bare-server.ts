// The baseline for the ingest benchmark: a bare Hono handler on the same Node server adapter that
// reads and parses the same POST body and does nothing else.
import { serve } from "@hono/node-server";
import { Hono } from "hono";

const app = new Hono();
app.post("/e", async (c) => {
  const body = JSON.parse(await c.req.text()) as { events: unknown[] };
  return c.json({ accepted: body.events.length, duplicates: 0 });
});
serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: "127.0.0.1" }, () => console.log("ready"));
