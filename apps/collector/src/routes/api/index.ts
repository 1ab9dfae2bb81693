import type { Hono } from "hono";
import type { AppDeps } from "../../app.ts";
import { registerGetLead, registerListLeads } from "./leads.ts";
import { registerLeadMerge } from "./merge.ts";
import { registerScoring } from "./scoring.ts";
import { registerLeadStage } from "./stage.ts";

/** The REST API under /v1 (API keys with read / write / admin scopes; `POST /v1/identify` is registered on its own). */
export function registerApi(app: Hono, deps: AppDeps) {
  registerListLeads(app, deps);
  registerGetLead(app, deps);
  registerLeadStage(app, deps);
  registerLeadMerge(app, deps);
  registerScoring(app, deps);
}
