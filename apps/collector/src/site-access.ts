import type { Site } from "@leadtrail/db";

/**
 * What the collection routes need of a site: its id, key, domains and settings. The origin reads
 * it from the database; the edge gets it from the origin (`GET /internal/sites/:key`), never the
 * secret key's hash.
 */
export type SiteAccess = Pick<Site, "id" | "publicKey" | "domains" | "settings">;

/** True when `host` is one of the site's domains; "*.example.com" also allows subdomains. */
export function isAllowedHost(site: Pick<Site, "domains">, host: string | undefined): boolean {
  if (!host) return false;
  const h = host.toLowerCase();
  return site.domains.some((d) => {
    const domain = d.toLowerCase();
    if (domain.startsWith("*.")) return h === domain.slice(2) || h.endsWith(domain.slice(1));
    return h === domain;
  });
}

/** Browser identify per site settings: "trusted", "unverified" (default) or "off". */
export function browserIdentifyMode(site: Pick<Site, "settings">): "trusted" | "unverified" | "off" {
  const mode = site.settings.browserIdentify;
  return mode === "trusted" || mode === "off" ? mode : "unverified";
}
