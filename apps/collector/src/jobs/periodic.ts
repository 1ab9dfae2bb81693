/** A job that runs now and then until stopped. */
export interface PeriodicJob {
  /** Stops scheduling and waits for a run in progress to finish. */
  stop(): Promise<void>;
}

/**
 * Runs `task` every `intervalMs`, never overlapping itself: the next run is scheduled when the
 * previous one has finished. A failing run is reported and the job keeps going (a database busy
 * for a moment must not end webhook delivery for good).
 */
export function startPeriodic(
  name: string,
  task: () => Promise<unknown>,
  intervalMs: number,
  onError: (name: string, error: unknown) => void = (n, e) => console.error(`${n} failed:`, e),
): PeriodicJob {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = (async () => {
      try {
        await task();
      } catch (error) {
        onError(name, error);
      }
    })().then(() => {
      if (!stopped) timer = setTimeout(tick, intervalMs);
    });
  };
  timer = setTimeout(tick, intervalMs);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
