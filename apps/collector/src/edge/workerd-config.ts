/** What a local workerd needs to run the edge worker in front of an origin. */
export interface WorkerdConfigOptions {
  /** The bundled worker (dist/edge/worker.js), relative to the config file. */
  workerFile: string;
  /** Where workerd listens, e.g. "127.0.0.1:8788" or "*:8788". */
  address: string;
  /** Text bindings: ORIGIN_URL, EDGE_SECRET and the optional ones of src/edge/env.ts. */
  vars: Record<string, string>;
}

const quote = (text: string) => JSON.stringify(text);

/**
 * A workerd configuration (Cap'n Proto text) for the edge worker: one HTTP socket, the worker with
 * its text bindings and the ingest buffer's Durable Object namespace (in-memory storage: the buffer
 * keeps nothing that must outlive the process — a request is answered only after the origin's
 * commit), and a network service that may reach loopback and private addresses, for an origin on
 * the same machine.
 */
export function workerdConfig(options: WorkerdConfigOptions): string {
  const bindings = Object.entries(options.vars)
    .map(([name, value]) => `      (name = ${quote(name)}, text = ${quote(value)}),`)
    .join("\n");
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "edge", worker = .edgeWorker),
    (name = "origin-network", network = (allow = ["public", "local", "private"])),
  ],
  sockets = [ (name = "http", address = ${quote(options.address)}, http = (), service = "edge") ],
);

const edgeWorker :Workerd.Worker = (
  modules = [ (name = "worker.js", esModule = embed ${quote(options.workerFile)}) ],
  compatibilityDate = "2025-09-01",
  bindings = [
${bindings}
      (name = "INGEST_BUFFER", durableObjectNamespace = "IngestBuffer"),
  ],
  durableObjectNamespaces = [ (className = "IngestBuffer", uniqueKey = "leadtrail-ingest-buffer") ],
  durableObjectStorage = (inMemory = void),
  globalOutbound = "origin-network",
);
`;
}
