import { error, json } from "@sveltejs/kit";

// The dashboard's one error shape, like the collector's (apps/collector/src/errors.ts): endpoints
// and the hook answer `{ error: { code, message } }`; loads and actions throw SvelteKit's `error()`
// with the same code, and `routes/+error.svelte` shows the page for it in the user's language.

/** Every error code the dashboard answers with. */
export const ERROR_CODES = ["bad_request", "bad_date", "unauthenticated", "forbidden", "csrf", "not_found"] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

const STATUS: Record<ErrorCode, 400 | 401 | 403 | 404> = {
  bad_request: 400,
  // A filter date that does not exist (2026-02-30): the page says which field to fix.
  bad_date: 400,
  unauthenticated: 401,
  forbidden: 403,
  // A write from another site (hooks.server.ts checks Origin): refused before anything runs.
  csrf: 403,
  not_found: 404,
};

/** The HTTP status a code is answered with. */
export function statusOf(code: ErrorCode): number {
  return STATUS[code];
}

/** The JSON answer for an endpoint or the hook: `{ error: { code, message } }` with the code's status. */
export function errorResponse(code: ErrorCode, message: string): Response {
  return json({ error: { code, message } }, { status: STATUS[code] });
}

/** Stops a load, action or endpoint; a page request then shows `+error.svelte` for the code. */
export function raise(code: ErrorCode, message: string): never {
  error(STATUS[code], { code, message });
}

/** The user's role may not do this (403). */
export function forbidden(): never {
  raise("forbidden", "forbidden");
}

/** A record the user may not see answers exactly like one that does not exist. */
export function notFound(): never {
  raise("not_found", "not found");
}
