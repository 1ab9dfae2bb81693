// The package's TypeScript surface: the wire contract and the tracker's pure helpers. The browser
// script itself is src/tracker.ts, built by scripts/build.mjs; import it as a string from
// "@leadtrail/tracker/script".
export { campaignFrom } from "./campaign.ts";
export { type CapturedFields, type FieldLike, formFields } from "./forms.ts";
export { randomId } from "./ids.ts";
export { DOWNLOAD_EXTENSIONS, linkKind } from "./links.ts";
export * from "./protocol.ts";
