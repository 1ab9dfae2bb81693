import { type Database, findSiteByKey, type Site } from "@leadtrail/db";

/** Looks sites up by public key with a short in-memory cache: every ingest request needs one. */
export function createSiteCache(db: Database, ttlMs = 10_000) {
  const cache = new Map<string, { site: Site | undefined; until: number }>();
  return async function siteByKey(key: string): Promise<Site | undefined> {
    const now = Date.now();
    const hit = cache.get(key);
    if (hit && hit.until > now) return hit.site;
    const site = await findSiteByKey(db, key);
    if (cache.size > 10_000) cache.clear(); // unknown keys from garbage traffic must not grow memory
    cache.set(key, { site, until: now + ttlMs });
    return site;
  };
}

/** True when `host` is one of the site's domains; "*.example.com" also allows subdomains. */
export function isAllowedHost(site: Site, host: string | undefined): boolean {
  if (!host) return false;
  const h = host.toLowerCase();
  return site.domains.some((d) => {
    const domain = d.toLowerCase();
    if (domain.startsWith("*.")) return h === domain.slice(2) || h.endsWith(domain.slice(1));
    return h === domain;
  });
}
