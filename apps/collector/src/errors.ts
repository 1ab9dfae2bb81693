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
  anonymous_visitor: 409,
  // Identify of a person whose data was erased: refused, nothing stored.
  erased: 410,
  rate_limited: 429,
  overloaded: 503,
  internal: 500,
};

/** An error a route throws on purpose; `onError` turns it into `{ error: { code, message } }`. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** The one error response shape; 5xx never echoes internals. */
export function errorResponse(c: Context, error: unknown): Response {
  if (error instanceof ApiError) {
    for (const [k, v] of Object.entries(error.headers)) c.header(k, v);
    return c.json({ error: { code: error.code, message: error.message } }, STATUS[error.code]);
  }
  console.error(error);
  return c.json({ error: { code: "internal", message: "internal error" } }, 500);
}
