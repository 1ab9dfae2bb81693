import { API_KEY_SCOPES, type ApiKeyScope } from "@leadtrail/db";
import { parseId } from "./input.ts";

// The site and scopes (read, write, admin) an admin gives an API key, read from a settings form (creating a key, or
// changing its grant later): one site, at least one known scope.

/** A key's grant from the form's `site` (a site id) and `scopes` fields, or why it is refused. */
export function parseKeyGrant(
  form: FormData,
  siteIds: readonly number[],
):
  | { ok: true; siteId: number; scopes: ApiKeyScope[] }
  | { ok: false; error: "webhooks.badGrant" | "webhooks.noScopes" } {
  const siteId = parseId(form.get("site"));
  if (siteId === undefined || !siteIds.includes(siteId)) return { ok: false, error: "webhooks.badGrant" };
  const chosen = new Set(form.getAll("scopes").map(String));
  const scopes = API_KEY_SCOPES.filter((s) => chosen.has(s));
  if (scopes.length === 0) return { ok: false, error: "webhooks.noScopes" };
  return { ok: true, siteId, scopes };
}
