import { type Campaign, type Database, findSiteLink, type Link, type Site } from "@leadtrail/db";
import QRCode from "qrcode";
import type { MessageKey } from "$lib/i18n/index.ts";
import { campaignOfUrlId } from "./campaigns.ts";
import { notFound } from "./errors.ts";
import { parseId } from "./input.ts";

// Tracked links and QR codes of a campaign (the article's phase 3): a UTM builder whose target
// must stay on the site, a short code the collector serves at /r/<code>, and the QR code for print.

const UTM_KEYS = ["utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term"] as const;
/** Field names of the UTM builder, by UTM parameter. */
export const UTM_FIELDS: Record<(typeof UTM_KEYS)[number], string> = {
  utm_source: "source",
  utm_medium: "medium",
  utm_campaign: "campaign",
  utm_content: "content",
  utm_term: "term",
};
const REQUIRED_UTM = new Set(["utm_source", "utm_medium", "utm_campaign"]);
const UTM_VALUE_RE = /^[\w.~+-]{1,100}$/;
/** A chosen code: what fits in a URL path segment and reads well on a poster. */
export const CODE_RE = /^[a-z0-9](?:[a-z0-9-]{1,62}[a-z0-9])$/;
const CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"; // no 0/o, 1/l/i: codes get typed from print

/** A validated tracked link, ready to store. */
export interface LinkInput {
  code: string;
  kind: "link" | "qr";
  target: string;
  utm: Record<string, string>;
}

export type ParsedLink = { ok: true; value: LinkInput } | { ok: false; error: MessageKey; field: string };

/** A random short code (8 characters, ~40 bits): unguessable enough that codes cannot be enumerated. */
export function generateCode(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  let code = "";
  for (const b of bytes) code += CODE_ALPHABET[b % CODE_ALPHABET.length];
  return code;
}

/** True when `host` is one of the site's domains ("*.example.com" also allows its subdomains). */
export function siteAllowsHost(domains: readonly string[], host: string): boolean {
  const h = host.toLowerCase();
  return domains.some((d) => {
    const domain = d.toLowerCase();
    if (domain.startsWith("*.")) return h === domain.slice(2) || h.endsWith(domain.slice(1));
    return h === domain;
  });
}

/**
 * A link target: a path on the collector's host ("/pricing", no "//") or an http(s) URL on one of
 * the site's allowed domains — a tracked link must never become an open redirect to anywhere.
 */
export function parseTarget(value: string, site: Pick<Site, "domains">): string | undefined {
  if (value.length === 0 || value.length > 2000) return undefined;
  if (value.startsWith("/")) {
    if (value.startsWith("//") || value.includes("\\")) return undefined;
    try {
      const url = new URL(value, "http://relative.invalid");
      return url.host === "relative.invalid" ? `${url.pathname}${url.search}${url.hash}` : undefined;
    } catch {
      return undefined;
    }
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
  if (url.username || url.password || !siteAllowsHost(site.domains, url.hostname)) return undefined;
  return url.toString();
}

/**
 * The link form, validated: kind (link or qr), target (see `parseTarget`), UTM source, medium and
 * campaign (required; the campaign defaults to the campaign's utm_campaign), content and term
 * (optional), and the code: chosen (lower-case letters, digits, dashes; not yet taken) or generated.
 */
export async function parseLinkForm(
  form: FormData,
  site: Pick<Site, "domains">,
  campaign: Pick<Campaign, "utmCampaign">,
  codeTaken: (code: string) => Promise<boolean>,
): Promise<ParsedLink> {
  const get = (name: string) => String(form.get(name) ?? "").trim();
  const kind = get("kind") || "link";
  if (kind !== "link" && kind !== "qr") return { ok: false, error: "links.badKind", field: "kind" };
  const target = parseTarget(get("target"), site);
  if (!target) return { ok: false, error: "links.badTarget", field: "target" };
  const utm: Record<string, string> = {};
  for (const key of UTM_KEYS) {
    const field = UTM_FIELDS[key];
    const value = get(field) || (key === "utm_campaign" ? (campaign.utmCampaign ?? "") : "");
    if (value === "") {
      if (REQUIRED_UTM.has(key)) return { ok: false, error: "links.utmRequired", field };
      continue;
    }
    if (!UTM_VALUE_RE.test(value)) return { ok: false, error: "links.badUtm", field };
    utm[key] = value;
  }
  const chosen = get("code").toLowerCase();
  let code: string;
  if (chosen) {
    if (!CODE_RE.test(chosen)) return { ok: false, error: "links.badCode", field: "code" };
    if (await codeTaken(chosen)) return { ok: false, error: "links.codeTaken", field: "code" };
    code = chosen;
  } else {
    do code = generateCode();
    while (await codeTaken(code));
  }
  return { ok: true, value: { code, kind, target, utm } };
}

/** The collector's public address: COLLECTOR_URL, else the dashboard's host on the collector's port. */
export function collectorBase(configured: string | undefined, url: URL): string {
  return (configured || `${url.protocol}//${url.hostname}:8787`).replace(/\/$/, "");
}

/** The short URL of a code that the QR code encodes and a printed link shows. */
export function shortUrl(base: string, code: string): string {
  return `${base}/r/${encodeURIComponent(code)}`;
}

// Error correction "M" (15% may be damaged) with the standard four-module quiet zone: survives
// a poster's wear and still scans from a distance.
const QR_OPTIONS = { errorCorrectionLevel: "M", margin: 4 } as const;

/** The QR code of a URL as an SVG document (scales to any print size). */
export async function qrSvg(content: string): Promise<string> {
  return QRCode.toString(content, { ...QR_OPTIONS, type: "svg" });
}

/** The QR code of a URL as a PNG of `width` pixels (1024 by default: sharp at 8 cm and 300 dpi). */
export async function qrPng(content: string, width = 1024): Promise<Uint8Array<ArrayBuffer>> {
  return Uint8Array.from(await QRCode.toBuffer(content, { ...QR_OPTIONS, type: "png", width }));
}

/** The headers of a QR code download: its type, a file name for print, never cached by proxies. */
export function qrHeaders(contentType: string, fileName: string): Record<string, string> {
  return {
    "content-type": contentType,
    "content-disposition": `attachment; filename="${fileName.replace(/[^\w.-]/g, "_")}"`,
    "cache-control": "private, no-store",
    "x-content-type-options": "nosniff",
  };
}

/** A tracked link of the URL's campaign (`[id]`, `[link]`) with its site; 404 for anything else. */
export async function campaignLinkOf(
  db: Database,
  idParam: string,
  linkParam: string,
): Promise<{ link: Link; site: Site }> {
  const { campaign, site } = await campaignOfUrlId(db, idParam);
  const id = parseId(linkParam);
  const link = id === undefined ? undefined : await findSiteLink(db, site.id, id);
  if (!link || link.campaignId !== campaign.id) notFound();
  return { link, site };
}
