/** Where a visit came from, in the buckets marketers use. */
export type Channel = "search" | "social" | "email" | "paid" | "direct" | "referral" | "qr";

const SEARCH = /(^|\.)(google|bing|duckduckgo|yahoo|ecosia|qwant|baidu|yandex|startpage)\./;
const SOCIAL = /(^|\.)(linkedin|lnkd|facebook|instagram|twitter|x|t|xing|reddit|youtube|mastodon)\.(com|co|in|social)$/;
const PAID_MEDIUMS = new Set(["cpc", "ppc", "paid", "paidsearch", "display", "paid_social", "ads"]);

/** The referrer's hostname without "www.", or undefined for none / unparseable / same host. */
export function referrerDomain(referrer: string | undefined, pageHost?: string): string | undefined {
  if (!referrer) return undefined;
  try {
    const host = new URL(referrer).hostname.replace(/^www\./, "");
    return host && host !== pageHost?.replace(/^www\./, "") ? host : undefined;
  } catch {
    return undefined;
  }
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
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.pathname : undefined;
  } catch {
    return undefined;
  }
}
