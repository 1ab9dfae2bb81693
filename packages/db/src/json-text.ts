// Text handed to SQLite must decode to valid UTF-8. A JS string may hold a lone UTF-16 surrogate
// ("\ud800"), and `JSON.stringify` writes one as the escape `\ud800`: SQLite's JSON functions
// (`json_each`, `->>`) decode that escape into the bytes ED A0 80, which are not UTF-8, and the
// native libSQL driver panics and aborts the whole process when it next reads such a value. Strings
// bound directly as arguments are safe (the driver replaces lone surrogates with U+FFFD); JSON text
// is not. Every JSON text this package writes goes through `sqlJson`.

/**
 * One token of JSON text that matters here: an escaped backslash (kept, so `\\ud800` — a literal
 * backslash followed by "ud800" — is never mistaken for an escape), a valid escaped surrogate pair
 * (kept), or a surrogate escape on its own (replaced by `\ufffd`).
 */
const SURROGATE_ESCAPES =
  /\\\\|\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}|\\u[dD][89a-fA-F][0-9a-fA-F]{2}/g;

/**
 * JSON text made safe for SQLite's JSON functions: lone surrogates, raw or escaped, become U+FFFD
 * (`\ufffd`); everything else, including escaped control characters and valid escaped pairs, is
 * unchanged. Cheap when there is nothing to fix (one `indexOf`, one `isWellFormed`).
 */
export function wellFormedJsonText(json: string): string {
  const text = json.isWellFormed() ? json : json.toWellFormed();
  if (!text.includes("\\u")) return text;
  return text.replace(SURROGATE_ESCAPES, (token) => (token.length === 6 ? "\\ufffd" : token));
}

/** `JSON.stringify(value)` for a statement argument: never an escape that decodes to a lone surrogate. */
export function sqlJson(value: unknown): string {
  const json: string | undefined = JSON.stringify(value);
  // `undefined` (a function or undefined at the top) is passed on as JSON.stringify returns it.
  return json === undefined ? (json as unknown as string) : wellFormedJsonText(json);
}

/**
 * Whether `text` opens more than `max` arrays/objects inside one another. One linear pass over the
 * characters, skipping strings; a text shorter than `max` cannot nest that deep and is not scanned.
 * Invalid JSON may be miscounted here, but JSON.parse refuses it right after.
 */
export function jsonNestsDeeperThan(text: string, max: number): boolean {
  if (text.length <= max) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c) {
        i++; // a backslash: the character after it is escaped, never the end of the string
      } else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) inString = true;
    else if (ch === 0x7b || ch === 0x5b) {
      if (++depth > max) return true;
    } else if (ch === 0x7d || ch === 0x5d) depth--;
  }
  return false;
}

/** Parses a JSON column that may come back as text. */
export function parseJson(value: unknown): unknown {
  if (typeof value !== "string") return value ?? null;
  try {
    return JSON.parse(value);
  } catch {
    return null;
  }
}
