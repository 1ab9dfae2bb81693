// Log-in over real HTTP and a real Chromium: `next` never leads to another origin, and log-in
// throttling counts attempts before the password check, delays instead of locking the owner out,
// and trusts a client address header only when the dashboard is configured to (ADDRESS_HEADER).
import { createDb, type Database, migrate } from "@leadtrail/db";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, skipBrowserTests } from "../support/browser.ts";
import { type RunningProcess, startDashboard, tempDatabase } from "../support/processes.ts";

const OWNER = { email: "owner@acme.test", password: "the-owner-password-1" };
/** The header this dashboard takes the client address from (as a proxy in front of it would set it). */
const ADDRESS_HEADER = "x-test-client-ip";

describe("log-in", () => {
  let dashboard: RunningProcess;
  let db: Database;
  let remove: () => void;

  beforeAll(async () => {
    const database = tempDatabase();
    remove = database.remove;
    db = await createDb({ url: database.url });
    await migrate(db.$client);
    dashboard = await startDashboard(database.url, {
      ADMIN_EMAIL: OWNER.email,
      ADMIN_PASSWORD: OWNER.password,
      ADDRESS_HEADER,
    });
  });
  afterAll(async () => {
    await dashboard?.stop();
    db?.$client.close();
    remove?.();
  });

  /** A log-in form post the way a browser without JavaScript sends it, from `client`. */
  const post = (fields: { email: string; password: string }, client: string, query = "") =>
    fetch(`${dashboard.url}/login${query}`, {
      method: "POST",
      redirect: "manual",
      headers: {
        origin: dashboard.url,
        accept: "text/html",
        "content-type": "application/x-www-form-urlencoded",
        [ADDRESS_HEADER]: client,
      },
      body: new URLSearchParams(fields),
    });
  const throttle = async (key: string) =>
    (await db.$client.execute({ sql: "SELECT failures FROM login_throttle WHERE key = ?", args: [key] })).rows[0];

  describe("redirect after log-in", () => {
    let clients = 0;
    it.each([
      ["a tab between the slashes", "%2F%09%2Fevil.example%2Fphish"],
      ["a newline between the slashes", "%2F%0A%2Fevil.example"],
      ["a newline in a path", "%2Fleads%0D%0ASet-Cookie%3A%20x%3D1"],
      ["two slashes", "%2F%2Fevil.example"],
      ["a backslash", "%2F%5Cevil.example"],
      ["another origin", "https%3A%2F%2Fevil.example%2F"],
      ["javascript:", "javascript%3Aalert(1)"],
    ])("with %s in next lands on this dashboard", async (_name, next) => {
      const response = await post(OWNER, `198.51.100.${++clients}`, `?next=${next}`);
      expect(response.status).toBe(303);
      expect(response.headers.get("location")).toBe("/");
    });

    it("keeps a same-site next", async () => {
      const response = await post(OWNER, "198.51.100.250", "?next=%2Fleads%3Fstage%3Dmql");
      expect(response.headers.get("location")).toBe("/leads?stage=mql");
    });

    describe.skipIf(skipBrowserTests)("in Chromium", () => {
      let browser: Browser;
      beforeAll(async () => {
        browser = await launchBrowser();
      });
      afterAll(async () => {
        await browser?.close();
      });

      it.each([true, false])("ends on the dashboard's origin (JavaScript %s)", async (javaScriptEnabled) => {
        const context = await browser.newContext({
          javaScriptEnabled,
          extraHTTPHeaders: { [ADDRESS_HEADER]: `192.0.2.${javaScriptEnabled ? 10 : 11}` },
        });
        // Anything that leaves for evil.example is stopped and recorded here.
        const foreign: string[] = [];
        await context.route(
          (url) => url.hostname.includes("evil.example"),
          (route) => {
            foreign.push(route.request().url());
            return route.abort();
          },
        );
        try {
          const page = await context.newPage();
          await page.goto(`${dashboard.url}/login?next=%2F%09%2Fevil.example%2Fphish`);
          await page.fill("input[name=email]", OWNER.email);
          await page.fill("input[name=password]", OWNER.password);
          await Promise.all([
            page.waitForURL((url) => !url.pathname.startsWith("/login")),
            page.click("button[type=submit]"),
          ]);
          expect(new URL(page.url()).origin).toBe(dashboard.url);
          expect(foreign).toEqual([]);
        } finally {
          await context.close();
        }
      });
    });
  });

  describe("throttling", () => {
    const ATTACKER = "203.0.113.66";

    it("evaluates at most five of 25 parallel wrong passwords; the rest wait (429 with Retry-After)", async () => {
      const responses = await Promise.all(
        Array.from({ length: 25 }, () => post({ email: OWNER.email, password: "not-the-password" }, ATTACKER)),
      );
      const statuses = responses.map((r) => r.status);
      expect(statuses.filter((s) => s === 400)).toHaveLength(5);
      expect(statuses.filter((s) => s === 429)).toHaveLength(20);
      const refused = responses.find((r) => r.status === 429);
      expect(Number(refused?.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(await refused?.text()).toMatch(/Too many failed attempts\. Please wait \d+ seconds/);
      // Counted before the password check: exactly the evaluated attempts are on the counters.
      expect(await throttle(`pair:${OWNER.email}|${ATTACKER}`)).toMatchObject({ failures: 5 });
      expect(await throttle(`account:${OWNER.email}`)).toMatchObject({ failures: 5 });
    });

    it("keeps the guessing client waiting, even with the right password", async () => {
      expect((await post(OWNER, ATTACKER)).status).toBe(429);
    });

    it("lets the owner in from another address, and the account's counters start over", async () => {
      const response = await post(OWNER, "192.0.2.77");
      expect(response.status).toBe(303);
      expect(response.headers.getSetCookie().some((c) => c.startsWith("lt_session="))).toBe(true);
      expect(await throttle(`account:${OWNER.email}`)).toBeUndefined();
      expect(await throttle(`pair:${OWNER.email}|192.0.2.77`)).toBeUndefined();
      // The guessing client's own delay stays.
      expect(await throttle(`pair:${OWNER.email}|${ATTACKER}`)).toMatchObject({ failures: 5 });
    });

    it("does not take X-Forwarded-For for the client address unless configured", async () => {
      // This dashboard trusts only ADDRESS_HEADER: spoofed X-Forwarded-For values are one client.
      const spoofed = (i: number) =>
        fetch(`${dashboard.url}/login`, {
          method: "POST",
          redirect: "manual",
          headers: {
            origin: dashboard.url,
            accept: "text/html",
            "content-type": "application/x-www-form-urlencoded",
            [ADDRESS_HEADER]: "203.0.113.99",
            "x-forwarded-for": `10.0.0.${i}`,
          },
          body: new URLSearchParams({ email: "nobody@acme.test", password: "guess-number-one" }),
        });
      const statuses: number[] = [];
      for (let i = 1; i <= 7; i++) statuses.push((await spoofed(i)).status);
      expect(statuses).toEqual([400, 400, 400, 400, 400, 429, 429]);
    });
  });
});
