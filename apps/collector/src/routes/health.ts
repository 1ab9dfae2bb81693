import type { Hono } from "hono";
import type { AppDeps } from "../app.ts";

/** `GET /healthz`: the process is alive and the database answers. */
export function registerHealth(app: Hono, deps: AppDeps) {
  app.get("/healthz", async (c) => {
    c.header("Cache-Control", "no-store");
    try {
      await deps.db.$client.execute("SELECT 1");
      return c.json({ status: "ok", database: "ok", queue: deps.writer.depth });
    } catch {
      return c.json({ status: "degraded", database: "unreachable" }, 503);
    }
  });
}
