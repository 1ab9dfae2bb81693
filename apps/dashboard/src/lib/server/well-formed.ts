import { jsonNestsDeeperThan, wellFormedJsonText } from "@leadtrail/db";

/** The deepest JSON any dashboard endpoint accepts (its bodies are flat: `{ ids: [1, 2] }`). */
export const MAX_JSON_DEPTH = 16;

/**
 * Makes every body an action or endpoint reads from `request` well-formed Unicode, in one place
 * (hooks.server.ts) instead of in each of the forty-odd actions: `formData()` yields keys and
 * string values with lone UTF-16 surrogates replaced by U+FFFD (the platform's form decoders
 * already decode bytes as UTF-8, so this holds whatever parser runs), and `json()` refuses JSON
 * nested deeper than MAX_JSON_DEPTH before parsing (a SyntaxError, as for any unparsable body:
 * callers answer 400) and turns lone surrogate escapes (`"\ud800"`) into U+FFFD. Text that is not
 * well-formed could otherwise reach SQLite's JSON functions and be stored as invalid UTF-8, which
 * aborts the process that reads it (issue #13).
 */
export function wellFormedBodies(request: Request): void {
  const readForm = request.formData.bind(request);
  const readText = request.text.bind(request);
  Object.defineProperty(request, "formData", {
    configurable: true,
    value: async () => wellFormedForm(await readForm()),
  });
  Object.defineProperty(request, "json", {
    configurable: true,
    value: async () => parseWellFormedJson(await readText()),
  });
}

/** A copy of `form` whose names and string values are well-formed; files are kept as they are. */
export function wellFormedForm(form: FormData): FormData {
  const out = new FormData();
  for (const [name, value] of form) {
    if (typeof value === "string") out.append(name.toWellFormed(), value.toWellFormed());
    else out.append(name.toWellFormed(), value);
  }
  return out;
}

/** JSON.parse with bounded depth and well-formed strings (keys too). Throws SyntaxError like JSON.parse. */
export function parseWellFormedJson(text: string): unknown {
  if (jsonNestsDeeperThan(text, MAX_JSON_DEPTH))
    throw new SyntaxError(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
  return JSON.parse(wellFormedJsonText(text));
}
