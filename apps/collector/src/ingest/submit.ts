import { ApiError } from "../errors.ts";
import { urlParts } from "./enrich.ts";
import { type GroupCommitWriter, QueueFullError } from "./group-commit.ts";
import type { RateLimiter } from "./rate-limit.ts";
import type { IngestOp, OpResult } from "./write-ops.ts";

/**
 * Queues an op (`bytes`: the request body it came from) for the next group commit and waits for its
 * commit; a full queue answers 503.
 */
export async function submitOp(
  writer: GroupCommitWriter<IngestOp, OpResult>,
  op: IngestOp,
  bytes = 0,
): Promise<OpResult> {
  try {
    return await writer.submit(op, bytes);
  } catch (error) {
    if (error instanceof QueueFullError) {
      throw new ApiError("overloaded", "collector is busy, retry later", { "Retry-After": "1" });
    }
    throw error;
  }
}

/** Takes tokens from a limiter; throws 429 with Retry-After when the bucket is empty. */
export function rateLimit(limiter: RateLimiter | undefined, key: string, cost: number, now: number): void {
  if (!limiter) return;
  const wait = limiter.take(key, cost, now);
  if (wait > 0) throw new ApiError("rate_limited", "too many events, slow down", { "Retry-After": String(wait) });
}

/** Hostname of a URL, or undefined. */
export function hostOf(url: string | undefined | null): string | undefined {
  return url ? urlParts(url).hostname : undefined;
}
