import { findSiteByKey, getRuleSetDraft, publishRuleSet, saveRuleSetDraft, seedRuleSetVersion } from "@leadtrail/db";
import { defaultRuleSet, ruleSetFromJson, validateRuleSet } from "@leadtrail/scoring";
import { siteRuleSet } from "@leadtrail/workflows";
import type { Context, Hono } from "hono";
import type { AppDeps } from "../../app.ts";
import { ApiError } from "../../errors.ts";
import { readCappedText } from "../../ingest/body.ts";
import { type ApiCaller, authenticate } from "./auth.ts";

/** A rule set of 500 rules with long patterns stays well under this. */
const MAX_RULE_SET_BYTES = 512 * 1024;

/**
 * Scoring as code: `GET /v1/scoring` and `PUT /v1/scoring` (scope `admin`). The key's site is the
 * one whose rules are read and replaced; `?site=<public key>` may name it, and naming another site
 * is refused like an invalid key (401). PUT stores the body as the site's draft, or with
 * `?publish=true` publishes it as the next version exactly as the dashboard's Publish does
 * (new version, draft removed, background re-score queued; `?note=` is the version note).
 */
export function registerScoring(app: Hono, deps: AppDeps) {
  app.get("/v1/scoring", async (c) => {
    const caller = await scoringCaller(c, deps);
    const published = await siteRuleSet(deps.db, caller.siteId);
    const draft = await getRuleSetDraft(deps.db, caller.siteId);
    const checked = draft ? validateRuleSet(draft.ruleSet) : null;
    return c.json({
      version: published.version,
      ruleSet: published,
      draft: checked?.ok ? checked.ruleSet : null,
    });
  });

  app.put("/v1/scoring", async (c) => {
    const caller = await scoringCaller(c, deps);
    let json: unknown;
    try {
      json = JSON.parse(await readCappedText(c.req.raw, MAX_RULE_SET_BYTES));
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw new ApiError("bad_request", "body is not valid JSON");
    }
    const published = await siteRuleSet(deps.db, caller.siteId);
    const checked = ruleSetFromJson(json, published);
    if (!checked.ok) {
      const n = checked.errors.length;
      throw new ApiError("invalid_rule_set", `the rule set has ${n} problem${n === 1 ? "" : "s"}`, {}, checked.errors);
    }
    const now = deps.now(c);
    if (c.req.query("publish") === "true") {
      // A site nobody scored yet has the defaults as version 1 (as the collector and the dashboard
      // store them); the published rules must come after them, not take their number.
      await seedRuleSetVersion(deps.db, caller.siteId, defaultRuleSet, now);
      const note = (c.req.query("note") ?? "").slice(0, 500) || null;
      const ruleSet = checked.ruleSet;
      const version = await publishRuleSet(
        deps.db,
        caller.siteId,
        (v) => ({ ...ruleSet, version: v }),
        caller.userId,
        note,
        now,
      );
      return c.json({ status: "published", version, ruleSet: { ...ruleSet, version } });
    }
    await saveRuleSetDraft(deps.db, caller.siteId, checked.ruleSet, caller.userId, now);
    return c.json({ status: "draft", version: published.version, ruleSet: checked.ruleSet });
  });
}

async function scoringCaller(c: Context, deps: AppDeps): Promise<ApiCaller> {
  const caller = await authenticate(c, deps, "admin");
  const siteKey = c.req.query("site");
  if (siteKey !== undefined) {
    const site = await findSiteByKey(deps.db, siteKey);
    if (!site || site.id !== caller.siteId)
      throw new ApiError("unauthorized", "this API key is not valid for that site");
  }
  return caller;
}
