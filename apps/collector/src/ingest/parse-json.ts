import { wellFormedJsonText } from "@leadtrail/db";
import { ApiError } from "../errors.ts";

/**
 * The deepest nesting any body the collector accepts may have. A batch needs 3 levels
 * (`{ events: [ { props: {…} } ] }`); the rest is headroom. Bounding it before anything recursive
 * runs keeps a body of 100,000 `[` from overflowing the stack (JSON.stringify, valibot).
 */
export const MAX_JSON_DEPTH = 16;

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
      if (ch === 0x5c)
        i++; // backslash: the next character is escaped
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) inString = true;
    else if (ch === 0x7b || ch === 0x5b) {
      if (++depth > max) return true;
    } else if (ch === 0x7d || ch === 0x5d) depth--;
  }
  return false;
}

/**
 * Parses a request body as JSON for every collector route: nesting over MAX_JSON_DEPTH or invalid
 * JSON is a 400, and every string in the result — keys too — is well-formed Unicode (a lone UTF-16
 * surrogate escape such as `"\ud800"` becomes U+FFFD), so no text that could not be stored as UTF-8
 * goes further.
 */
export function parseJsonBody(text: string): unknown {
  if (jsonNestsDeeperThan(text, MAX_JSON_DEPTH)) {
    throw new ApiError("bad_request", `body is nested deeper than ${MAX_JSON_DEPTH} levels`);
  }
  try {
    return JSON.parse(wellFormedJsonText(text));
  } catch {
    throw new ApiError("bad_request", "body is not valid JSON");
  }
}
