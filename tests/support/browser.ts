import { existsSync } from "node:fs";
import { type Browser, chromium, type Page } from "playwright-core";

const CANDIDATES = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"];

/** Path of the system Chromium, or undefined when none is installed. */
export const chromiumPath = CANDIDATES.find((p): p is string => !!p && existsSync(p));

/**
 * Browser tests may skip only on a developer machine without Chromium; in CI a missing
 * browser is a failure, so `describe.skipIf(skipBrowserTests)` never hides a broken install.
 */
export const skipBrowserTests = !chromiumPath && !process.env.CI;

/** Launches headless Chromium with the flags this closed network needs, and `extraArgs`. */
export async function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  if (!chromiumPath) throw new Error("Chromium not found: install it with `apt-get install -y chromium`");
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      ...extraArgs,
    ],
  });
}

/**
 * Headless Chromium says "HeadlessChrome" in its user agent, and the collector rightly drops such
 * traffic as a bot. Tests that play a human visitor use this ordinary desktop Chrome string instead.
 */
export const VISITOR_USER_AGENT =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

/** A page in a fresh context that looks like a real visitor's browser. */
export async function newVisitorPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ userAgent: VISITOR_USER_AGENT });
  return context.newPage();
}
