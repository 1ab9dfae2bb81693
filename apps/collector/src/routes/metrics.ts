import type { Hono } from "hono";
import type { AppDeps } from "../app.ts";
import { prometheusText } from "../metrics.ts";

/** `GET /metrics`: the collector's counters as JSON, or Prometheus text with `?format=prometheus`. */
export function registerMetrics(app: Hono, deps: AppDeps) {
  app.get("/metrics", (c) => {
    c.header("Cache-Control", "no-store");
    if (c.req.query("format") === "prometheus") {
      c.header("Content-Type", "text/plain; version=0.0.4");
      return c.body(prometheusText(deps.metrics, deps.writer.depth));
    }
    return c.json({ ...deps.metrics, queueDepth: deps.writer.depth });
  });
}
