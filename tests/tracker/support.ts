// Shared harness for the tracker's browser tests: a site server and a fake collector on two
// loopback ports (two origins, so every request the tracker makes is a real cross-origin one),
// the tracker built in memory from the current source, and a Chromium shared by a test file.

import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll } from "vitest";
import { buildTracker } from "../../packages/tracker/scripts/build.mjs";
import type { WireBatch, WireEvent } from "../../packages/tracker/src/protocol.ts";
import { chromiumPath, launchBrowser } from "../support/browser.ts";

/**
 * Chromium as launchBrowser() starts it, but with the back/forward cache on: Playwright turns it
 * off by default (`--disable-back-forward-cache`), and the bfcache test needs real restores.
 */
function launchBrowserWithBfcache(): Promise<Browser> {
  if (!chromiumPath) throw new Error("Chromium not found: install it with `apt-get install -y chromium`");
  return chromium.launch({
    executablePath: chromiumPath,
    ignoreDefaultArgs: ["--disable-back-forward-cache"],
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
}

/** One request the fake collector received. */
export interface CollectorRequest {
  method: string;
  path: string;
  contentType: string | undefined;
  /** Parsed body of a `POST /e`. */
  batch?: WireBatch;
  /** The status the collector answered with. */
  status: number;
}

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

async function listen(handler: Handler): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      body += chunk;
    });
    req.on("end", () => handler(req, res, body));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return { server, origin: `http://127.0.0.1:${port}` };
}

/**
 * The fake collector: serves the scripts, records every request, answers as a test scripts it.
 *
 * Pages of a finished test can still send: closing a page hides it, and the tracker then beacons
 * its engagement, which may arrive after the next test has begun. So every test embeds its own
 * site key (`site`, changed by nextTest()), and a batch for another key is answered but never
 * recorded: a test sees only what its own pages sent.
 */
export class FakeCollector {
  readonly requests: CollectorRequest[] = [];
  private statuses: number[] = [];
  private rule?: (batch: WireBatch) => number | undefined;
  /** Answers waiting for release(), while hold() is on. */
  private held: (() => void)[] | undefined;
  private tests = 0;
  /** The site key the current test's pages embed (see html()). */
  site = "site_test_0";
  origin = "";
  server?: Server;

  constructor(private readonly scripts: { full: string; core: string }) {}

  async start() {
    const { server, origin } = await listen((req, res, body) => this.handle(req, res, body));
    this.server = server;
    this.origin = origin;
  }

  /** The next answers to `POST /e`, in order; after them every batch gets 200. */
  answer(...statuses: number[]) {
    this.statuses.push(...statuses);
  }

  /** Answers by what a batch holds; undefined falls back to answer()'s list. */
  answerBy(rule: (batch: WireBatch) => number | undefined) {
    this.rule = rule;
  }

  /**
   * Keeps the answers to `POST /e` from leaving until release(), so a send stays in flight for as
   * long as a test needs. The request is recorded (with its status) when it arrives, as always.
   */
  hold() {
    this.held ??= [];
  }

  /** Sends every held answer and stops holding. */
  release() {
    for (const send of this.held?.splice(0) ?? []) send();
    this.held = undefined;
  }

  /** Forgets what came in and what was scripted; the site key stays (the same pages may go on). */
  reset() {
    this.release();
    this.requests.length = 0;
    this.statuses.length = 0;
    this.rule = undefined;
  }

  /** Resets and gives the next test its own site key, so late sends of this test's pages are ignored. */
  nextTest() {
    this.reset();
    this.site = `site_test_${++this.tests}`;
  }

  /** Batches that came in, whatever the answer. */
  batches(): WireBatch[] {
    return this.requests.flatMap((r) => (r.batch ? [r.batch] : []));
  }

  /**
   * Events the collector accepted (answered 2xx), optionally of one type; like the real collector
   * it counts an event id once, however often it arrives.
   */
  accepted(type?: WireEvent["type"]): WireEvent[] {
    const seen = new Set<string>();
    return this.requests
      .filter((r) => r.batch && r.status < 300)
      .flatMap((r) => r.batch?.events ?? [])
      .filter((e) => !seen.has(e.id) && seen.add(e.id) && (!type || e.type === type));
  }

  private handle(req: IncomingMessage, res: ServerResponse, body: string) {
    const path = (req.url ?? "/").split("?")[0] as string;
    res.setHeader("Access-Control-Allow-Origin", "*");
    if (req.method === "GET" && (path === "/t.js" || path === "/t.core.js")) {
      res.setHeader("Content-Type", "text/javascript");
      res.end(path === "/t.js" ? this.scripts.full : this.scripts.core);
      return;
    }
    if (req.method === "POST" && path === "/e") {
      let batch: WireBatch | undefined;
      try {
        batch = JSON.parse(body) as WireBatch;
      } catch {}
      if (batch && batch.site !== this.site) {
        res.end(); // a page of an earlier test: not this test's business
        return;
      }
      const status = (batch && this.rule?.(batch)) ?? this.statuses.shift() ?? 200;
      this.requests.push({ method: "POST", path, contentType: req.headers["content-type"], batch, status });
      res.statusCode = status;
      res.setHeader("Content-Type", "application/json");
      const send = () =>
        res.end(JSON.stringify(status < 300 ? { accepted: batch?.events.length ?? 0, duplicates: 0 } : { error: {} }));
      if (this.held) this.held.push(send);
      else send();
      return;
    }
    this.requests.push({ method: req.method ?? "", path, contentType: req.headers["content-type"], status: 404 });
    if (path === "/elsewhere") {
      res.setHeader("Content-Type", "text/html");
      res.end("<!doctype html><title>elsewhere</title>");
      return;
    }
    res.statusCode = 404;
    res.end();
  }
}

