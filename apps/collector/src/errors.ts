import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** Every error code the collector answers with. */
export const ERROR_CODES = [
  "bad_request",
  "payload_too_large",
  "unknown_site",
  "forbidden_origin",
  "unauthorized",
  "not_found",
  "forbidden",
  "illegal_transition",
  "reason_required",
  "invalid_rule_set",
  "anonymous_visitor",
  "erased",
  "rate_limited",
  "overloaded",
  "internal",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

const STATUS: Record<ErrorCode, ContentfulStatusCode> = {
  bad_request: 400,
  payload_too_large: 413,
  unknown_site: 404,
  forbidden_origin: 403,
  unauthorized: 401,
  not_found: 404,
  forbidden: 403,
  // Sales actions the lifecycle refuses (REST API): the engine's own codes.
  illegal_transition: 409,
  reason_required: 422,
  // A scoring rule set (PUT /v1/scoring) with problems: every one with its JSON path in `fields`.
  invalid_rule_set: 422,
  anonymous_visitor: 409,
  // Identify of a person whose data was erased: refused, nothing stored.
  erased: 410,
  rate_limited: 429,
  overloaded: 503,
  internal: 500,
};

/** One problem with one field of a request body, by its JSON path ("rules[2].caps.perDay"). */
export interface FieldProblem {
  path: string;
  code: string;
  message: string;
}

/**
 * An error a route throws on purpose; `onError` turns it into `{ error: { code, message } }`, plus
 * `fields` when the body had field-level problems.
 */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
    readonly fields?: readonly FieldProblem[],
  ) {
    super(message);
  }
}

/** The one error response shape; 5xx never echoes internals. */
export function errorResponse(c: Context, error: unknown): Response {
  if (error instanceof ApiError) {
    for (const [k, v] of Object.entries(error.headers)) c.header(k, v);
    const body = error.fields
      ? { code: error.code, message: error.message, fields: error.fields }
      : { code: error.code, message: error.message };
    return c.json({ error: body }, STATUS[error.code]);
  }
  console.error(error);
  return c.json({ error: { code: "internal", message: "internal error" } }, 500);
}
