const HOST_RE = /^(\*\.)?(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

/**
 * Allowed domains from a textarea (one per line or comma-separated): lower-cased hostnames with
 * an optional leading "*." for subdomains. Returns null when any entry is not a hostname.
 */
export function parseDomains(input: string): string[] | null {
  const entries = input
    .split(/[\s,]+/)
    .map((d) => d.trim().toLowerCase())
    .filter(Boolean);
  if (entries.length === 0 || entries.length > 20) return null;
  if (!entries.every((d) => HOST_RE.test(d))) return null;
  return [...new Set(entries)];
}

/** A plausible e-mail address (the server only needs it to be unique and log-in-able). */
export function isEmail(value: string): boolean {
  return /^[^\s@]{1,64}@[^\s@]{1,190}$/.test(value);
}

/** A form field as trimmed text, cut to `max` characters; "" when it is missing or not text (a file). */
export function formText(form: FormData, name: string, max = Number.POSITIVE_INFINITY): string {
  const value = form.get(name);
  return typeof value === "string" ? value.trim().slice(0, max) : "";
}

/** The IANA zones the runtime knows (plus UTC), for the time zone field and its validation. */
export const TIME_ZONES: readonly string[] = ["UTC", ...Intl.supportedValuesOf("timeZone").filter((z) => z !== "UTC")];
const ZONE_SET = new Set(TIME_ZONES);

/** A time zone name from a form: one of `TIME_ZONES`, else null. */
export function parseTimeZone(input: string): string | null {
  const zone = input.trim();
  return zone.length <= 64 && ZONE_SET.has(zone) ? zone : null;
}
