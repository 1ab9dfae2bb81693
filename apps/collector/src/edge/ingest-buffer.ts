import { DurableObject } from "cloudflare:workers";
import { ApiError } from "../errors.ts";
import type { SubmitEvents } from "../ingest/events-sink.ts";
import { GroupCommitWriter, QueueFullError } from "../ingest/group-commit.ts";
import {
  type ForwardAnswer,
  type ForwardedRequest,
  type ForwardOutcome,
  knownErrorCode,
  MAX_FORWARDED_REQUESTS,
} from "../internal/protocol.ts";
import { type DurableObjectNamespaceLike, type EdgeEnv, loadEdgeConfig } from "./env.ts";
import { originFetch } from "./origin.ts";

/**
 * The ingest buffer: a Durable Object per site that coalesces the accepted requests of many
 * browsers and forwards them to the origin in ONE signed `POST /internal/ingest`, then answers each
 * request with its own outcome once the origin has committed them. It is the group commit of
 * ingest/group-commit.ts with "write" meaning "forward": requests gather for a few milliseconds
 * (or while the previous batch is with the origin), so under load one forward carries hundreds of
 * browser requests and the origin commits them in one transaction.
 *
 * A few forwards may be on their way at once (INGEST_BUFFER_FORWARDS lanes, each a group commit
 * with one forward in flight; a request joins the least busy lane). With a single lane the origin
 * would idle for every round trip — the edge-to-origin latency, tens of milliseconds on a real
 * network — and one site's throughput would be one batch per round trip; with several, the next
 * batches are already waiting at the origin while it commits, and join its next group commit.
 *
 * Why a Durable Object: a worker isolate cannot share such a buffer between requests — workerd
 * cancels a request that waits on a promise resolved by another request's I/O. A Durable Object
 * is the runtime's place for state shared by requests, and one per site (`idFromName(siteKey)`)
 * keeps each site's stream in one place.
 *
 * An origin that is down, answers an error or is slower than ORIGIN_TIMEOUT_MS fails the whole
 * batch: every browser gets 503 with Retry-After and retries with the same event ids (an event
 * the origin did commit before failing then counts as a duplicate, never twice).
 */
export class IngestBuffer extends DurableObject<EdgeEnv> {
  readonly #lanes: GroupCommitWriter<ForwardedRequest, ForwardOutcome>[];

  constructor(state: DurableObjectState, env: EdgeEnv) {
    super(state, env);
    const config = loadEdgeConfig(env);
    const forward = async (requests: ForwardedRequest[]) => {
      const response = await originFetch(config, "POST", "/internal/ingest", JSON.stringify({ requests }));
      if (!response.ok) {
        await response.body?.cancel();
        throw new Error(`origin answered ${response.status}`);
      }
      const answer = (await response.json()) as ForwardAnswer;
      if (answer.results?.length !== requests.length) throw new Error("origin answered a different number of results");
      return answer.results;
    };
    const options = { maxWaitMs: config.INGEST_BUFFER_WAIT_MS, maxBatch: MAX_FORWARDED_REQUESTS };
    this.#lanes = Array.from({ length: config.INGEST_BUFFER_FORWARDS }, () => new GroupCommitWriter(forward, options));
  }

  /**
   * Called by the worker over RPC (structured clone, no Request/Response or JSON on this hop);
   * resolves once the origin has answered for the batch that carried this request.
   */
  async submit(forwarded: ForwardedRequest): Promise<ForwardOutcome> {
    let outcome: ForwardOutcome;
    try {
      let lane = this.#lanes[0] as GroupCommitWriter<ForwardedRequest, ForwardOutcome>;
      for (const other of this.#lanes) if (other.depth < lane.depth) lane = other;
      outcome = await lane.submit(forwarded, forwarded.bytes);
    } catch (error) {
      if (!(error instanceof QueueFullError)) console.error(`forward to origin failed: ${(error as Error).message}`);
      outcome = {
        error: { code: "overloaded", message: "the collector's origin is unavailable, retry later" },
        retryAfter: "1",
      };
    }
    return outcome;
  }
}

/** The edge's sink for accepted events: the site's ingest buffer, answered after the origin's commit. */
export function ingestBufferSink(namespace: DurableObjectNamespaceLike): SubmitEvents {
  return async function submitEvents(submission, bytes) {
    const buffer = namespace.get(namespace.idFromName(submission.siteKey));
    let outcome: ForwardOutcome;
    try {
      outcome = await buffer.submit({ submission, bytes });
    } catch (error) {
      console.error(`ingest buffer failed: ${(error as Error).message}`);
      throw new ApiError("overloaded", "the edge is busy, retry later", { "Retry-After": "1" });
    }
    if ("ok" in outcome) return outcome.ok;
    const headers: Record<string, string> = outcome.retryAfter ? { "Retry-After": outcome.retryAfter } : {};
    throw new ApiError(knownErrorCode(outcome.error.code), outcome.error.message, headers);
  };
}
