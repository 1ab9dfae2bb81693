/**
 * The content catalogue: which pages and URLs are which content, and what they are about. Consumed
 * topics are derived from the paths a lead viewed, so behaviour criteria need no tagging on the site.
 */
import { globMatch } from "@leadtrail/scoring";
import type { ContentItem } from "./types.ts";

/** Query, fragment and a trailing slash never make a different piece of content. */
function normalise(pathOrUrl: string): { path: string; url: string | null } {
  let value = pathOrUrl.trim();
  const cut = value.search(/[?#]/);
  if (cut >= 0) value = value.slice(0, cut);
  const absolute = /^https?:\/\//i.exec(value);
  let path = value;
  if (absolute) {
    const slash = value.indexOf("/", absolute[0].length);
    path = slash < 0 ? "/" : value.slice(slash);
  }
  if (path.length > 1 && path.endsWith("/")) path = path.slice(0, -1);
  if (!path.startsWith("/")) path = `/${path}`;
  let url = absolute ? value : null;
  if (url?.endsWith("/") && path !== "/") url = url.slice(0, -1);
  return { path, url };
}

function patternMatches(pattern: string, target: { path: string; url: string | null }): boolean {
  if (pattern.startsWith("/")) {
    // "/pricing/" written by an editor means the same page as "/pricing".
    const p = pattern.length > 1 && pattern.endsWith("/") ? pattern.slice(0, -1) : pattern;
    return globMatch(p, target.path);
  }
  return target.url !== null && globMatch(pattern.replace(/\/$/, ""), target.url);
}

/** The catalogue items a page path or URL belongs to (usually one), in catalogue order. */
export function contentAt(pathOrUrl: string, catalogue: readonly ContentItem[]): ContentItem[] {
  const target = normalise(pathOrUrl);
  return catalogue.filter((item) => item.match.some((pattern) => patternMatches(pattern, target)));
}

/** The topics of the content at a path or URL: lower-case, unique, sorted; empty for uncatalogued pages. */
export function topicsOf(pathOrUrl: string, catalogue: readonly ContentItem[]): string[] {
  const topics = new Set<string>();
  for (const item of contentAt(pathOrUrl, catalogue)) for (const t of item.topics) topics.add(normTopic(t));
  return [...topics].sort();
}

/** What a lead consumed, derived from the paths (or URLs) it viewed. */
export interface Consumption {
  /** Distinct content ids, sorted. */
  contentIds: string[];
  /** topic → distinct content items of that topic consumed (what persona `topics` criteria count). */
  topics: Record<string, number>;
}

/**
 * Turns viewed paths into consumed content and topic counts. Counts are of distinct items, not of
 * views: reloading one blog post five times is one item read, not five.
 */
export function consumption(paths: Iterable<string>, catalogue: readonly ContentItem[]): Consumption {
  const items = new Map<string, ContentItem>();
  for (const path of paths) for (const item of contentAt(path, catalogue)) items.set(item.id, item);
  const topics: Record<string, number> = {};
  for (const item of items.values()) {
    for (const topic of new Set(item.topics.map(normTopic))) topics[topic] = (topics[topic] ?? 0) + 1;
  }
  return { contentIds: [...items.keys()].sort(), topics };
}

/** The link to offer for an item: `href`, else its first pattern when that has no wildcard; null otherwise. */
export function contentHref(item: ContentItem): string | null {
  if (item.href) return item.href;
  const first = item.match[0];
  return first !== undefined && !/[*?]/.test(first) ? first : null;
}

/** Topics compare trimmed and lower-case everywhere. */
export function normTopic(topic: string): string {
  return topic.trim().toLowerCase();
}
