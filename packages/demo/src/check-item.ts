// A small structural checker for generated items against the tracker protocol and the collector's
// limits (packages/tracker/src/protocol.ts, apps/collector/src/ingest/schema.ts). The generator's
// tests run every item through it; a loader can use it to fail fast on a bad demo run.
import { EVENT_TYPES } from "@leadtrail/tracker";
import type { DemoItem } from "./types.ts";

const ID = /^[\w-]{8,64}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[a-z]{2,}$/i;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const EVENT_KEYS = new Set([
  "id",
  "type",
  "time",
  "url",
  "title",
  "referrer",
  "name",
  "props",
  "engagedMs",
  "scroll",
  "email",
  "traits",
  "campaign",
]);
const CAMPAIGN_KEYS = new Set([
  "utm_source",
  "utm_medium",
  "utm_campaign",
  "utm_term",
  "utm_content",
  "clickId",
  "referrer",
]);
const EVENT_TYPE_SET: ReadonlySet<string> = new Set(EVENT_TYPES);
const SALES_ACTIONS = new Set(["accept", "reject", "qualify", "win", "lose"]);

const isString = (value: unknown, max: number): value is string => typeof value === "string" && value.length <= max;
const isHttpUrl = (value: unknown): boolean => isString(value, 2048) && /^https?:\/\/[^\s]+$/.test(value);
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function checkEvent(event: unknown, sentAt: number, at: string, problems: string[]): void {
  if (!isRecord(event)) {
    problems.push(`${at}: not an object`);
    return;
  }
  for (const key of Object.keys(event)) if (!EVENT_KEYS.has(key)) problems.push(`${at}.${key}: unknown field`);
  if (!isString(event.id, 64) || !ID.test(event.id)) problems.push(`${at}.id: must be 8-64 of [A-Za-z0-9_-]`);
  if (typeof event.type !== "string" || !EVENT_TYPE_SET.has(event.type)) problems.push(`${at}.type: unknown`);
  if (typeof event.time !== "number" || !Number.isFinite(event.time)) problems.push(`${at}.time: not a finite number`);
  else if (event.time > sentAt) problems.push(`${at}.time: after the batch's sentAt`);
  if (event.url !== undefined && !isHttpUrl(event.url)) problems.push(`${at}.url: not an http(s) URL`);
  if (event.referrer !== undefined && !isHttpUrl(event.referrer)) problems.push(`${at}.referrer: not an http(s) URL`);
  if (event.title !== undefined && !isString(event.title, 512)) problems.push(`${at}.title: too long`);
  if (event.name !== undefined && !isString(event.name, 200)) problems.push(`${at}.name: too long`);
  if (event.props !== undefined) {
    const props = event.props;
    const ok =
      isRecord(props) &&
      Object.keys(props).length <= 32 &&
      Object.entries(props).every(
        ([k, v]) => k.length <= 64 && (isString(v, 1000) || typeof v === "number" || typeof v === "boolean"),
      );
    if (!ok) problems.push(`${at}.props: must be at most 32 flat values`);
  }
  if (
    event.engagedMs !== undefined &&
    !(typeof event.engagedMs === "number" && event.engagedMs >= 0 && event.engagedMs <= 86_400_000)
  )
    problems.push(`${at}.engagedMs: out of range`);
  if (event.scroll !== undefined && !(typeof event.scroll === "number" && event.scroll >= 0 && event.scroll <= 1))
    problems.push(`${at}.scroll: out of 0..1`);
  if (event.email !== undefined && !(isString(event.email, 254) && EMAIL.test(event.email)))
    problems.push(`${at}.email: invalid`);
  if (event.traits !== undefined) {
    const traits = event.traits;
    const ok =
      isRecord(traits) &&
      Object.keys(traits).length <= 32 &&
      Object.entries(traits).every(([k, v]) => k.length <= 64 && isString(v, 500));
    if (!ok) problems.push(`${at}.traits: must be at most 32 strings`);
  }
  if (event.campaign !== undefined) {
    const campaign = event.campaign;
    const ok =
      isRecord(campaign) &&
      Object.entries(campaign).every(([k, v]) => CAMPAIGN_KEYS.has(k) && isString(v, k === "referrer" ? 2048 : 200));
    if (!ok) problems.push(`${at}.campaign: unknown key or value`);
  }
  const type = event.type;
  if (type === "pageview" && event.url === undefined) problems.push(`${at}: pageview without url`);
  if ((type === "form" || type === "identify") && event.email === undefined)
    problems.push(`${at}: ${type} without email`);
  if ((type === "form" || type === "click" || type === "custom") && event.name === undefined)
    problems.push(`${at}: ${type} without name`);
  if (type === "engagement" && (event.engagedMs === undefined || event.scroll === undefined))
    problems.push(`${at}: engagement without engagedMs and scroll`);
}

function checkClient(item: { ip?: unknown; userAgent?: unknown }, problems: string[]): void {
  const ip = typeof item.ip === "string" ? IPV4.exec(item.ip) : null;
  if (!ip || ip.slice(1).some((octet) => Number(octet) > 255)) problems.push("ip: not an IPv4 address");
  if (!isString(item.userAgent, 512) || item.userAgent.length === 0) problems.push("userAgent: missing");
}

/** Problems with one generated item ([] when it is valid): protocol shape, collector limits, sane values. */
export function checkItem(item: DemoItem): string[] {
  const problems: string[] = [];
  if (typeof item.at !== "number" || !Number.isFinite(item.at)) problems.push("at: not a finite number");
  switch (item.kind) {
    case "request": {
      checkClient(item, problems);
      if (item.country !== undefined && !/^[A-Z]{2}$/.test(item.country))
        problems.push("country: not ISO 3166 alpha-2");
      const batch = item.batch as unknown;
      if (!isRecord(batch)) {
        problems.push("batch: not an object");
        break;
      }
      if (!isString(batch.site, 64) || batch.site.length === 0) problems.push("batch.site: 1-64 characters");
      if (batch.visitor !== undefined && !(isString(batch.visitor, 64) && ID.test(batch.visitor)))
        problems.push("batch.visitor: must be 8-64 of [A-Za-z0-9_-]");
      const sentAt = typeof batch.sentAt === "number" && Number.isFinite(batch.sentAt) ? batch.sentAt : Number.NaN;
      if (Number.isNaN(sentAt)) problems.push("batch.sentAt: not a finite number");
      if (!Array.isArray(batch.events) || batch.events.length < 1 || batch.events.length > 100) {
        problems.push("batch.events: 1-100 events");
        break;
      }
      batch.events.forEach((event, i) => {
        checkEvent(event, sentAt, `batch.events.${i}`, problems);
      });
      break;
    }
    case "qr_scan":
    case "link_click":
      checkClient(item, problems);
      if (!/^[\w-]{1,64}$/.test(item.code)) problems.push("code: invalid");
      if (!ID.test(item.visitor)) problems.push("visitor: must be 8-64 of [A-Za-z0-9_-]");
      break;
    case "sales":
      if (!EMAIL.test(item.email)) problems.push("email: invalid");
      if (!SALES_ACTIONS.has(item.action)) problems.push("action: unknown");
      if ((item.action === "reject" || item.action === "lose") && !item.reason)
        problems.push(`${item.action} without reason`);
      if (item.value !== undefined && !(Number.isFinite(item.value) && item.value > 0))
        problems.push("value: not positive");
      break;
    default:
      problems.push("kind: unknown");
  }
  return problems;
}
