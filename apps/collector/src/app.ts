import type { Database, Link, RefusalReason, Site } from "@leadtrail/db";
import { type Context, Hono } from "hono";
import { cors } from "hono/cors";
import { ApiError, errorResponse } from "./errors.ts";
import type { SubmitEvents } from "./ingest/events-sink.ts";
import type { GroupCommitWriter } from "./ingest/group-commit.ts";
import type { LinkTokens } from "./ingest/link-token.ts";
import type { RateLimiter } from "./ingest/rate-limit.ts";
import type { UserAgentInfo } from "./ingest/user-agent.ts";
import type { IngestOp, OpResult } from "./ingest/write-ops.ts";
import type { Metrics } from "./metrics.ts";
import { registerApi } from "./routes/api/index.ts";
import { registerDemo } from "./routes/demo.ts";
import { registerHealth } from "./routes/health.ts";
import { registerIdentify } from "./routes/identify.ts";
import { registerIngest } from "./routes/ingest.ts";
import { registerInternal } from "./routes/internal.ts";
import { registerMetrics } from "./routes/metrics.ts";
import { registerNextContent } from "./routes/next-content.ts";
import { registerPixel } from "./routes/pixel.ts";
import { registerRedirect } from "./routes/redirect.ts";
import { registerTrackerScript } from "./routes/tracker-script.ts";
import type { SiteAccess } from "./site-access.ts";

/**
 * What the collection routes (`/t.js`, `POST /e`, `/p.gif`) need: no database, so the edge worker
 * runs the same routes with its own implementations (sites from the origin, submissions to the
 * ingest buffer).
 */
export interface CollectDeps {
  siteByKey(key: string): Promise<SiteAccess | undefined>;
  trackerScript: string;
  /** Takes accepted events to a commit; resolves once they are stored. */
  submitEvents: SubmitEvents;
  /** The client's IP as the runtime sees it; used for hashing and rate limits, never stored. */
  clientIp(c: Context): string;
  /** ISO country code from a trusted edge header, when the deployment has one. */
  country(c: Context): string | undefined;
  /** Receive time of the request: the clock at the edge; the demo loader replays history through it. */
  now(c: Context): number;
  userAgent(ua: string): UserAgentInfo;
  /** Token bucket of requests per IP; undefined turns the limit off. */
  ipLimit: RateLimiter | undefined;
  metrics: Metrics;
  /** Notes refused requests of a site for the install check (throttled; never throws). */
  noteRefusal(siteId: number, host: string | undefined, reason: RefusalReason, now: number): void;
}

/** Everything the app needs from outside; each runtime's entry point builds it once. */
export interface AppDeps extends CollectDeps {
  db: Database;
  writer: GroupCommitWriter<IngestOp, OpResult>;
  siteByKey(key: string): Promise<Site | undefined>;
  linkByCode(code: string): Promise<Link | undefined>;
  demoSiteKey: string;
  /** Visitor id when the browser sent none (no consent): a hash that cannot be reversed to the IP. */
  anonymousVisitorId(siteId: number, ip: string, userAgent: string, now: number): Promise<string>;
  /** Token bucket of events per visitor; undefined turns the limit off. */
  visitorLimit: RateLimiter | undefined;
  /** Signs the `lt_s` token of a scan's redirect; the events sink checks it when the landing page sends it back. */
  linkTokens: LinkTokens;
  /** Shared secret of the edge's signed `/internal/*` requests; undefined turns them off. */
  edgeSecret: string | undefined;
}

/** The collector as a Hono app; web-standard APIs only, so it runs on Node and at the edge. */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  registerCollection(app, deps);
  registerRedirect(app, deps);
  registerIdentify(app, deps);
  registerNextContent(app, deps);
  registerApi(app, deps);
  registerInternal(app, deps);
  registerHealth(app, deps);
  registerMetrics(app, deps);
  registerDemo(app, deps);
  handleErrors(app, deps.metrics);
  return app;
}

/** The routes a browser's tracker talks to: the script, event batches and the pixel. */
export function registerCollection(app: Hono, deps: CollectDeps): void {
  // The tracker posts text/plain without credentials; answers may be read from any origin, and
  // the site's allowed domains are checked per request in the route. Never with credentials.
  app.use("/e", cors({ origin: "*", allowMethods: ["POST"], credentials: false, maxAge: 86_400 }));
  registerTrackerScript(app, deps);
  registerIngest(app, deps);
  registerPixel(app, deps);
}

/** One error shape for every route, and a count of refusals by code. */
export function handleErrors(app: Hono, metrics: Metrics): void {
  app.notFound((c) => errorResponse(c, new ApiError("not_found", "no such endpoint")));
  app.onError((error, c) => {
    const code = error instanceof ApiError ? error.code : "internal";
    metrics.rejected[code] = (metrics.rejected[code] ?? 0) + 1;
    return errorResponse(c, error);
  });
}
