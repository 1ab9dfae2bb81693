import { type Database, type IngestGroup, type IngestGroupResult, writeIngestGroups } from "@leadtrail/db";
import type { Context, Hono } from "hono";
import { type AppDeps, createApp } from "./app.ts";
import { createAnonymousIds } from "./ingest/anonymous-id.ts";
import { GroupCommitWriter, type GroupCommitOptions } from "./ingest/group-commit.ts";
import { createSiteCache } from "./sites.ts";

export interface CollectorOptions {
  db: Database;
  trackerScript: string;
  demoSiteKey: string;
  visitorHashSecret: string;
  clientIp(c: Context): string;
  now?: (c: Context) => number;
  groupCommit?: GroupCommitOptions;
}

export interface Collector {
  app: Hono;
  writer: AppDeps["writer"];
}

/** Wires the app to its database: the same for every runtime and for the demo loader. */
export function createCollector(options: CollectorOptions): Collector {
  const writer = new GroupCommitWriter<IngestGroup, IngestGroupResult>(
    (groups) => writeIngestGroups(options.db.$client, groups),
    options.groupCommit,
  );
  const secret = options.visitorHashSecret;
  const app = createApp({
    db: options.db,
    writer,
    siteByKey: createSiteCache(options.db),
    trackerScript: options.trackerScript,
    demoSiteKey: options.demoSiteKey,
    anonymousVisitorId: createAnonymousIds(async (day) => `${secret}:${day}`),
    clientIp: options.clientIp,
    now: options.now ?? (() => Date.now()),
  });
  return { app, writer };
}
