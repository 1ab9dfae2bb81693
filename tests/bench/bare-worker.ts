// The workerd baseline of the edge benchmark: a bare Hono handler that reads and parses the same
// POST body and does nothing else (the edge counterpart of bare-server.ts).
import { Hono } from "hono";

const app = new Hono();
app.post("/e", async (c) => {
  const body = JSON.parse(await c.req.text()) as { events: unknown[] };
  return c.json({ accepted: body.events.length, duplicates: 0 });
});
export default app;
