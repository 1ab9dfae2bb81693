import { LruMap } from "./lru.ts";

/** Where a visit came from, in the buckets marketers use. */
export type Channel = "search" | "social" | "email" | "paid" | "direct" | "referral" | "qr";

const SEARCH = /(^|\.)(google|bing|duckduckgo|yahoo|ecosia|qwant|baidu|yandex|startpage)\./;
const SOCIAL = /(^|\.)(linkedin|lnkd|facebook|instagram|twitter|x|t|xing|reddit|youtube|mastodon)\.(com|co|in|social)$/;
const PAID_MEDIUMS = new Set(["cpc", "ppc", "paid", "paidsearch", "display", "paid_social", "ads"]);

/** What the collector reads from a URL; undefined fields for a string that is not a URL. */
export interface UrlParts {
  hostname: string | undefined;
  /** Path without query and hash, only for http(s) URLs. */
  path: string | undefined;
}

const NOT_A_URL: UrlParts = { hostname: undefined, path: undefined };
// A request's Origin, page URL and referrer are parsed up to four times, and a site's visitors
// send the same few hundred of each: `new URL()` (~2 µs) runs once per distinct string.
const parsedUrls = new LruMap<string, UrlParts>(4096);

/** Hostname and http(s) path of a URL, memoised; only strings of a sane length are remembered. */
export function urlParts(url: string): UrlParts {
  let parts = parsedUrls.get(url);
  if (parts) return parts;
  try {
    const parsed = new URL(url);
    const http = parsed.protocol === "http:" || parsed.protocol === "https:";
    parts = { hostname: parsed.hostname, path: http ? parsed.pathname : undefined };
  } catch {
    parts = NOT_A_URL;
  }
  if (url.length <= 512) parsedUrls.set(url, parts);
  return parts;
}

/** The referrer's hostname without "www.", or undefined for none / unparseable / same host. */
export function referrerDomain(referrer: string | undefined, pageHost?: string): string | undefined {
  if (!referrer) return undefined;
  const host = urlParts(referrer).hostname?.replace(/^www\./, "");
  return host && host !== pageHost?.replace(/^www\./, "") ? host : undefined;
}

/** Classifies a landing: UTM medium and click ids first, then the referrer's domain. */
export function classifyChannel(input: { referrerDomain?: string; utmMedium?: string; clickId?: string }): Channel {
  const medium = input.utmMedium?.toLowerCase();
  if (input.clickId || (medium && PAID_MEDIUMS.has(medium))) return "paid";
  if (medium === "email" || medium === "newsletter") return "email";
  if (medium === "qr" || medium === "poster") return "qr";
  if (medium === "social") return "social";
  const domain = input.referrerDomain;
  if (!domain) return "direct";
  if (SEARCH.test(domain)) return "search";
  if (SOCIAL.test(domain)) return "social";
  return "referral";
}

/** Path of a URL (without query and hash), or undefined when it is not an http(s) URL. */
export function pathOf(url: string | undefined): string | undefined {
  return url ? urlParts(url).path : undefined;
}
