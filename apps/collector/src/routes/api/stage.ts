import { SALES_MOVES, type SalesActionType } from "@leadtrail/scoring";
import { applySalesAction } from "@leadtrail/workflows";
import type { Hono } from "hono";
import * as v from "valibot";
import type { AppDeps } from "../../app.ts";
import { ApiError } from "../../errors.ts";
import { authenticate } from "./auth.ts";
import { readJsonBody } from "./json-body.ts";
import { idParam } from "./params.ts";

const ACTIONS = Object.keys(SALES_MOVES) as [SalesActionType, ...SalesActionType[]];

const stageBody = v.object({
  action: v.picklist(ACTIONS),
  reason: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(1000)))),
  value: v.optional(v.nullable(v.pipe(v.number(), v.finite(), v.minValue(0)))),
});

/**
 * `POST /v1/leads/:id/stage` (scope write) `{ action, reason?, value? }`: the same sales action as
 * the dashboard (packages/workflows `applySalesAction`). Illegal moves answer 409 (422 when a
 * reason is missing) with the lifecycle engine's error code; nothing is written then.
 */
export function registerLeadStage(app: Hono, deps: AppDeps) {
  app.post("/v1/leads/:id/stage", async (c) => {
    const caller = await authenticate(c, deps, "write");
    const id = idParam(c.req.param("id"));
    const body = await readJsonBody(c.req.raw, stageBody);
    const result = await applySalesAction(deps.db, {
      leadId: id,
      siteId: caller.siteId,
      action: body.action,
      actor: caller.actor,
      reason: body.reason ?? null,
      value: body.value ?? null,
      now: deps.now(c),
    });
    if (!result.ok) throw new ApiError(result.error.code, result.error.message);
    return c.json({ leadId: id, stage: result.stage, stageChange: result.stageChange });
  });
}
