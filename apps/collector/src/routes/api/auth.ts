import { type ApiKeyScope, findApiKeyByHash, findApiKeyGrant } from "@leadtrail/db";
import type { Actor } from "@leadtrail/scoring";
import { apiKeyHash } from "@leadtrail/workflows";
import type { Context } from "hono";
import type { AppDeps } from "../../app.ts";
import { ApiError } from "../../errors.ts";

/** Who is calling the REST API: the key, the one site it sees and what it may do. */
export interface ApiCaller {
  keyId: number;
  siteId: number;
  scopes: readonly string[];
  /** The user who created the key, if any (rule versions published through the API name them). */
  userId: number | null;
  /** The stage history names the user who created the key (or `system`). */
  actor: Actor;
}

/**
 * Authenticates `Authorization: Bearer <API key>`: the key's SHA-256 (hex, as the dashboard
 * stores it) must belong to an unrevoked key with a site grant, and the grant must hold `scope`.
 * Missing or unknown keys are 401; a known key without the scope is 403.
 */
export async function authenticate(c: Context, deps: AppDeps, scope: ApiKeyScope): Promise<ApiCaller> {
  const secret = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "")?.[1];
  if (!secret) throw new ApiError("unauthorized", "an API key is required (Authorization: Bearer …)");
  const key = await findApiKeyByHash(deps.db, await apiKeyHash(secret), deps.now(c));
  const grant = key ? await findApiKeyGrant(deps.db, key.id) : undefined;
  if (!key || !grant) throw new ApiError("unauthorized", "invalid API key");
  if (!grant.scopes.includes(scope)) throw new ApiError("forbidden", `this API key lacks the "${scope}" scope`);
  return {
    keyId: key.id,
    siteId: grant.siteId,
    scopes: grant.scopes,
    userId: key.createdBy,
    actor: key.createdBy === null ? "system" : `user:${key.createdBy}`,
  };
}
