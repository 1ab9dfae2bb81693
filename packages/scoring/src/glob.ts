/**
 * Case-insensitive glob matching for paths, URLs, names and codes: `*` is any run of characters
 * (slashes included, so "*\/pricing*" matches "/de/pricing/plans"), `?` is one character.
 * Compiled patterns are cached because the same few rule patterns are tested on every event.
 */
const cache = new Map<string, RegExp>();
const CACHE_LIMIT = 10_000;

/** Compiles a glob into an anchored, case-insensitive regular expression. */
export function compileGlob(pattern: string): RegExp {
  const hit = cache.get(pattern);
  if (hit) return hit;
  let source = "";
  for (const ch of pattern) {
    if (ch === "*") source += ".*";
    else if (ch === "?") source += ".";
    else source += ch.replace(/[\\^$.|+()[\]{}]/g, "\\$&");
  }
  const re = new RegExp(`^${source}$`, "is");
  // A pure function may memoise; the bound keeps rule editors typing patterns from growing it forever.
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(pattern, re);
  return re;
}

/** True when `value` matches the glob `pattern` (case-insensitive). */
export function globMatch(pattern: string, value: string): boolean {
  if (!pattern.includes("*") && !pattern.includes("?")) return pattern.toLowerCase() === value.toLowerCase();
  return compileGlob(pattern).test(value);
}

/** True when `value` matches any of the patterns. */
export function globMatchAny(patterns: string | string[], value: string | undefined): boolean {
  if (value === undefined) return false;
  if (typeof patterns === "string") return globMatch(patterns, value);
  return patterns.some((p) => globMatch(p, value));
}
