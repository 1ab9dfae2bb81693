import * as v from "valibot";
import type { MessageKey } from "$lib/i18n/index.ts";
import { parseNumber } from "./input.ts";

// Valibot pieces for form actions: each check carries the i18n key the page shows as its message,
// and `readForm` answers with the first field that failed, so an action's 400 names the field.
// They read fields the way `formText`/`parseId`/`parseChoice` do (trimmed, capped, files count as absent).

/** Trimmed text cut to `max` characters; "" when the field is missing (like `formText`). */
export function text(max = Number.POSITIVE_INFINITY) {
  return v.pipe(
    v.optional(v.string(), ""),
    v.trim(),
    v.transform((s) => s.slice(0, max)),
  );
}

/** Text that must not be empty. */
export function required(max: number, message: MessageKey) {
  return v.pipe(text(max), v.nonEmpty(message));
}

/** A database row id (1 … 2^53−1 in plain digits), like `parseId`; `message` says which record. */
export function recordId(message: MessageKey = "input.badId") {
  return v.pipe(
    v.string(message),
    v.trim(),
    v.regex(/^[1-9]\d{0,15}$/, message),
    v.transform(Number),
    v.safeInteger(message),
  );
}

/** A whole number in [min, max], like `parseNumber` with `integer`. */
export function wholeNumber(range: { min: number; max: number }, message: MessageKey) {
  return parsedText(64, (text) => parseNumber(text, { ...range, integer: true }), message);
}

/** A whole number in [min, max], or null for an empty field (an optional setting left blank). */
export function optionalWholeNumber(range: { min: number; max: number }, message: MessageKey) {
  return v.pipe(
    text(64),
    v.rawTransform(({ dataset, addIssue, NEVER }) => {
      if (dataset.value === "") return null;
      const n = parseNumber(dataset.value, { ...range, integer: true });
      if (n === undefined) {
        addIssue({ message });
        return NEVER;
      }
      return n;
    }),
  );
}

/** One of `choices` (trimmed), like `parseChoice`. */
export function choice<const T extends string>(choices: readonly T[], message: MessageKey) {
  return v.pipe(v.string(message), v.trim(), v.picklist(choices, message));
}

/** Text turned into a value by `parse`; null or undefined from it is a failure with `message`. */
export function parsedText<T>(max: number, parse: (text: string) => T | null | undefined, message: MessageKey) {
  return v.pipe(
    text(max),
    v.rawTransform(({ dataset, addIssue, NEVER }) => {
      const value = parse(dataset.value);
      if (value === null || value === undefined) {
        addIssue({ message });
        return NEVER;
      }
      return value;
    }),
  );
}

/** A failed form: the field and the message key for it. */
export interface FormProblem {
  field: string;
  error: MessageKey;
}

type FormSchema = v.ObjectSchema<v.ObjectEntries, undefined>;

/** The schema's fields read from `form` (text or absent), parsed; on failure the first field that failed. */
export function readForm<S extends FormSchema>(
  form: FormData,
  schema: S,
): { ok: true; value: v.InferOutput<S> } | ({ ok: false } & FormProblem) {
  const input: Record<string, string | undefined> = {};
  for (const key of Object.keys(schema.entries)) {
    const value = form.get(key);
    input[key] = typeof value === "string" ? value : undefined;
  }
  const result = v.safeParse(schema, input, { abortEarly: true });
  if (result.success) return { ok: true, value: result.output };
  const [issue] = result.issues;
  return { ok: false, field: v.getDotPath(issue) ?? "", error: issue.message as MessageKey };
}
