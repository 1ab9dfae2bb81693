import {
  type Database,
  dailySalt,
  latestRuleSet,
  latestRuleSetVersion,
  recordSiteRefusal,
  seedRuleSetVersion,
  siteTimeZone,
} from "@leadtrail/db";
import type { RuleSet } from "@leadtrail/scoring";
import type { Context, Hono } from "hono";
import { type AppDeps, createApp } from "./app.ts";
import { createAnonymousIds, createDailySalts } from "./ingest/anonymous-id.ts";
import { createEventsSink } from "./ingest/events-sink.ts";
import { type GroupCommitOptions, GroupCommitWriter } from "./ingest/group-commit.ts";
import { createLinkTokens } from "./ingest/link-token.ts";
import { type BucketLimit, RateLimiter } from "./ingest/rate-limit.ts";
import { createRefusalLog } from "./ingest/refusals.ts";
import { createUserAgentParser } from "./ingest/user-agent.ts";
import type { IngestOp, OpResult } from "./ingest/write-ops.ts";
import { createIngestWriter } from "./ingest/write-path.ts";
import { createMetrics, type Metrics } from "./metrics.ts";
import { createRuleSetCache, type RuleSetStore } from "./scoring/rule-sets.ts";
import { createLinkCache, createSiteCache } from "./sites.ts";

/** Default limits: a person clicking fast stays far below; a script pumping one lead does not. */
export const DEFAULT_RATE_LIMITS = {
  /** Events per visitor: bursts of 200, then 5 per second. */
  visitor: { burst: 200, perSecond: 5 },
  /** Requests per IP (offices share one): bursts of 2,000, then 200 per second. */
  ip: { burst: 2000, perSecond: 200 },
} as const satisfies Record<string, BucketLimit>;

export interface CollectorOptions {
  db: Database;
  trackerScript: string;
  demoSiteKey: string;
  visitorHashSecret: string;
  clientIp(c: Context): string;
  /** Country from a trusted edge header; absent means no country enrichment. */
  country?: (c: Context) => string | undefined;
  now?: (c: Context) => number;
  groupCommit?: GroupCommitOptions;
  /** Rate limits; `false` turns one off (the demo loader replays history as fast as it can). */
  rateLimits?: { visitor?: BucketLimit | false; ip?: BucketLimit | false };
  /** Published rule sets; defaults to the `rule_set_versions` table. */
  ruleSets?: RuleSetStore;
  /** Rules for sites that never published any (default: packages/scoring's defaultRuleSet). */
  fallbackRuleSet?: RuleSet;
  /** How often a site's published rule set version is re-checked (default 5 s). */
  ruleSetCheckMs?: number;
  /** Shared secret of the edge worker's signed `/internal/*` requests; unset turns them off. */
  edgeSecret?: string;
}

export interface Collector {
  app: Hono;
  writer: AppDeps["writer"];
  metrics: Metrics;
}

/** Wires the app to its database: the same for every runtime and for the demo loader. */
export function createCollector(options: CollectorOptions): Collector {
  const { db } = options;
  const metrics = createMetrics();
  const ruleSets = createRuleSetCache(
    options.ruleSets ?? {
      latestVersion: (siteId) => latestRuleSetVersion(db, siteId),
      latest: (siteId) => latestRuleSet(db, siteId),
      seed: (siteId, ruleSet) => seedRuleSetVersion(db, siteId, ruleSet, Date.now()),
      timeZone: (siteId) => siteTimeZone(db, siteId),
    },
    { checkEveryMs: options.ruleSetCheckMs, fallback: options.fallbackRuleSet },
  );
  const write = createIngestWriter({
    db,
    ruleSets,
    onCommit: () => {
      metrics.commits++;
    },
  });
  const writer = new GroupCommitWriter<IngestOp, OpResult>(async (ops) => {
    try {
      return await write(ops);
    } catch (error) {
      metrics.commitFailures++;
      throw error;
    }
  }, options.groupCommit);
  const salts = createDailySalts(
    (day, candidate, now) => dailySalt(db, day, candidate, now),
    options.visitorHashSecret,
  );
  const limits = options.rateLimits ?? {};
  const visitorLimit = limits.visitor ?? DEFAULT_RATE_LIMITS.visitor;
  const ipLimit = limits.ip ?? DEFAULT_RATE_LIMITS.ip;
  const anonymousVisitorId = createAnonymousIds(salts);
  const visitorLimiter = visitorLimit ? new RateLimiter(visitorLimit) : undefined;
  const linkTokens = createLinkTokens(options.visitorHashSecret);
  const app = createApp({
    db,
    writer,
    submitEvents: createEventsSink({ writer, anonymousVisitorId, visitorLimit: visitorLimiter, linkTokens }),
    edgeSecret: options.edgeSecret,
    siteByKey: createSiteCache(db),
    linkByCode: createLinkCache(db),
    trackerScript: options.trackerScript,
    demoSiteKey: options.demoSiteKey,
    anonymousVisitorId,
    clientIp: options.clientIp,
    country: options.country ?? (() => undefined),
    now: options.now ?? (() => Date.now()),
    userAgent: createUserAgentParser(),
    visitorLimit: visitorLimiter,
    ipLimit: ipLimit ? new RateLimiter(ipLimit) : undefined,
    metrics,
    linkTokens,
    noteRefusal: createRefusalLog((siteId, refusal) => recordSiteRefusal(db, siteId, refusal)).note,
  });
  return { app, writer, metrics };
}
