// Types for the browser API the leadtrail tracker publishes on `window.leadtrail`.
// Reference it from a site's TypeScript with `/// <reference types="@leadtrail/tracker/leadtrail" />`
// or copy it; the script itself has no module exports.

/** Flat event properties: the collector accepts at most 32 keys (≤ 64 chars), strings ≤ 1,000 chars. */
export type LeadtrailProps = Record<string, string | number | boolean>;

/** Profile traits: at most 32 keys (≤ 64 chars), values ≤ 500 chars. */
export type LeadtrailTraits = Record<string, string>;

export interface LeadtrailApi {
  /** Records a custom event, e.g. `track("newsletter_signup", { list: "weekly" })`. */
  track(name: string, props?: LeadtrailProps): void;
  /**
   * Links this browser to a known lead; its earlier anonymous behaviour then belongs to the lead.
   * The collector validates the address: an invalid one gets this event rejected, nothing else.
   */
  identify(email: string, traits?: LeadtrailTraits): void;
  /**
   * Records the visitor's choice. `true`: a first-party id is stored and held events are sent.
   * `false`: everything the tracker stored is removed and held events are dropped.
   */
  consent(granted: boolean): void;
}

/** The pre-load stub: calls made before the script loaded, replayed in order once it runs. */
export interface LeadtrailStub extends LeadtrailApi {
  q: [keyof LeadtrailApi, IArguments][];
}

declare global {
  interface Window {
    leadtrail: LeadtrailApi | LeadtrailStub;
  }
}
