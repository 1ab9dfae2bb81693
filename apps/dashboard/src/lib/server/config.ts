import { env } from "$env/dynamic/private";
import { collectorBase } from "./campaigns-links.ts";

/** The dashboard's settings that pages need, read from the environment in one place. */
export interface DashboardConfig {
  /** The collector's public address (snippets, short links, QR codes); unset = this host on port 8787. */
  collectorUrl: string | undefined;
}

let config: DashboardConfig | undefined;

/** The settings, read once on first use (SvelteKit fills `$env/dynamic/private` at start-up). */
export function dashboardConfig(): DashboardConfig {
  config ??= { collectorUrl: env.COLLECTOR_URL || undefined };
  return config;
}

/** The collector's public address for a request to the dashboard at `url`, without a trailing slash. */
export function collectorUrlFor(url: URL): string {
  return collectorBase(dashboardConfig().collectorUrl, url);
}
