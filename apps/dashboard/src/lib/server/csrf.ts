const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * True when a state-changing request did not come from the dashboard's own pages. SvelteKit's
 * built-in check covers form content types only; this one covers every method and content type
 * (JSON included): the browser's Origin header must equal the app's origin, or, where a browser
 * sends no Origin, Sec-Fetch-Site must say same-origin. A request with neither is refused.
 */
export function isCrossSiteWrite(request: Request, appOrigin: string): boolean {
  if (SAFE_METHODS.has(request.method)) return false;
  const origin = request.headers.get("origin");
  if (origin !== null) return origin !== appOrigin;
  return request.headers.get("sec-fetch-site") !== "same-origin";
}
