import { recordSiteRefusal } from "@leadtrail/db";
import type { Context, Hono } from "hono";
import type { AppDeps } from "../app.ts";
import { ApiError } from "../errors.ts";
import { readCappedText } from "../ingest/body.ts";
import {
  type ForwardAnswer,
  type ForwardOutcome,
  MAX_FORWARDED_BYTES,
  parseForwardedBatch,
  parseRefusalReport,
  type SiteAnswer,
} from "../internal/protocol.ts";
import { ReplayGuard, SIGNATURE_HEADER, verifyRequest } from "../internal/signature.ts";

/**
 * The origin's endpoints for the edge worker, all signed (internal/signature.ts):
 * - `GET /internal/sites/:key`: a site's id, domains and settings, so the edge can refuse unknown
 *   sites and foreign origins itself;
 * - `POST /internal/ingest`: the batches of many browser requests, coalesced by the edge's ingest
 *   buffer. All of them go into the same group commit; the answer gives each request its own
 *   outcome, sent only after the commit, so the edge's 2xx to a browser still means "stored";
 * - `POST /internal/refusals`: requests of a site that the edge refused (already throttled there,
 *   edge/refusals.ts), recorded in `site_refusals` as the origin's own, for the install check.
 * Without an edge secret configured they answer 404, like any unknown path.
 */
export function registerInternal(app: Hono, deps: AppDeps) {
  const secret = deps.edgeSecret;
  if (!secret) return;
  const guard = new ReplayGuard();

  async function authenticate(c: Context, body: string): Promise<void> {
    const url = new URL(c.req.url);
    const problem = await verifyRequest(
      secret as string,
      c.req.header(SIGNATURE_HEADER),
      { method: c.req.method, path: url.pathname + url.search, body },
      guard,
    );
    if (problem) throw new ApiError("unauthorized", `internal request refused: ${problem.replace("_", " ")}`);
  }

  app.get("/internal/sites/:key", async (c) => {
    await authenticate(c, "");
    const key = c.req.param("key");
    const site = key.length <= 128 ? await deps.siteByKey(key) : undefined;
    if (!site) throw new ApiError("unknown_site", "unknown site key");
    const answer: SiteAnswer = {
      site: { id: site.id, publicKey: site.publicKey, domains: site.domains, settings: site.settings },
    };
    c.header("Cache-Control", "no-store");
    return c.json(answer);
  });

  app.post("/internal/refusals", async (c) => {
    const text = await readCappedText(c.req.raw, 4096);
    await authenticate(c, text);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new ApiError("bad_request", "body is not valid JSON");
    }
    const parsed = parseRefusalReport(json);
    if (!parsed.ok) throw new ApiError("bad_request", parsed.reason);
    const { siteId, ...refusal } = parsed.report;
    try {
      await recordSiteRefusal(deps.db, siteId, refusal);
    } catch (error) {
      // A site deleted since the edge cached it: its refusals have nowhere to go.
      if (/FOREIGN KEY/i.test(String((error as Error).message))) throw new ApiError("unknown_site", "unknown site");
      throw error;
    }
    return c.body(null, 204);
  });

  app.post("/internal/ingest", async (c) => {
    const text = await readCappedText(c.req.raw, MAX_FORWARDED_BYTES);
    await authenticate(c, text);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new ApiError("bad_request", "body is not valid JSON");
    }
    const parsed = parseForwardedBatch(json);
    if (!parsed.ok) throw new ApiError("bad_request", parsed.reason);
    const { requests } = parsed.batch;
    deps.metrics.edgeBatches++;
    deps.metrics.edgeRequests += requests.length;
    // Submitted in one turn, so they all join the same group commit (or the next, when one runs).
    // The batch is a group already (the edge's buffer gathered it): written at the end of this turn
    // rather than after the group-commit wait, which would only add to every browser's latency.
    const pending = Promise.all(
      requests.map(({ submission, bytes }) =>
        deps.submitEvents(submission, bytes).then(
          (result): ForwardOutcome => {
            deps.metrics.eventsAccepted += result.accepted;
            deps.metrics.eventsDuplicate += result.duplicates;
            return { ok: result };
          },
          (error): ForwardOutcome => {
            if (!(error instanceof ApiError)) console.error(error);
            const code = error instanceof ApiError ? error.code : "internal";
            deps.metrics.rejected[code] = (deps.metrics.rejected[code] ?? 0) + 1;
            const message = error instanceof ApiError ? error.message : "internal error";
            const retryAfter = error instanceof ApiError ? error.headers["Retry-After"] : undefined;
            return { error: { code, message }, ...(retryAfter ? { retryAfter } : {}) };
          },
        ),
      ),
    );
    deps.writer.flushSoon();
    const answer: ForwardAnswer = { results: await pending };
    return c.json(answer);
  });
}
