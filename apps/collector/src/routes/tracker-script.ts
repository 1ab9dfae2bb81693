import type { Hono } from "hono";
import type { CollectDeps } from "../app.ts";

/** `GET /t.js`: the tracker, cacheable for an hour and revalidated by ETag. */
export function registerTrackerScript(app: Hono, deps: Pick<CollectDeps, "trackerScript">) {
  const etag = `"${fnv1a(deps.trackerScript)}"`;
  app.get("/t.js", (c) => {
    c.header("ETag", etag);
    c.header("Cache-Control", "public, max-age=3600");
    if (c.req.header("if-none-match") === etag) return c.body(null, 304);
    c.header("Content-Type", "text/javascript; charset=utf-8");
    return c.body(deps.trackerScript);
  });
}

/** A short, stable content hash (FNV-1a) for the ETag; not for security. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(36);
}
