import type { IngestEvent, IngestGroup, IngestGroupResult } from "@leadtrail/db";
import type { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { isbot } from "isbot";
import type { AppDeps } from "../app.ts";
import { ApiError } from "../errors.ts";
import { classifyChannel, pathOf, referrerDomain } from "../ingest/enrich.ts";
import { QueueFullError } from "../ingest/group-commit.ts";
import { parseBatch, type ValidBatch } from "../ingest/schema.ts";
import { isAllowedHost } from "../sites.ts";

export const MAX_REQUEST_BYTES = 512 * 1024;

/** `POST /e`: a batch of tracker events, stored (and acknowledged) in a group commit. */
export function registerIngest(app: Hono, deps: AppDeps) {
  app.post(
    "/e",
    bodyLimit({
      maxSize: MAX_REQUEST_BYTES,
      onError: () => {
        throw new ApiError("payload_too_large", `request body over ${MAX_REQUEST_BYTES} bytes`);
      },
    }),
    async (c) => {
      let json: unknown;
      try {
        json = JSON.parse(await c.req.text());
      } catch {
        throw new ApiError("bad_request", "body is not valid JSON");
      }
      const parsed = parseBatch(json);
      if (!parsed.ok) throw new ApiError("bad_request", parsed.reason);
      const batch = parsed.batch;

      const site = await deps.siteByKey(batch.site);
      if (!site) throw new ApiError("unknown_site", "unknown site key");
      const origin = c.req.header("origin");
      const pageHost = hostOf(batch.events[0]?.url);
      const originHost = origin ? hostOf(origin) : pageHost;
      if (!isAllowedHost(site, originHost) || (pageHost !== undefined && !isAllowedHost(site, pageHost))) {
        throw new ApiError("forbidden_origin", "origin is not among the site's domains");
      }

      const userAgent = c.req.header("user-agent") ?? "";
      if (isbot(userAgent)) return c.json({ accepted: 0, duplicates: 0 }, 202);

      const now = deps.now(c);
      const visitorId = batch.visitor ?? (await deps.anonymousVisitorId(site.id, deps.clientIp(c), userAgent, now));
      const group = toGroup(site.id, visitorId, batch, now, pageHost);
      let result: IngestGroupResult;
      try {
        result = await deps.writer.submit(group);
      } catch (error) {
        if (error instanceof QueueFullError) {
          throw new ApiError("overloaded", "collector is busy, retry later", { "Retry-After": "1" });
        }
        throw error;
      }
      return c.json(result, 200);
    },
  );
}

function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}

function toGroup(
  siteId: number,
  visitorId: string,
  batch: ValidBatch,
  receivedAt: number,
  pageHost?: string,
): IngestGroup {
  const first = batch.events[0];
  const campaign = first?.campaign ?? {};
  const refDomain = referrerDomain(campaign.referrer ?? first?.referrer, pageHost);
  // Clocks in browsers are often wrong: shift client times by the batch's own skew.
  const skew = receivedAt - batch.sentAt;
  const events: IngestEvent[] = batch.events.map((e) => ({
    clientId: e.id,
    type: e.type,
    name: e.name ?? null,
    url: e.url ?? null,
    path: pathOf(e.url) ?? null,
    title: e.title ?? null,
    referrer: e.referrer ?? null,
    props: e.props ?? null,
    clientTime: Math.round(e.time + skew),
    receivedAt,
    engagedMs: e.engagedMs ?? null,
    scrollDepth: e.scroll ?? null,
  }));
  return {
    visitor: {
      siteId,
      id: visitorId,
      referrerDomain: refDomain ?? null,
      channel: classifyChannel({ referrerDomain: refDomain, utmMedium: campaign.utm_medium, clickId: campaign.clickId }),
      utmSource: campaign.utm_source ?? null,
      utmMedium: campaign.utm_medium ?? null,
      utmCampaign: campaign.utm_campaign ?? null,
      landingPath: pathOf(first?.url) ?? null,
    },
    events,
  };
}
