/** Counters the collector exposes at `GET /metrics`; one instance per collector, never global. */
export interface Metrics {
  requests: number;
  eventsAccepted: number;
  eventsDuplicate: number;
  /** Events refused one by one inside otherwise valid batches. */
  eventsRejected: number;
  /** Requests answered with an error, by error code. */
  rejected: Record<string, number>;
  /** Requests from bots and headless browsers: answered 2xx, not stored. */
  botRequests: number;
  botEvents: number;
  /** Events whose client time was far in the future or ancient (stored, flagged). */
  clockFlagged: number;
  commits: number;
  commitFailures: number;
  identifies: number;
  redirects: number;
  pixels: number;
  /** Signed batches from the edge (`POST /internal/ingest`) and the browser requests they carried. */
  edgeBatches: number;
  edgeRequests: number;
}

/** A fresh set of counters. */
export function createMetrics(): Metrics {
  return {
    requests: 0,
    eventsAccepted: 0,
    eventsDuplicate: 0,
    eventsRejected: 0,
    rejected: {},
    botRequests: 0,
    botEvents: 0,
    clockFlagged: 0,
    commits: 0,
    commitFailures: 0,
    identifies: 0,
    redirects: 0,
    pixels: 0,
    edgeBatches: 0,
    edgeRequests: 0,
  };
}

/** The counters in Prometheus' text format (for scrapers that do not read JSON). */
export function prometheusText(metrics: Metrics, queueDepth: number): string {
  const lines: string[] = [];
  const counter = (name: string, value: number, labels = "") => lines.push(`leadtrail_${name}${labels} ${value}`);
  counter("requests_total", metrics.requests);
  counter("events_accepted_total", metrics.eventsAccepted);
  counter("events_duplicate_total", metrics.eventsDuplicate);
  counter("events_rejected_total", metrics.eventsRejected);
  for (const [code, n] of Object.entries(metrics.rejected)) counter("requests_rejected_total", n, `{code="${code}"}`);
  counter("bot_requests_total", metrics.botRequests);
  counter("bot_events_total", metrics.botEvents);
  counter("clock_flagged_events_total", metrics.clockFlagged);
  counter("commits_total", metrics.commits);
  counter("commit_failures_total", metrics.commitFailures);
  counter("identifies_total", metrics.identifies);
  counter("redirects_total", metrics.redirects);
  counter("pixels_total", metrics.pixels);
  counter("edge_batches_total", metrics.edgeBatches);
  counter("edge_requests_total", metrics.edgeRequests);
  counter("queue_depth", queueDepth);
  return `${lines.join("\n")}\n`;
}
