import type { Hono } from "hono";
import type { CollectDeps } from "../app.ts";
import { ApiError } from "../errors.ts";
import { readCappedText } from "../ingest/body.ts";
import { correctClientTime } from "../ingest/clock.ts";
import { classifyChannel, pathOf, referrerDomain } from "../ingest/enrich.ts";
import { submissionOf } from "../ingest/events-sink.ts";
import { parseJsonBody } from "../ingest/parse-json.ts";
import {
  MAX_EVENT_BYTES,
  MAX_REQUEST_BYTES,
  oversizedEvent,
  parseBatch,
  type ValidBatch,
  type ValidEvent,
} from "../ingest/schema.ts";
import { hostOf, rateLimit } from "../ingest/submit.ts";
import type { UserAgentInfo } from "../ingest/user-agent.ts";
import type { CollectorEvent, EventsOp, VisitSource } from "../ingest/write-ops.ts";
import { browserIdentifyMode, isAllowedHost, type SiteAccess } from "../site-access.ts";

/** `POST /e`: a batch of tracker events, answered only after the group commit that stores it. */
export function registerIngest(app: Hono, deps: CollectDeps) {
  app.post("/e", async (c) => {
    deps.metrics.requests++;
    const text = await readCappedText(c.req.raw, MAX_REQUEST_BYTES);
    const json = parseJsonBody(text);
    const tooBig = oversizedEvent(json, text.length);
    if (tooBig >= 0) throw new ApiError("payload_too_large", `events.${tooBig}: event over ${MAX_EVENT_BYTES} bytes`);
    const origin = c.req.header("origin");
    const parsed = parseBatch(json);
    if (!parsed.ok) {
      await noteBadBatch(deps, json, origin, deps.now(c));
      throw new ApiError("bad_request", parsed.reason);
    }
    const { batch, rejected } = parsed;

    const site = await deps.siteByKey(batch.site);
    if (!site) throw new ApiError("unknown_site", "unknown site key");
    const now = deps.now(c);
    const refusedHost = hostOf(origin) ?? hostOf(batch.events.find((e) => e.url)?.url);
    try {
      checkOrigin(site, origin, batch.events);
    } catch (error) {
      deps.noteRefusal(site.id, (error as OriginError).host ?? refusedHost, "forbidden_origin", now);
      throw error;
    }

    const userAgent = c.req.header("user-agent") ?? "";
    const ua = deps.userAgent(userAgent);
    if (ua.bot) {
      deps.metrics.botRequests++;
      deps.metrics.botEvents += batch.events.length;
      deps.noteRefusal(site.id, refusedHost, "bot", now);
      return c.json({ accepted: 0, duplicates: 0 }, 202);
    }

    const ip = deps.clientIp(c);
    try {
      rateLimit(deps.ipLimit, ip, 1, now);
    } catch (error) {
      deps.noteRefusal(site.id, refusedHost, "rate_limited", now);
      throw error;
    }
    const op = toOp(site, batch, now, ua, deps.country(c) ?? null);
    for (const e of op.events) if (e.flags) deps.metrics.clockFlagged++;
    // The link token (a scan's `lt_s`) is checked where the visitor id is settled: at the origin.
    const submission = submissionOf(site, op, { visitorId: batch.visitor, ip, userAgent, at: now, link: batch.link });
    const result = await deps.submitEvents(submission, text.length);
    deps.metrics.eventsAccepted += result.accepted;
    deps.metrics.eventsDuplicate += result.duplicates;
    deps.metrics.eventsRejected += rejected.length;
    if (rejected.length === 0) return c.json(result, 200);
    return c.json({ ...result, rejected: rejected.length, errors: rejected.slice(0, 10) }, 200);
  });
}

/** A refused origin, with the host that was refused (for the install check). */
class OriginError extends ApiError {
  constructor(
    message: string,
    readonly host: string | undefined,
  ) {
    super("forbidden_origin", message);
  }
}

/**
 * A malformed batch that still names a known site is noted for that site's install check (the
 * snippet is there, but what it sends is refused: an old or altered script, a proxy mangling it).
 */
async function noteBadBatch(deps: CollectDeps, json: unknown, origin: string | undefined, now: number) {
  const key = (json as { site?: unknown } | null)?.site;
  if (typeof key !== "string" || key.length === 0 || key.length > 64) return;
  const site = await deps.siteByKey(key);
  if (site) deps.noteRefusal(site.id, hostOf(origin), "bad_request", now);
}

/**
 * The Origin header (browsers always send it on cross-site POSTs) and every event's page must be
 * on one of the site's domains; a server-side client without an Origin must send page URLs.
 */
function checkOrigin(site: SiteAccess, origin: string | undefined, events: ValidEvent[]): void {
  const pageHosts = new Set<string | undefined>();
  for (const e of events) if (e.url !== undefined) pageHosts.add(hostOf(e.url));
  const originHost = origin ? hostOf(origin) : undefined;
  if (origin !== undefined && !isAllowedHost(site, originHost)) {
    throw new OriginError("origin is not among the site's domains", originHost);
  }
  if (origin === undefined && pageHosts.size === 0) {
    throw new OriginError("no Origin header and no page URL to check against the site's domains", undefined);
  }
  for (const host of pageHosts) {
    if (!isAllowedHost(site, host)) throw new OriginError("page is not among the site's domains", host);
  }
}

function toOp(
  site: SiteAccess,
  batch: ValidBatch,
  receivedAt: number,
  ua: UserAgentInfo,
  country: string | null,
): Omit<EventsOp, "visitorId"> {
  const first = batch.events[0];
  const campaign = batch.events.find((e) => e.campaign)?.campaign ?? {};
  const pageHost = hostOf(first?.url);
  const refDomain = referrerDomain(campaign.referrer ?? first?.referrer, pageHost);
  const visitCampaign = campaignOf(campaign);
  const events: CollectorEvent[] = batch.events.map((e) => {
    const clock = correctClientTime(e.time, batch.sentAt, receivedAt);
    return {
      clientId: e.id,
      type: e.type,
      name: e.name ?? null,
      url: e.url ?? null,
      path: pathOf(e.url) ?? null,
      title: e.title ?? null,
      referrer: e.referrer ?? null,
      props: e.props ?? null,
      campaign: e.campaign ? campaignOf(e.campaign) : visitCampaign,
      clientTime: clock.time,
      receivedAt,
      flags: clock.flags,
      engagedMs: e.engagedMs === undefined ? null : Math.round(e.engagedMs),
      scrollDepth: e.scroll ?? null,
      email: e.email,
      traits: e.traits,
    };
  });
  const source: VisitSource = {
    referrerDomain: refDomain ?? null,
    channel: classifyChannel({ referrerDomain: refDomain, utmMedium: campaign.utm_medium, clickId: campaign.clickId }),
    utmSource: campaign.utm_source ?? null,
    utmMedium: campaign.utm_medium ?? null,
    utmCampaign: campaign.utm_campaign ?? null,
    clickId: campaign.clickId ?? null,
    landingPath: pathOf(first?.url) ?? null,
    browser: ua.browser,
    os: ua.os,
    device: ua.device,
    country,
  };
  return { kind: "events", siteId: site.id, source, events, browserIdentify: browserIdentifyMode(site) };
}

/** The UTM parameters and click id of a campaign context (the referrer is kept separately). */
function campaignOf(campaign: Record<string, string | undefined>): Record<string, string> | null {
  const out: Record<string, string> = {};
  let any = false;
  for (const key of ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "clickId"]) {
    const value = campaign[key];
    if (value) {
      out[key] = value;
      any = true;
    }
  }
  return any ? out : null;
}
