import { createSite, type Site } from "@leadtrail/db";
import { createTestDb, type TestDb } from "@leadtrail/db/testing";
import { type Collector, type CollectorOptions, createCollector } from "../collector.ts";

export const TEST_SITE_KEY = "site_test";
export const TEST_ORIGIN = "https://acme.test";
export const BROWSER_UA =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

export interface TestCollector extends Collector, TestDb {
  site: Site;
  /** POSTs a batch to /e as the tracker would. */
  post(body: unknown, headers?: Record<string, string>): Promise<Response>;
}

/**
 * A collector app on a fresh temporary database with one site allowed on acme.test. The client IP
 * comes from `x-test-ip`, the country from `x-test-country`, and the receive time from
 * `x-test-now` (ms) when a test sets them; `overrides` replace any other option.
 */
export async function createTestCollector(
  trackerScript = "/*tracker*/",
  overrides: Partial<CollectorOptions> = {},
): Promise<TestCollector> {
  const testDb = await createTestDb();
  const site = await createSite(testDb.db, {
    publicKey: TEST_SITE_KEY,
    name: "Acme",
    domains: ["acme.test"],
    // SHA-256 of "sk_test_secret": the key the identify tests send.
    secretKeyHash: "189fca54c1d14f1a296cccd59e3cee0afe1d5bef99b0447935e4c21b311984e2",
  });
  const collector = createCollector({
    db: testDb.db,
    trackerScript,
    demoSiteKey: TEST_SITE_KEY,
    visitorHashSecret: "test-secret",
    clientIp: (c) => c.req.header("x-test-ip") ?? "203.0.113.7",
    country: (c) => c.req.header("x-test-country"),
    now: (c) => Number(c.req.header("x-test-now") ?? Date.now()),
    ...overrides,
  });
  return {
    ...testDb,
    ...collector,
    site,
    post(body, headers = {}) {
      return Promise.resolve(
        collector.app.request("/e", {
          method: "POST",
          body: typeof body === "string" ? body : JSON.stringify(body),
          headers: { "content-type": "text/plain", origin: TEST_ORIGIN, "user-agent": BROWSER_UA, ...headers },
        }),
      );
    },
  };
}

let counter = 0;
/** A valid page-view event with a unique id. */
export function pageview(path = "/", extra: Record<string, unknown> = {}) {
  counter++;
  return {
    id: `evt_${String(counter).padStart(8, "0")}`,
    type: "pageview",
    time: Date.now(),
    url: `${TEST_ORIGIN}${path}`,
    ...extra,
  };
}

/** A valid batch for the test site. */
export function batch(events: unknown[], extra: Record<string, unknown> = {}) {
  return { site: TEST_SITE_KEY, visitor: "visitor_0001", sentAt: Date.now(), events, ...extra };
}
