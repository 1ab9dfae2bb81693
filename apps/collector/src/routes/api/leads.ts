import { type ApiLeadRow, listLeadsPage, STAGES } from "@leadtrail/db";
import { currentScore, type RuleSet } from "@leadtrail/scoring";
import { leadSummary, loadLeadNow, siteRuleSet } from "@leadtrail/workflows";
import type { Hono } from "hono";
import * as v from "valibot";
import type { AppDeps } from "../../app.ts";
import { ApiError } from "../../errors.ts";
import { issueReason } from "../../validation.ts";
import { authenticate } from "./auth.ts";
import { idParam, intString, numberString } from "./params.ts";

const listQuery = v.object({
  cursor: v.optional(v.pipe(v.string(), v.maxLength(40), v.regex(/^[\w-]+$/, "invalid cursor"))),
  limit: v.optional(v.pipe(intString, v.minValue(1), v.maxValue(200)), "50"),
  stage: v.optional(v.picklist(STAGES)),
  owner: v.optional(intString),
  min_score: v.optional(numberString),
  updated_since: v.optional(intString),
});

/** Rows looked at per page at most when a score filter skips many (pages may then come back short). */
const MAX_SCAN = 2000;

/** Opaque cursor: the last lead id of the page, base64url. */
export function encodeCursor(id: number): string {
  return btoa(`l:${id}`).replaceAll("=", "").replaceAll("+", "-").replaceAll("/", "_");
}

function decodeCursor(cursor: string): number {
  try {
    const text = atob(cursor.replaceAll("-", "+").replaceAll("_", "/"));
    const id = /^l:(\d{1,15})$/.exec(text)?.[1];
    if (id !== undefined) return Number(id);
  } catch {
    // falls through to the error below
  }
  throw new ApiError("bad_request", "invalid cursor");
}

function scoreOf(row: ApiLeadRow, ruleSet: RuleSet, now: number): number {
  return round2(currentScore(row, ruleSet, now));
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

function leadJson(row: ApiLeadRow, ruleSet: RuleSet, now: number) {
  return {
    ...leadSummary(row),
    score: scoreOf(row, ruleSet, now),
    fit: round2(row.fitScore),
    createdAt: row.createdAt,
    lastActivityAt: row.lastActivityAt,
    dealValue: row.dealValue,
  };
}

/**
 * `GET /v1/leads` (scope read): the key's site's leads in id order with cursor pagination
 * (`next_cursor` until the end), filters `stage`, `owner`, `min_score` (current combined score)
 * and `updated_since` (last activity, epoch ms).
 */
export function registerListLeads(app: Hono, deps: AppDeps) {
  app.get("/v1/leads", async (c) => {
    const caller = await authenticate(c, deps, "read");
    const parsed = v.safeParse(listQuery, c.req.query());
    if (!parsed.success) throw new ApiError("bad_request", issueReason(parsed.issues, "query"));
    const q = parsed.output;
    const now = deps.now(c);
    const ruleSet = await siteRuleSet(deps.db, caller.siteId);
    let afterId = q.cursor ? decodeCursor(q.cursor) : 0;
    const leads: ReturnType<typeof leadJson>[] = [];
    let scanned = 0;
    let exhausted = false;
    while (leads.length < q.limit && scanned < MAX_SCAN) {
      const page = await listLeadsPage(deps.db, {
        siteId: caller.siteId,
        afterId,
        limit: q.limit,
        stage: q.stage,
        ownerId: q.owner,
        minScoreBound: q.min_score,
        activeSince: q.updated_since,
      });
      let read = 0;
      for (const row of page) {
        read++;
        afterId = row.id;
        scanned++;
        const lead = leadJson(row, ruleSet, now);
        if (q.min_score === undefined || lead.score >= q.min_score) leads.push(lead);
        if (leads.length === q.limit) break;
      }
      // A short page read to its end: nothing is left after it.
      if (page.length < q.limit && read === page.length) {
        exhausted = true;
        break;
      }
    }
    return c.json({ leads, next_cursor: exhausted ? null : encodeCursor(afterId) });
  });
}

/**
 * `GET /v1/leads/:id` (scope read): profile, company, score now, breakdown by rule (decayed to now),
 * stage history and assignments. A lead of another site is 404, exactly like a missing one.
 */
export function registerGetLead(app: Hono, deps: AppDeps) {
  app.get("/v1/leads/:id", async (c) => {
    const caller = await authenticate(c, deps, "read");
    const id = idParam(c.req.param("id"));
    const now = deps.now(c);
    const lead = await loadLeadNow(deps.db, id, now);
    if (!lead || lead.row.siteId !== caller.siteId) throw new ApiError("not_found", "no such lead");
    const { row, ruleSet } = lead;
    const stageHistory = lead.stageHistory.map((s) => ({
      from: s.from_stage,
      to: s.to_stage,
      actor: s.actor,
      reason: s.reason,
      at: s.at,
      score: s.score,
    }));
    const assignments = lead.assignments.map((a) => ({
      id: a.id,
      repId: a.repId,
      queueId: a.queueId,
      poolId: a.poolId,
      ruleId: a.ruleId,
      trigger: a.trigger,
      at: a.at,
      acceptedAt: a.acceptedAt,
      closedAt: a.closedAt,
      slaDueAt: a.slaDueAt,
      summary: (a.decision as { summary?: string } | null)?.summary ?? null,
    }));
    return c.json({
      lead: { ...leadJson(row, ruleSet, now), traits: row.traits },
      breakdown: lead.explanation.rules.map((r) => ({
        ruleId: r.ruleId,
        kind: r.kind,
        label: r.label?.en ?? null,
        entries: r.entries,
        points: round2(r.points),
        current: round2(r.current),
      })),
      stageHistory,
      assignments,
    });
  });
}
