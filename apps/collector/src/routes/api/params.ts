import * as v from "valibot";
import { ApiError } from "../../errors.ts";
import { issueReason } from "../../validation.ts";

/** A row id in a path or query: 1 to 15 digits (always a safe integer), never NaN, 0 or a float. */
export const idString = v.pipe(
  v.string(),
  v.regex(/^[1-9]\d{0,14}$/, "expected a positive integer"),
  v.transform(Number),
);

/** A non-negative integer in a query string (limits, epoch ms, user ids), at most 15 digits. */
export const intString = v.pipe(
  v.string(),
  v.regex(/^\d{1,15}$/, "expected a non-negative integer"),
  v.transform(Number),
);

/** A decimal number in a query string (`-12`, `3.5`): no hex, exponents, blanks or Infinity. */
export const numberString = v.pipe(
  v.string(),
  v.regex(/^-?\d{1,12}(\.\d{1,6})?$/, "expected a decimal number"),
  v.transform(Number),
);

/** The `:id` path parameter as a lead id; anything else is a 400 naming the parameter. */
export function idParam(value: string | undefined, name = "id"): number {
  const parsed = v.safeParse(idString, value ?? "");
  if (!parsed.success) throw new ApiError("bad_request", issueReason(parsed.issues, name));
  return parsed.output;
}
