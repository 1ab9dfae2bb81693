import type { Hono } from "hono";
import type { CollectDeps } from "../app.ts";
import { ApiError } from "../errors.ts";
import { classifyChannel, pathOf, referrerDomain } from "../ingest/enrich.ts";
import { submissionOf } from "../ingest/events-sink.ts";
import { parsePixel } from "../ingest/schema.ts";
import { hostOf, rateLimit } from "../ingest/submit.ts";
import { browserIdentifyMode, isAllowedHost } from "../site-access.ts";

/** The smallest transparent 1×1 GIF (43 bytes). */
export const PIXEL_GIF = Uint8Array.from(atob("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"), (ch) =>
  ch.charCodeAt(0),
);

/**
 * `GET /p.gif?site=KEY[&u=PAGE_URL][&n=NAME][&v=VISITOR][&id=EVENT_ID][&utm_*=…]`: a 1×1 pixel for
 * places where no script runs. With `u` it records a page view of that page (its host must be one
 * of the site's domains); without it a custom event named `n` (default "pixel"), e.g. an e-mail
 * open. `id` makes a reload count once. Answers the GIF only after the event is committed.
 */
export function registerPixel(app: Hono, deps: CollectDeps) {
  app.get("/p.gif", async (c) => {
    deps.metrics.requests++;
    const parsed = parsePixel(c.req.query());
    if (!parsed.ok) throw new ApiError("bad_request", parsed.reason);
    const q = parsed.value;
    const site = await deps.siteByKey(q.site);
    if (!site) throw new ApiError("unknown_site", "unknown site key");
    const referer = c.req.header("referer");
    for (const url of [q.u, referer]) {
      if (url !== undefined && !isAllowedHost(site, hostOf(url))) {
        throw new ApiError("forbidden_origin", "page is not among the site's domains");
      }
    }

    const userAgent = c.req.header("user-agent") ?? "";
    const ua = deps.userAgent(userAgent);
    if (ua.bot) {
      deps.metrics.botRequests++;
      deps.metrics.botEvents++;
      return gif();
    }
    const now = deps.now(c);
    const ip = deps.clientIp(c);
    rateLimit(deps.ipLimit, ip, 1, now);

    const campaign: Record<string, string> = {};
    for (const key of ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"] as const) {
      if (q[key]) campaign[key] = q[key];
    }
    const hasCampaign = Object.keys(campaign).length > 0;
    const refDomain = referrerDomain(referer, hostOf(q.u));
    const op = {
      kind: "events" as const,
      siteId: site.id,
      browserIdentify: browserIdentifyMode(site),
      source: {
        referrerDomain: refDomain ?? null,
        channel: classifyChannel({ referrerDomain: refDomain, utmMedium: campaign.utm_medium }),
        utmSource: campaign.utm_source ?? null,
        utmMedium: campaign.utm_medium ?? null,
        utmCampaign: campaign.utm_campaign ?? null,
        clickId: null,
        landingPath: pathOf(q.u) ?? null,
        browser: ua.browser,
        os: ua.os,
        device: ua.device,
        country: deps.country(c) ?? null,
      },
      events: [
        {
          clientId: q.id ?? `px_${crypto.randomUUID()}`,
          type: q.u ? "pageview" : "custom",
          name: q.u ? (q.n ?? null) : (q.n ?? "pixel"),
          url: q.u ?? null,
          path: pathOf(q.u) ?? null,
          campaign: hasCampaign ? campaign : null,
          clientTime: now,
          receivedAt: now,
        },
      ],
    };
    await deps.submitEvents(submissionOf(site, op, { visitorId: q.v, ip, userAgent, at: now }), 0);
    deps.metrics.pixels++;
    return gif();
  });
}

function gif(): Response {
  return new Response(PIXEL_GIF, {
    headers: { "Content-Type": "image/gif", "Cache-Control": "no-store, max-age=0", "Content-Length": "43" },
  });
}
