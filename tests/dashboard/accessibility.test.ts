// axe-core (WCAG 2 A and AA rules) on every dashboard page in Chromium, in the light and the dark
// colour scheme, and on a sales rep's pages at phone width: no serious or critical violation, and no
// heading printed twice in one section (a chart's caption repeating its section's heading).
import { createRequire } from "node:module";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, skipBrowserTests } from "../support/browser.ts";
import { ADMIN, type Fixture, RANGE, startFixture, USERS } from "./fixture.ts";

const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
const QUERY = `?from=${RANGE.from}&to=${RANGE.to}`;
const ADMIN_PAGES = [
  "/",
  "/behaviour",
  "/content",
  "/funnel",
  "/campaigns",
  "/campaigns/1",
  "/personas",
  "/nurture",
  "/scoring",
  "/visitors",
  "/leads",
  "/my-leads",
  "/notifications",
  "/settings",
  "/settings/routing",
  "/settings/webhooks",
];

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** The serious and critical WCAG 2 A/AA violations axe finds on the page, as readable lines. */
async function violations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const found = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(c: Document, o: object): Promise<{ violations: unknown[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa"] } });
    return result.violations as Violation[];
  });
  return found
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/** Headings and chart captions that say the same words twice within one section of the page. */
function repeatedHeadings(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const seen = new Map<Element, Set<string>>();
    const repeated: string[] = [];
    for (const el of document.querySelectorAll("main h1, main h2, main h3, main figcaption")) {
      const scope = el.closest("section") ?? document.querySelector("main") ?? document.body;
      const text = (el.textContent ?? "").trim();
      const texts = seen.get(scope) ?? new Set<string>();
      if (texts.has(text)) repeated.push(text);
      texts.add(text);
      seen.set(scope, texts);
    }
    return repeated;
  });
}

describe.skipIf(skipBrowserTests)("accessibility (axe) in Chromium", () => {
  let f: Fixture;
  let browser: Browser;

  async function loginAs(email: string, password: string, options: Parameters<Browser["newContext"]>[0]) {
    const context = await browser.newContext(options);
    const page = await context.newPage();
    await page.goto(`${f.url}/login`);
    expect(await violations(page)).toEqual([]);
    await page.getByLabel(/e-mail/i).fill(email);
    await page.getByLabel(/password/i).fill(password);
    await Promise.all([
      page.waitForURL((u) => !u.pathname.startsWith("/login"), { timeout: 60_000 }),
      page.getByRole("button", { name: /log in/i }).click(),
    ]);
    await page.close();
    return context;
  }

  beforeAll(async () => {
    f = await startFixture();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await f?.stop();
  });

  // One test per page and scheme (each with the whole test timeout: axe on a busy machine is slow).
  describe.each(["light", "dark"] as const)("every admin page (%s)", (scheme) => {
    let context: Awaited<ReturnType<typeof loginAs>>;
    let page: Page;
    beforeAll(async () => {
      context = await loginAs(ADMIN.email, ADMIN.password, { viewport: { width: 1280, height: 900 } });
      page = await context.newPage();
      await page.emulateMedia({ colorScheme: scheme });
    });
    afterAll(async () => {
      await context?.close();
    });

    it.each([...ADMIN_PAGES, "/leads/:id"])("finds no serious issue and no repeated heading on %s", async (pattern) => {
      const path = pattern.replace(":id", String(f.leads["cto@bigcorp.test"]));
      await page.goto(`${f.url}${path}${path.startsWith("/settings") ? "" : QUERY}`);
      await page.waitForLoadState("networkidle");
      expect(await violations(page), `${path} (${scheme})`).toEqual([]);
      expect(await repeatedHeadings(page), path).toEqual([]);
    });
  });

  it.each(["light", "dark"] as const)("finds no serious issue on a rep's pages on a phone (%s)", async (scheme) => {
    const context = await loginAs(USERS.sales.email, USERS.sales.password, {
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    await page.emulateMedia({ colorScheme: scheme });
    for (const path of ["/my-leads", "/leads", `/leads/${f.leads["cto@bigcorp.test"]}`, "/notifications"]) {
      await page.goto(`${f.url}${path}`);
      expect(await violations(page), `${path} (${scheme})`).toEqual([]);
    }
    // With the menu open, too.
    await page.getByRole("button", { name: "Menu" }).tap();
    expect(await violations(page), `menu (${scheme})`).toEqual([]);
    await context.close();
  });
});
