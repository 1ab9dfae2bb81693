import { mergeLeads } from "@leadtrail/workflows";
import type { Hono } from "hono";
import * as v from "valibot";
import type { AppDeps } from "../../app.ts";
import { ApiError } from "../../errors.ts";
import { authenticate } from "./auth.ts";
import { readJsonBody } from "./json-body.ts";
import { idParam } from "./params.ts";

const mergeBody = v.object({
  /** The lead folded into the one in the URL (which is kept). */
  merge: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(Number.MAX_SAFE_INTEGER)),
  reason: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(1000)))),
});

/**
 * `POST /v1/leads/:id/merge` (scope write) `{ merge, reason? }`: two leads found to be one person
 * become the lead in the URL (packages/workflows `mergeLeads`: histories combined, score replayed,
 * further stage kept, the merge in the stage history). Either lead outside the key's site is 404;
 * merging a lead into itself is 400. The merged id answers 404 afterwards.
 */
export function registerLeadMerge(app: Hono, deps: AppDeps) {
  app.post("/v1/leads/:id/merge", async (c) => {
    const caller = await authenticate(c, deps, "write");
    const id = idParam(c.req.param("id"));
    const body = await readJsonBody(c.req.raw, mergeBody);
    const result = await mergeLeads(deps.db, {
      siteId: caller.siteId,
      keepId: id,
      mergeId: body.merge,
      actor: caller.actor,
      reason: body.reason ?? null,
      now: deps.now(c),
    });
    if (!result.ok) {
      throw new ApiError(result.error.code === "same_lead" ? "bad_request" : "not_found", result.error.message);
    }
    return c.json({
      leadId: result.leadId,
      merged: body.merge,
      stage: result.stage,
      score: Math.round(result.score * 100) / 100,
      moved: result.moved,
      stageChanges: result.stageChanges.map((s) => ({
        from: s.fromStage,
        to: s.toStage,
        actor: s.actor,
        reason: s.reason,
        at: s.at,
      })),
    });
  });
}
