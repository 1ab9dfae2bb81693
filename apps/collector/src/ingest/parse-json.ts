import { jsonNestsDeeperThan, wellFormedJsonText } from "@leadtrail/db";
import { ApiError } from "../errors.ts";

/**
 * The deepest nesting any body the collector accepts may have. A batch needs 3 levels
 * (`{ events: [ { props: {…} } ] }`); the rest is headroom. Bounding it before anything recursive
 * runs keeps a body of 100,000 `[` from overflowing the stack (JSON.stringify, valibot).
 */
export const MAX_JSON_DEPTH = 16;

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
