import { ApiError } from "../errors.ts";
import type { SiteAnswer } from "../internal/protocol.ts";
import { SIGNATURE_HEADER, signRequest } from "../internal/signature.ts";
import type { SiteAccess } from "../site-access.ts";
import type { EdgeConfig } from "./env.ts";

/** A signed request to the origin's `/internal/*` endpoints, with the configured timeout. */
export async function originFetch(
  config: EdgeConfig,
  method: "GET" | "POST",
  path: string,
  body = "",
): Promise<Response> {
  const signature = await signRequest(config.EDGE_SECRET, method, path, body);
  return fetch(`${config.ORIGIN_URL}${path}`, {
    method,
    headers: { [SIGNATURE_HEADER]: signature, ...(body ? { "content-type": "application/json" } : {}) },
    body: method === "POST" ? body : undefined,
    signal: AbortSignal.timeout(config.ORIGIN_TIMEOUT_MS),
  });
}

/** The origin is down or slow: the browser gets 503 and retries with the same event ids. */
export function originUnavailable(): ApiError {
  return new ApiError("overloaded", "the collector's origin is unavailable, retry later", { "Retry-After": "1" });
}

/**
 * Sites by public key from the origin, cached for `ttlMs` (unknown keys too, for a tenth of it,
 * so a mistyped snippet does not send every request to the origin). A miss asks the origin; when
 * the origin cannot be reached a stale entry still answers. The cache holds values, never
 * promises: workerd cancels a request that waits on I/O started by another request.
 */
export function createOriginSites(config: EdgeConfig, maxKeys = 10_000) {
  const ttlMs = config.SITE_CACHE_TTL_MS;
  const cache = new Map<string, { site: SiteAccess | undefined; until: number }>();
  return async function siteByKey(key: string): Promise<SiteAccess | undefined> {
    const now = Date.now();
    const hit = cache.get(key);
    if (hit && hit.until > now) return hit.site;
    let site: SiteAccess | undefined;
    try {
      const response = await originFetch(config, "GET", `/internal/sites/${encodeURIComponent(key)}`);
      if (response.status === 404) {
        await response.body?.cancel();
        site = undefined;
      } else if (response.ok) {
        site = ((await response.json()) as SiteAnswer).site;
      } else {
        await response.body?.cancel();
        throw new Error(`origin answered ${response.status}`);
      }
    } catch (error) {
      if (hit) return hit.site;
      console.error(`site lookup failed: ${(error as Error).message}`);
      throw originUnavailable();
    }
    if (cache.size >= maxKeys) cache.clear();
    cache.set(key, { site, until: now + (site ? ttlMs : Math.ceil(ttlMs / 10)) });
    return site;
  };
}
