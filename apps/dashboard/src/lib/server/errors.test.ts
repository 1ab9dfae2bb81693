import { isHttpError } from "@sveltejs/kit";
import { describe, expect, it } from "vitest";
import { ERROR_CODES, errorResponse, forbidden, notFound, raise, statusOf } from "./errors.ts";

describe("errorResponse", () => {
  it.each([
    ["bad_request", 400],
    ["bad_date", 400],
    ["unauthenticated", 401],
    ["forbidden", 403],
    ["csrf", 403],
    ["not_found", 404],
  ] as const)("answers %s with %i and the one error shape", async (code, status) => {
    const response = errorResponse(code, "why");
    expect(response.status).toBe(status);
    expect(statusOf(code)).toBe(status);
    expect(response.headers.get("content-type")).toContain("application/json");
    expect(await response.json()).toEqual({ error: { code, message: "why" } });
  });

  it("has a status for every code", () => {
    for (const code of ERROR_CODES) expect(statusOf(code)).toBeGreaterThanOrEqual(400);
  });
});

describe("raise", () => {
  const caught = (f: () => never) => {
    try {
      f();
    } catch (e) {
      return e;
    }
  };

  it.each([
    ["forbidden", forbidden, 403, "forbidden"],
    ["notFound", notFound, 404, "not_found"],
    ["raise(bad_date)", () => raise("bad_date", "from: not a day"), 400, "bad_date"],
  ] as const)("%s throws SvelteKit's error with the status and code for +error.svelte", (_, f, status, code) => {
    const e = caught(f);
    expect(isHttpError(e)).toBe(true);
    expect(e).toMatchObject({ status, body: { code } });
  });
});
