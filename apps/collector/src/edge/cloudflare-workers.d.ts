// The one runtime module the edge worker imports (workerd and Cloudflare provide it; esbuild leaves
// it external). Declared here because workerd's type package is not a dependency.
declare module "cloudflare:workers" {
  /** Base class of Durable Objects whose public methods are callable over RPC from a stub. */
  export abstract class DurableObject<Env = unknown> {
    protected ctx: DurableObjectState;
    protected env: Env;
    constructor(ctx: DurableObjectState, env: Env);
  }
}

/** A Durable Object's state (storage, id); the ingest buffer uses none of it. */
interface DurableObjectState {
  readonly id: unknown;
}
