export { type AppDeps, createApp } from "./app.ts";
export { type Collector, type CollectorOptions, createCollector } from "./collector.ts";
export { type CollectorConfig, loadConfig } from "./config.ts";
export { DEMO_LINKS } from "./demo/pages.ts";
export { type WorkerdConfigOptions, workerdConfig } from "./edge/workerd-config.ts";
export { ERROR_CODES, type ErrorCode } from "./errors.ts";
export { GroupCommitWriter } from "./ingest/group-commit.ts";
export { SIGNATURE_HEADER, signRequest } from "./internal/signature.ts";
export { COLLECTOR_NODE_FLAGS } from "./node/flags.ts";
