import { type Database, findLinkByCode, findSiteByKey, type Link, type Site } from "@leadtrail/db";

/**
 * A small TTL cache in front of a lookup: every request needs its site (or link), and garbage
 * traffic with random keys must not grow memory (the map is cleared when it reaches its bound).
 */
function ttlCache<T>(load: (key: string) => Promise<T | undefined>, ttlMs: number, maxKeys = 10_000) {
  const cache = new Map<string, { value: T | undefined; until: number }>();
  return async function lookup(key: string): Promise<T | undefined> {
    const now = Date.now();
    const hit = cache.get(key);
    if (hit && hit.until > now) return hit.value;
    const value = await load(key);
    if (cache.size >= maxKeys) cache.clear();
    cache.set(key, { value, until: now + ttlMs });
    return value;
  };
}

/** Looks sites up by public key, cached for `ttlMs`. */
export function createSiteCache(db: Database, ttlMs = 10_000): (key: string) => Promise<Site | undefined> {
  return ttlCache((key) => findSiteByKey(db, key), ttlMs);
}

/** Looks tracked links up by code, cached for `ttlMs`. */
export function createLinkCache(db: Database, ttlMs = 10_000): (code: string) => Promise<Link | undefined> {
  return ttlCache((code) => findLinkByCode(db, code), ttlMs);
}
