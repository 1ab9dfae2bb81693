// Edge entry point (workerd / Cloudflare Workers): the collection routes in front of the origin
// collector. Bundled by scripts/build.mjs into dist/edge/worker.js; see the README's "At the edge".
import { trackerScript } from "@leadtrail/tracker/script";
import type { Hono } from "hono";
import { createEdgeApp } from "./app.ts";
import { type EdgeEnv, loadEdgeConfig } from "./env.ts";

export { IngestBuffer } from "./ingest-buffer.ts";

// One app per isolate, built on the first request (bindings arrive with requests, not at load).
let app: Hono | undefined;

export default {
  fetch(request: Request, env: EdgeEnv, ctx: unknown): Response | Promise<Response> {
    app ??= createEdgeApp(loadEdgeConfig(env), env, trackerScript);
    return app.fetch(request, env, ctx as never);
  },
};
