import { isbot } from "isbot";
import { UAParser } from "ua-parser-js";

/** What the collector keeps of a user agent: coarse browser, OS and device class, and whether it is a bot. */
export interface UserAgentInfo {
  bot: boolean;
  browser: string | null;
  os: string | null;
  /** desktop, mobile, tablet, … */
  device: string | null;
}

// Headless and automation browsers that isbot leaves to the caller (it treats some as humans).
const AUTOMATION = /headless|phantomjs|puppeteer|playwright|selenium|webdriver|electron\/|lighthouse/i;

/**
 * Parses user agents with a bounded cache: parsing costs ~60 µs, and real traffic repeats a few
 * hundred strings, so the hot path is a map lookup. The cache is cleared when full.
 */
export function createUserAgentParser(maxEntries = 5000) {
  const cache = new Map<string, UserAgentInfo>();
  return function parseUserAgent(ua: string): UserAgentInfo {
    const hit = cache.get(ua);
    if (hit) return hit;
    const info = parse(ua);
    if (cache.size >= maxEntries) cache.clear();
    cache.set(ua, info);
    return info;
  };
}

function parse(ua: string): UserAgentInfo {
  if (ua === "" || isbot(ua) || AUTOMATION.test(ua)) return { bot: true, browser: null, os: null, device: null };
  const result = UAParser(ua);
  return {
    bot: false,
    browser: result.browser.name ?? null,
    os: result.os.name ?? null,
    device: result.device.type ?? "desktop",
  };
}
