import { type Context, Hono } from "hono";
import { type CollectDeps, handleErrors, registerCollection } from "../app.ts";
import { RateLimiter } from "../ingest/rate-limit.ts";
import { createUserAgentParser } from "../ingest/user-agent.ts";
import { createMetrics } from "../metrics.ts";
import type { EdgeConfig, EdgeEnv } from "./env.ts";
import { ingestBufferSink } from "./ingest-buffer.ts";
import { createOriginSites, originFetch, originUnavailable } from "./origin.ts";
import { createEdgeRefusals } from "./refusals.ts";

/** What workerd / Cloudflare put on a request: `cf.country` where the edge knows it. */
type EdgeRequest = Request & { cf?: { country?: unknown } };

/**
 * The collector at the edge: the same collection routes as the Node app (`GET /t.js`, `POST /e`,
 * `GET /p.gif`), with sites from the origin, per-isolate IP limits, enrichment from `request.cf`
 * and accepted events sent through the site's ingest buffer to the origin. `GET /r/:code` (it needs
 * the links table) and the demo site (`/demo/…`) are proxied to the origin.
 */
export function createEdgeApp(config: EdgeConfig, env: EdgeEnv, trackerScript: string): Hono {
  const metrics = createMetrics();
  const ipHeader = config.CLIENT_IP_HEADER;
  const clientIp = (c: Context) => c.req.header(ipHeader)?.split(",")[0]?.trim() || "unknown";
  const refusals = createEdgeRefusals(async (report) => {
    const response = await originFetch(config, "POST", "/internal/refusals", JSON.stringify(report));
    await response.body?.cancel();
  });
  const deps: CollectDeps = {
    siteByKey: createOriginSites(config),
    trackerScript,
    submitEvents: ingestBufferSink(env.INGEST_BUFFER),
    clientIp,
    country,
    now: () => Date.now(),
    userAgent: createUserAgentParser(),
    ipLimit: config.RATE_LIMIT_IP ? new RateLimiter(config.RATE_LIMIT_IP) : undefined,
    metrics,
    // Counted here, reported to the origin's install check by the middleware below.
    noteRefusal: refusals.note,
  };
  const app = new Hono();
  // Refusals go to the origin after the browser's answer, kept alive by waitUntil: a browser never
  // waits for the report, and the report belongs to a request, as workerd wants of any I/O.
  app.use(async function reportRefusals(c, next) {
    await next();
    for (const report of refusals.due(Date.now())) c.executionCtx.waitUntil(report);
  });
  registerCollection(app, deps);
  // Tracked links need the links table, and the demo site lives on the origin: both are proxied,
  // with the visitor's IP and country passed on for the origin's hash and enrichment.
  const proxy = async (c: Context) => {
    const url = new URL(c.req.url);
    const headers = new Headers({ "x-forwarded-for": clientIp(c) });
    for (const name of ["user-agent", "referer", "accept-language", "if-none-match"]) {
      const value = c.req.header(name);
      if (value) headers.set(name, value);
    }
    const visitorCountry = country(c);
    if (visitorCountry) headers.set("cf-ipcountry", visitorCountry);
    try {
      return await fetch(`${config.ORIGIN_URL}${url.pathname}${url.search}`, {
        headers,
        redirect: "manual",
        signal: AbortSignal.timeout(config.ORIGIN_TIMEOUT_MS),
      });
    } catch {
      throw originUnavailable();
    }
  };
  app.get("/r/:code", proxy);
  app.get("/demo", proxy);
  app.get("/demo/*", proxy);
  app.get("/healthz", (c) => {
    c.header("Cache-Control", "no-store");
    return c.json({ status: "ok", edge: true });
  });
  app.get("/metrics", (c) => {
    c.header("Cache-Control", "no-store");
    return c.json(metrics);
  });
  handleErrors(app, metrics);
  return app;
}

/** The visitor's country from `request.cf` or Cloudflare's header; "XX"/"T1" (unknown, Tor) are dropped. */
function country(c: Context): string | undefined {
  const cf = (c.req.raw as EdgeRequest).cf?.country;
  const value = (typeof cf === "string" ? cf : c.req.header("cf-ipcountry"))?.trim().toUpperCase();
  return value && /^[A-Z]{2}$/.test(value) && value !== "XX" && value !== "T1" ? value : undefined;
}
