import { nextContentForVisitor } from "@leadtrail/workflows";
import type { Hono } from "hono";
import * as v from "valibot";
import type { AppDeps } from "../app.ts";
import { ApiError } from "../errors.ts";
import { hostOf, rateLimit } from "../ingest/submit.ts";
import { isAllowedHost } from "../site-access.ts";
import { issueReason } from "../validation.ts";

/** Query parameters of `GET /v1/next-content`, capped like the tracker's (same visitor id rules as `/e`). */
const nextContentQuery = v.object({
  site: v.pipe(v.string(), v.minLength(1, "site is required"), v.maxLength(64)),
  visitor: v.optional(
    v.pipe(
      v.string(),
      v.minLength(8),
      v.maxLength(64),
      v.regex(/^[\w-]+$/, "visitor must be 8–64 letters, digits, '_' or '-'"),
    ),
  ),
});

/**
 * `GET /v1/next-content?site=KEY[&visitor=ID]`: what the site should recommend on the page — the
 * lead's next nurture step for an identified browser (recorded as offered on the "website" channel),
 * the persona default for an anonymous one (without `visitor`, the request's cookieless hash, the id
 * `/e` stored its events under). Answers `{ content: {key,title,href,kind} | null, reason }`. Readable
 * cross-origin from the site's own domains only, never with credentials.
 */
export function registerNextContent(app: Hono, deps: AppDeps) {
  app.get("/v1/next-content", async (c) => {
    deps.metrics.requests++;
    const parsed = v.safeParse(nextContentQuery, c.req.query());
    if (!parsed.success) throw new ApiError("bad_request", issueReason(parsed.issues, "query"));
    const site = await deps.siteByKey(parsed.output.site);
    if (!site) throw new ApiError("unknown_site", "unknown site key");
    const origin = c.req.header("origin");
    // A browser always sends Origin on a cross-origin fetch; only the site's own pages may read the
    // answer (it can name what a known person should read next).
    if (origin !== undefined && !isAllowedHost(site, hostOf(origin))) {
      throw new ApiError("forbidden_origin", "origin is not among the site's domains");
    }
    const now = deps.now(c);
    const ip = deps.clientIp(c);
    rateLimit(deps.ipLimit, ip, 1, now);
    const visitorId =
      parsed.output.visitor ?? (await deps.anonymousVisitorId(site.id, ip, c.req.header("user-agent") ?? "", now));
    const answer = await nextContentForVisitor(deps.db, site.id, visitorId, now);
    if (origin !== undefined) {
      c.header("Access-Control-Allow-Origin", origin);
      c.header("Vary", "Origin");
    }
    // Personal (a lead's next step) and changing with every page the visitor reads.
    c.header("Cache-Control", "private, no-store");
    return c.json(answer);
  });
}
