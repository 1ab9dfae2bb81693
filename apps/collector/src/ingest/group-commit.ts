/** Raised when the write queue is full: the route answers 503 with Retry-After. */
export class QueueFullError extends Error {
  constructor() {
    super("ingest queue is full");
  }
}

export interface GroupCommitOptions {
  /** How long the first request of a group waits for others to join it. */
  maxWaitMs?: number;
  /** Most items written in one transaction. */
  maxBatch?: number;
  /** Most items waiting or being written; beyond it `submit` rejects with QueueFullError. */
  maxQueue?: number;
  /**
   * Most bytes (as the submitters count them: request body sizes) waiting or being written. The item
   * bound alone would let 20,000 requests of 512 KB each pile up; memory is what the queue protects.
   */
  maxQueueBytes?: number;
}

interface Pending<T, R> {
  item: T;
  bytes: number;
  resolve(result: R): void;
  reject(error: unknown): void;
}

/**
 * Group commit: concurrent submissions are collected for a few milliseconds and written by one
 * call of `write` (one transaction). Each submitter's promise settles only after that write has
 * committed, so an acknowledgement always means "stored". While a write runs, new submissions
 * queue up and go into the next write at once — under load, groups grow by themselves.
 *
 * A group does not always wait out `maxWaitMs`: once as many submissions are waiting as the
 * previous group had, it is written at the end of the current event-loop turn (so whatever else
 * arrived in that turn joins it). Under saturation every client is waiting for its answer, so
 * when the previous group's clients are all back nobody else is coming, and waiting would only
 * idle the CPU (that idle was ~15 % of the collector's time at full load). With a trickle of
 * requests the timer still gathers them, and a fresh writer (no previous group) always waits.
 */
export class GroupCommitWriter<T, R> {
  readonly #write: (items: T[]) => Promise<R[]>;
  readonly #maxWaitMs: number;
  readonly #maxBatch: number;
  readonly #maxQueue: number;
  readonly #maxQueueBytes: number;
  /** Bytes of the items waiting or being written. */
  #bytes = 0;
  #queue: Pending<T, R>[] = [];
  #inFlight = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #turnEnd: unknown;
  #writing: Promise<void> | undefined;
  /** Size of the last group written: the "everyone is back" mark (none before the first write). */
  #lastGroup = Number.POSITIVE_INFINITY;

  constructor(
    write: (items: T[]) => Promise<R[]>,
    { maxWaitMs = 2, maxBatch = 1000, maxQueue = 20_000, maxQueueBytes = 8 * 1024 * 1024 }: GroupCommitOptions = {},
  ) {
    this.#write = write;
    this.#maxWaitMs = maxWaitMs;
    this.#maxBatch = maxBatch;
    this.#maxQueue = maxQueue;
    this.#maxQueueBytes = maxQueueBytes;
  }

  /** Items waiting or being written right now. */
  get depth(): number {
    return this.#queue.length + this.#inFlight;
  }

  /**
   * Queues an item of `bytes` size; resolves with its result once the transaction holding it has
   * committed. An item bigger than the whole byte bound is still taken when the queue is empty, so
   * that no request is refused forever.
   */
  submit(item: T, bytes = 0): Promise<R> {
    if (this.depth >= this.#maxQueue) return Promise.reject(new QueueFullError());
    if (this.#bytes > 0 && this.#bytes + bytes > this.#maxQueueBytes) return Promise.reject(new QueueFullError());
    this.#bytes += bytes;
    return new Promise<R>((resolve, reject) => {
      this.#queue.push({ item, bytes, resolve, reject });
      if (this.#queue.length >= this.#maxBatch) this.#kick();
      else {
        this.#timer ??= setTimeout(() => this.#kick(), this.#maxWaitMs);
        if (this.#queue.length >= this.#lastGroup) this.#turnEnd ??= afterTurn(() => this.#kick());
      }
    });
  }

  /**
   * Writes what is queued at the end of this event-loop turn instead of waiting out `maxWaitMs`:
   * for a caller whose submissions are a group already (the edge's forwarded batch, coalesced by
   * its ingest buffer), where waiting for more only adds latency. Submissions still on their way
   * through promise callbacks of this turn make it; a running write is not cut short.
   */
  flushSoon(): void {
    this.#turnEnd ??= afterTurn(() => this.#kick());
  }

  /** Writes everything accepted so far; used on shutdown before the process exits. */
  async drain(): Promise<void> {
    while (this.#queue.length > 0 || this.#writing) {
      this.#kick();
      await this.#writing;
    }
  }

  #kick(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#turnEnd = undefined;
    if (this.#writing || this.#queue.length === 0) return;
    this.#writing = this.#flush().finally(() => {
      this.#writing = undefined;
      if (this.#queue.length > 0) this.#kick();
    });
  }

  async #flush(): Promise<void> {
    const batch = this.#queue.splice(0, this.#maxBatch);
    this.#inFlight = batch.length;
    this.#lastGroup = batch.length;
    try {
      const results = await this.#write(batch.map((p) => p.item));
      for (const [i, p] of batch.entries()) p.resolve(results[i] as R);
    } catch (error) {
      for (const p of batch) p.reject(error);
    } finally {
      this.#inFlight = 0;
      for (const p of batch) this.#bytes -= p.bytes;
    }
  }
}

/**
 * Runs `fn` once the event loop has handled the I/O that is ready now: `setImmediate` where the
 * runtime has it (Node, Bun, Deno); elsewhere (web workers, workerd) the next timer turn.
 */
function afterTurn(fn: () => void): unknown {
  const immediate = (globalThis as { setImmediate?: (fn: () => void) => unknown }).setImmediate;
  return immediate ? immediate(fn) : setTimeout(fn, 0);
}
