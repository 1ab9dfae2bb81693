import type { Hono } from "hono";
import type { AppDeps } from "../app.ts";
import { demoSite } from "../demo/pages.ts";

/** `GET /demo/*`: the demo company's website with the snippet embedded. */
export function registerDemo(app: Hono, deps: AppDeps) {
  const pages = demoSite(deps.demoSiteKey);
  app.get("/demo", (c) => c.redirect("/demo/"));
  app.get("/demo/*", (c) => {
    const path = c.req.path.slice("/demo".length) || "/";
    const asset = pages.get(path) ?? pages.get(path.replace(/\/$/, ""));
    if (!asset) return c.text("Not found", 404);
    c.header("Content-Type", asset.contentType);
    return c.body(asset.body);
  });
}