/** The customer's website: pages registered by the tests, plus a blank page and a file to download. */
export class FakeSite {
  private pages = new Map<string, string>();
  origin = "";
  server?: Server;

  async start() {
    const { server, origin } = await listen((req, res) => {
      const path = (req.url ?? "/").split("?")[0]?.split("#")[0] as string;
      const html = this.pages.get(path) ?? (path === "/blank" ? "<!doctype html><title>blank</title>" : undefined);
      if (path === "/favicon.ico") {
        res.statusCode = 204; // no favicon, and no 404 in the console
        res.end();
      } else if (path.endsWith(".pdf")) {
        res.setHeader("Content-Type", "application/pdf");
        res.end("%PDF-1.4");
      } else if (html !== undefined) {
        res.setHeader("Content-Type", "text/html");
        res.end(html);
      } else {
        res.statusCode = 404;
        res.end();
      }
    });
    this.server = server;
    this.origin = origin;
  }

  /** Serves `html` at `path` (any path below it too, for SPA routes); returns the page's URL. */
  page(path: string, html: string): string {
    this.pages.set(path, html);
    return this.origin + path;
  }
}

/** Options for the embed snippet. */
export interface EmbedOptions {
  /** data-* attributes besides data-site (without the "data-" prefix). */
  attrs?: Record<string, string>;
  /** Serve the core build instead of the full one. */
  core?: boolean;
  /** HTML placed before the tracker's script tag (stubs, host scripts). */
  head?: string;
  title?: string;
}

/** A full HTML page embedding the tracker as the README documents it (from `collector.origin`, for `collector.site`). */
export function html(
  collector: Pick<FakeCollector, "origin" | "site">,
  body: string,
  options: EmbedOptions = {},
): string {
  const attrs = Object.entries({ flush: "100", ...options.attrs })
    .map(([k, v]) => ` data-${k}="${v}"`)
    .join("");
  const src = `${collector.origin}/${options.core ? "t.core.js" : "t.js"}`;
  return `<!doctype html><html><head><meta charset="utf-8"><title>${options.title ?? "Test page"}</title>${
    options.head ?? ""
  }<script defer src="${src}" data-site="${collector.site}"${attrs}></script></head><body>${body}</body></html>`;
}

/** The documented one-line pre-load stub. */
export const STUB =
  '<script>window.leadtrail=window.leadtrail||{q:[]};["track","identify","consent"].forEach(function(m){leadtrail[m]=leadtrail[m]||function(){leadtrail.q.push([m,arguments])}})</script>';

/** Waits for the tracker to have started on `page`. */
export async function trackerReady(page: Page) {
  await page.waitForFunction(() => {
    const api = (window as unknown as { leadtrail?: { q?: unknown } }).leadtrail;
    return !!api && !api.q;
  });
}

/** Lets real time pass: for engagement, which measures time, never as an assertion. */
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Lets `ms` pass on the page's own clock, for "nothing happened" checks: a timer runs after every
 * timer due before it, so whatever the tracker had scheduled within `ms` (a flush, a retry) has
 * run by then, however slowly a loaded machine runs the page. (A sleep in the test process can end
 * before a busy page got to its timers, and the check would pass without having checked.)
 */
export async function pageSleep(page: Page, ms: number) {
  await page.evaluate((t) => new Promise((resolve) => setTimeout(resolve, t)), ms);
}

export interface Harness {
  browser: Browser;
  collector: FakeCollector;
  site: FakeSite;
  /** A fresh browser context (own storage) and page; closed after the test. */
  newPage(): Promise<Page>;
  /** Console errors and warnings, and uncaught page errors, of pages made by newPage(). */
  problems: string[];
}

/**
 * Registers beforeAll/afterAll/afterEach hooks for a test file and returns the harness; its fields
 * are filled once beforeAll has run.
 */
export function useHarness(options: { bfcache?: boolean } = {}): Harness {
  const contexts: BrowserContext[] = [];
  const harness = { problems: [] as string[] } as unknown as Harness;
  beforeAll(async () => {
    const scripts = await buildTracker();
    harness.collector = new FakeCollector(scripts);
    harness.site = new FakeSite();
    await Promise.all([harness.collector.start(), harness.site.start()]);
    harness.browser = await (options.bfcache ? launchBrowserWithBfcache() : launchBrowser());
    harness.newPage = async () => {
      const context = await harness.browser.newContext();
      contexts.push(context);
      const page = await context.newPage();
      page.on("console", (m) => {
        if (m.type() === "error" || m.type() === "warning") harness.problems.push(`${m.type()}: ${m.text()}`);
      });
      page.on("pageerror", (e) => harness.problems.push(`pageerror: ${e.message}`));
      return page;
    };
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
    harness.collector.nextTest();
    harness.problems.length = 0;
  });
  afterAll(async () => {
    await harness.browser?.close();
    harness.collector?.server?.close();
    harness.site?.server?.close();
  });
  return harness;
}
