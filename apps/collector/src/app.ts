import type { Database, IngestGroup, IngestGroupResult } from "@leadtrail/db";
import { type Context, Hono } from "hono";
import { cors } from "hono/cors";
import { ApiError, errorResponse } from "./errors.ts";
import type { GroupCommitWriter } from "./ingest/group-commit.ts";
import { registerDemo } from "./routes/demo.ts";
import { registerHealth } from "./routes/health.ts";
import { registerIngest } from "./routes/ingest.ts";
import { registerTrackerScript } from "./routes/tracker-script.ts";
import type { createSiteCache } from "./sites.ts";

/** Everything the app needs from outside; each runtime's entry point builds it once. */
export interface AppDeps {
  db: Database;
  writer: GroupCommitWriter<IngestGroup, IngestGroupResult>;
  siteByKey: ReturnType<typeof createSiteCache>;
  trackerScript: string;
  demoSiteKey: string;
  /** Visitor id when the browser sent none (no consent): a hash that cannot be reversed to the IP. */
  anonymousVisitorId(siteId: number, ip: string, userAgent: string, now: number): Promise<string>;
  /** The client's IP as the runtime sees it; used for hashing and rate limits, never stored. */
  clientIp(c: Context): string;
  /** Receive time of the request: the clock at the edge; the demo loader replays history through it. */
  now(c: Context): number;
}

/** The collector as a Hono app; web-standard APIs only, so it runs on Node and at the edge. */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  // The tracker posts text/plain without credentials; answers may be read from any origin,
  // and the site's allowed domains are checked per request in the ingest route.
  app.use("/e", cors({ origin: "*", allowMethods: ["POST"], credentials: false }));
  registerTrackerScript(app, deps);
  registerIngest(app, deps);
  registerHealth(app, deps);
  registerDemo(app, deps);
  app.notFound((c) => errorResponse(c, new ApiError("not_found", "no such endpoint")));
  app.onError((error, c) => errorResponse(c, error));
  return app;
}
