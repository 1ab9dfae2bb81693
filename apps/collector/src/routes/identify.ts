import type { Site } from "@leadtrail/db";
import type { Hono } from "hono";
import type { AppDeps } from "../app.ts";
import { ApiError } from "../errors.ts";
import { readCappedText } from "../ingest/body.ts";
import { parseLeadOrigin } from "../ingest/lead-origin.ts";
import { parseJsonBody } from "../ingest/parse-json.ts";
import { MAX_EVENT_BYTES, parseIdentify } from "../ingest/schema.ts";
import { submitOp } from "../ingest/submit.ts";
import type { IdentifyResult } from "../ingest/write-ops.ts";
import { authenticate } from "./api/auth.ts";

/**
 * `POST /v1/identify` with `Authorization: Bearer <site secret key or write API key>`: a CRM or backend names a
 * person. Creates or updates the lead (verified), and with `visitor` attaches that browser and
 * folds its anonymous score into the lead. Answers `{ leadId, created, stage, score }` after commit.
 */
export function registerIdentify(app: Hono, deps: AppDeps) {
  app.post("/v1/identify", async (c) => {
    deps.metrics.requests++;
    const key = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "")?.[1];
    if (!key) throw new ApiError("unauthorized", "a site secret key or API key is required (Authorization: Bearer …)");
    const json = parseJsonBody(await readCappedText(c.req.raw, MAX_EVENT_BYTES));
    const parsed = parseIdentify(json);
    if (!parsed.ok) throw new ApiError("bad_request", parsed.reason);
    const body = parsed.value;
    const origin = parseLeadOrigin(json);
    if (!origin.ok) throw new ApiError("bad_request", origin.reason);
    const site = await deps.siteByKey(body.site);
    // The same answer for an unknown site and a wrong key: a caller cannot probe for site keys.
    if (!site) throw new ApiError("unauthorized", "invalid site or secret key");
    if (!(await secretMatches(site, key))) {
      // Or a REST API key with the write scope for this site (the same keys that change stages).
      const caller = await authenticate(c, deps, "write");
      if (caller.siteId !== site.id) throw new ApiError("unauthorized", "invalid site or secret key");
    }

    const result = (await submitOp(deps.writer, {
      kind: "identify",
      siteId: site.id,
      visitorId: body.visitor ?? null,
      email: body.email,
      traits: body.traits ?? {},
      at: deps.now(c),
      country: deps.country(c) ?? null,
      origin: origin.value,
    })) as IdentifyResult;
    if (result.erased) throw new ApiError("erased", "this person's data was erased; the identify was refused");
    deps.metrics.identifies++;
    return c.json(result, result.created ? 201 : 200);
  });
}

/** Compares SHA-256(key) with the stored hash in constant time (only the hash is ever stored). */
export async function secretMatches(site: Site, key: string): Promise<boolean> {
  if (!site.secretKeyHash) return false;
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(key)));
  let hex = "";
  for (const b of digest) hex += b.toString(16).padStart(2, "0");
  const stored = site.secretKeyHash.toLowerCase();
  if (stored.length !== hex.length) return false;
  let diff = 0;
  for (let i = 0; i < hex.length; i++) diff |= hex.charCodeAt(i) ^ stored.charCodeAt(i);
  return diff === 0;
}
