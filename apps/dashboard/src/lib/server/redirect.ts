/** Longest redirect target kept: a `next` longer than any page address is not one of ours. */
const MAX_NEXT_LENGTH = 2000;

// C0 and C1 control characters, DEL, and the Unicode line/paragraph separators: browsers strip
// tabs and newlines from URLs ("/\t/evil.example" becomes "//evil.example"), and a newline in a
// Location header makes Node refuse the whole answer.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\\]/;

/**
 * Where to send the browser after log-in (or any redirect whose target comes from the request):
 * `next` only when it resolves to this very origin and has no control characters or backslashes
 * (which browsers read as slashes), as the path, query and fragment of that origin; otherwise `/`.
 * Every redirect target taken from a request goes through here.
 */
export function safeNext(next: string | null | undefined, origin: string): string {
  if (!next || next.length > MAX_NEXT_LENGTH || UNSAFE_CHARACTERS.test(next)) return "/";
  let target: URL;
  try {
    target = new URL(next, origin);
  } catch {
    return "/";
  }
  if (target.origin !== new URL(origin).origin) return "/";
  // A relative path, so the Location header never names a host at all.
  return `${target.pathname}${target.search}${target.hash}`;
}
