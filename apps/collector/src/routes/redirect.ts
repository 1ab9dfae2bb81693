import type { Link } from "@leadtrail/db";
import type { Hono } from "hono";
import type { AppDeps } from "../app.ts";
import { ApiError } from "../errors.ts";
import { classifyChannel, pathOf, referrerDomain } from "../ingest/enrich.ts";
import { LINK_TOKEN_PARAM, LINK_TOKEN_TTL_MS } from "../ingest/link-token.ts";
import { validVisitorId } from "../ingest/schema.ts";
import { hostOf, rateLimit, submitOp } from "../ingest/submit.ts";

/**
 * `GET /r/:code[?v=VISITOR]`: a tracked link or QR code. Records a `qr_scan` (QR codes) or
 * `link_click` event named by the code, with the link's campaign, for the visitor (the `v`
 * parameter when the sender knows it, else the cookieless daily hash), then redirects (302) to the
 * target with the link's UTM parameters added, so the landing page attributes the visit too.
 * Without `v`, the target also gets a signed, short-lived `lt_s` token with which the landing
 * page's tracker claims the scan for its own visitor (ingest/link-token.ts).
 * Bots are redirected without recording; a full queue still redirects (the person must get there).
 */
export function registerRedirect(app: Hono, deps: AppDeps) {
  app.get("/r/:code", async (c) => {
    deps.metrics.requests++;
    const code = c.req.param("code");
    const link = code.length <= 128 ? await deps.linkByCode(code) : undefined;
    if (!link) throw new ApiError("not_found", "unknown link code");
    const target = targetUrl(link, c.req.url);

    const userAgent = c.req.header("user-agent") ?? "";
    const ua = deps.userAgent(userAgent);
    if (ua.bot) {
      deps.metrics.botRequests++;
      deps.metrics.botEvents++;
      return c.redirect(target, 302);
    }
    const now = deps.now(c);
    const ip = deps.clientIp(c);
    rateLimit(deps.ipLimit, ip, 1, now);
    const knownVisitor = validVisitorId(c.req.query("v"));
    const visitorId = knownVisitor ?? (await deps.anonymousVisitorId(link.siteId, ip, userAgent, now));
    const clientId = `r_${crypto.randomUUID()}`;
    let landing = target;
    const utm = link.utm;
    const referer = c.req.header("referer");
    const refDomain = referrerDomain(referer, hostOf(target));
    try {
      rateLimit(deps.visitorLimit, `${link.siteId}|${visitorId}`, 1, now);
      await submitOp(deps.writer, {
        kind: "events",
        siteId: link.siteId,
        visitorId,
        browserIdentify: "off",
        source: {
          referrerDomain: refDomain ?? null,
          channel:
            link.kind === "qr" ? "qr" : classifyChannel({ referrerDomain: refDomain, utmMedium: utm.utm_medium }),
          utmSource: utm.utm_source ?? null,
          utmMedium: utm.utm_medium ?? null,
          utmCampaign: utm.utm_campaign ?? null,
          clickId: null,
          landingPath: pathOf(target) ?? null,
          browser: ua.browser,
          os: ua.os,
          device: ua.device,
          country: deps.country(c) ?? null,
        },
        events: [
          {
            clientId,
            type: link.kind === "qr" ? "qr_scan" : "link_click",
            name: link.code,
            url: target,
            path: pathOf(target) ?? null,
            referrer: referer ?? null,
            props: link.campaignId === null ? null : { campaign_id: link.campaignId },
            campaign: Object.keys(utm).length > 0 ? utm : null,
            clientTime: now,
            receivedAt: now,
          },
        ],
      });
      deps.metrics.redirects++;
      // Recorded for the cookieless hash: the landing page's tracker may claim it (see link-token.ts).
      if (!knownVisitor) landing = await withLinkToken(deps, target, link.siteId, clientId, now);
    } catch (error) {
      // Losing one click is better than stranding a person in front of a poster.
      if (!(error instanceof ApiError)) console.error(error);
      deps.metrics.rejected.redirect_unrecorded = (deps.metrics.rejected.redirect_unrecorded ?? 0) + 1;
    }
    c.header("Cache-Control", "no-store");
    return c.redirect(landing, 302);
  });
}

/** The target with a signed `lt_s` token naming the scan event, valid for LINK_TOKEN_TTL_MS. */
async function withLinkToken(deps: AppDeps, target: string, siteId: number, eventId: string, now: number) {
  const url = new URL(target);
  const token = await deps.linkTokens.sign({ siteId, eventId, expiresAt: now + LINK_TOKEN_TTL_MS });
  url.searchParams.set(LINK_TOKEN_PARAM, token);
  return url.toString();
}

/** The link's target (absolute, or a path on the collector's host) with its UTM parameters added. */
export function targetUrl(link: Pick<Link, "target" | "utm">, requestUrl: string): string {
  const url = new URL(link.target, requestUrl);
  for (const [key, value] of Object.entries(link.utm)) {
    if (!url.searchParams.has(key)) url.searchParams.set(key, value);
  }
  return url.toString();
}
