// The browser script. scripts/build.mjs builds it twice: the core (FULL=false, page views, SPA,
// custom events, identify, forms, engagement, consent) and the full script (FULL=true, every
// option); esbuild drops every `FULL &&` branch from the core.
//
// Every byte here is downloaded by every visitor of every site, so the code is written for size:
// one listener function for all DOM events, storage used through its named properties, and
// short-circuit expressions where an `if` would do. Names and these comments carry the meaning.
// Every entry point (init, DOM listeners, timers, fetch callbacks) is guarded, so nothing here can
// throw into the host page or print to its console.

import { campaignFrom } from "./campaign.ts";
import { EMAIL, formFields } from "./forms.ts";
import { randomId } from "./ids.ts";
import { linkKind } from "./links.ts";
import type { CampaignContext, EventType, WireEvent } from "./protocol.ts";

declare const FULL: boolean;

interface LeadtrailApi {
  track(name: string, props?: WireEvent["props"]): void;
  identify(email: string, traits?: WireEvent["traits"]): void;
  consent(granted: boolean): void;
}
/** What the documented one-line stub leaves behind: calls made before this script loaded. */
interface Stub {
  q?: [keyof LeadtrailApi, never[]][];
}

/** At most this many events wait in memory and go in one batch (the collector's batch limit). */
const MAX_QUEUE = 100;
/** A failed send is retried this many times on one page, backing off from the flush delay. */
const MAX_TRIES = 6;

/** Cuts strings to the collector's limits, so one long value cannot get a whole batch rejected. */
const fit = (key: string, value: unknown) =>
  typeof value === "string" ? value.slice(0, key === "url" || key === "referrer" ? 2048 : 200) : value;

const w = window;
const d = document;
const nav = navigator as Navigator & { globalPrivacyControl?: boolean };
// Storage may be disabled (and then throws on access): a plain object stands in, so the rest of
// the script reads and writes `local.lt_v` without guards. Keys: lt_v visitor id, lt_q unsent
// events (full), lt_c the visit's campaign (full, session storage).
let local: Record<string, string> = {};
let session: Record<string, string> = {};
let visitor: string | 0 = 0;
let queue: WireEvent[] = [];
let tries = 0;
// biome-ignore lint/correctness/noUnusedVariables: read by `timer ||=`, which Biome does not count as a read
let timer: ReturnType<typeof setTimeout> | 0 = 0;
let page = "";
let engaged = 0;
let depth = 0;
let last = Date.now();
let active = false;
let campaign: CampaignContext | undefined;

try {
  const script = d.currentScript as HTMLScriptElement;
  const config = script.dataset;
  const { site, consent: consentMode } = config;
  const stub = (w as { leadtrail?: Stub }).leadtrail;
  if (
    site &&
    !(FULL && stub && !stub.q) && // the real API is already there: this script was included twice
    !((FULL ? config.dnt !== "false" : 1) && (nav.doNotTrack === "1" || nav.globalPrivacyControl))
  ) {
    const endpoint = `${config.api || new URL(script.src).origin}/e`;
    // A function, not a constant: esbuild then folds the core's fixed delay into each use.
    const delay = () => (FULL ? Number(config.flush) || 1e3 : 1e3);
    // Taken now: a later monkeypatch of fetch by the host page cannot touch (or break) our requests.
    const post = fetch;

    /** Sends what may be sent; `hidden` means the page is going away, where sendBeacon is reliable. */
    const flush = !FULL
      ? // The core does not retry, so it needs no answer: sendBeacon (text/plain too) does it all.
        () => {
          timer = 0;
          visitor &&
            queue[0] &&
            nav.sendBeacon(
              endpoint,
              JSON.stringify({ site, visitor, sentAt: Date.now(), events: queue.splice(0, MAX_QUEUE) }),
            );
        }
      : (hidden?: unknown) => {
          timer = 0;
          const batch: WireEvent[] = [];
          // Without consent only cookieless page views may leave, and only where the site allows them.
          queue = queue.filter(
            (e) =>
              !(
                (visitor || (consentMode === "cookieless" && e.type === "pageview")) &&
                batch.length < MAX_QUEUE &&
                batch.push(e)
              ),
          );
          if (!batch[0]) return;
          // A string body is sent as text/plain, a "simple" request: no CORS preflight.
          const body = JSON.stringify({ site, visitor: visitor || undefined, sentAt: Date.now(), events: batch }, fit);
          if (hidden && nav.sendBeacon(endpoint, body)) {
            // A beacon's fate is unknown: while the collector is failing, keep the events (they go
            // to storage); sending twice is harmless because the collector drops duplicate ids.
            if (tries) queue = [...batch, ...queue];
          }
          // async: a fetch the host page broke fails like a network error (and retries), never throws.
          else
            (async () => post(endpoint, { method: "POST", body, keepalive: true }))()
              .then((r) => {
                if (r.status > 499) throw 0; // a 4xx is final: the same batch would be refused again
                tries = 0;
              })
              .catch(() => {
                // Back to the front of the queue, same ids, after a doubling delay; bounded in count.
                queue = [...batch, ...queue].slice(-MAX_QUEUE);
                if (++tries < MAX_TRIES) timer ||= setTimeout(flush, delay() << tries);
              });
        };

    const track = (type: EventType, fields?: Partial<WireEvent>) => {
      try {
        // Serialised once here, so props the host passed that JSON cannot hold (a cycle, a BigInt)
        // drop this one event instead of throwing into the page or breaking a later batch.
        JSON.stringify(fields);
        queue.push({ id: randomId(), type, time: Date.now(), url: page, ...fields }) > MAX_QUEUE && queue.shift();
        timer ||= setTimeout(flush, delay());
      } catch {}
    };

    /** Adds engaged time since the last call: page visible and focused, at most `idle` ms after an input. */
    const tick = () => {
      const now = Date.now();
      if (active) engaged += Math.min(now - last, (FULL && Number(config.idle)) || 3e4);
      last = now;
      active = !d.hidden && d.hasFocus();
      depth = Math.max(depth, (scrollY + innerHeight) / d.documentElement.scrollHeight || 0);
    };

    /** Reports this page's engagement since the last report: deltas, which the collector adds up. */
    const report = () => {
      tick();
      if (engaged) track("engagement", { engagedMs: engaged, scroll: Math.min(1, depth) });
      engaged = depth = 0;
    };

    const pageview = () => {
      const url = FULL && config.hash === "true" ? location.href : (location.href.split("#")[0] as string);
      const referrer = page || d.referrer;
      // A router's replaceState of the same URL, or a hash change without hash routing, is no new view.
      if (url !== page) {
        if (page) report(); // the engagement belongs to the page being left
        page = url;
        track("pageview", FULL ? { title: d.title, referrer, campaign } : { title: d.title, referrer });
      }
    };

    const api: LeadtrailApi = {
      track: (name, props) => track("custom", { name, props }),
      // An invalid address would get the whole batch rejected, so it is not sent.
      identify: (email, traits) => EMAIL.test(email) && track("identify", { email, traits }),
      consent: (granted) => {
        if (granted) {
          local.lt_v = visitor ||= randomId();
          if (FULL && campaign) session.lt_c = JSON.stringify(campaign);
          flush();
        } else {
          visitor = 0;
          queue = [];
          delete local.lt_v;
          if (FULL) {
            delete local.lt_q;
            delete session.lt_c;
          }
        }
      },
    };

    /** The one listener for every DOM event the script uses. */
    const onEvent = (e: Event) => {
      try {
        const type = e.type;
        const target = e.target as HTMLElement;
        tick();
        if (type === "popstate" || type === "hashchange") pageview();
        else if (type === "submit") {
          // Forms not opted in send nothing at all, not even that they were submitted.
          if (target.matches(FULL && config.forms ? `${config.forms},[data-lt-form]` : "[data-lt-form]"))
            track("form", {
              name: FULL ? target.dataset.ltForm || target.getAttribute("id") || undefined : target.dataset.ltForm,
              ...formFields((target as HTMLFormElement).elements as unknown as HTMLInputElement[]),
            });
        } else if (d.hidden) {
          // Any event on a hidden page (in practice visibilitychange) reports and sends what is left.
          report();
          flush(1);
          // Whatever could not be delivered waits in storage for the next page (with consent only).
          if (FULL && visitor && queue[0]) local.lt_q = JSON.stringify(queue);
        } else if (FULL && type[0] === "v")
          delete local.lt_q; // visible again: the queue in memory goes on
        else if (FULL && type === "online") flush();
        else if (FULL && type.endsWith("click")) {
          const tagged = target.closest<HTMLElement>("[data-lt-event]");
          const link = target.closest("a");
          const kind = link && linkKind(link, location.host);
          if (tagged) {
            const props: Record<string, string> = {};
            for (const { name, value } of Array.from(tagged.attributes))
              if (name.startsWith("data-lt-prop-")) props[name.slice(13)] = value;
            track("click", { name: tagged.dataset.ltEvent, props });
          } else if (kind) track(kind, { name: link.href });
        }
      } catch {}
    };

    try {
      local = localStorage;
      if (FULL) session = sessionStorage;
    } catch {}
    visitor = local.lt_v || (consentMode ? 0 : randomId());
    if (visitor) local.lt_v = visitor;
    if (FULL) {
      try {
        // Events an earlier page could not deliver: only with consent, since they were stored.
        if (visitor && local.lt_q) queue = JSON.parse(local.lt_q);
        campaign =
          campaignFrom(location.search, d.referrer, location.host) || JSON.parse(session.lt_c || "0") || undefined;
      } catch {}
      delete local.lt_q;
      if (visitor && campaign) session.lt_c = JSON.stringify(campaign);
    }

    tick();
    pageview();
    for (const method of ["pushState", "replaceState"] as const) {
      const original = history[method];
      history[method] = function (this: History) {
        // biome-ignore lint/complexity/noArguments: shorter than a rest parameter once minified
        original.apply(this, arguments as unknown as Parameters<History["pushState"]>);
        // After the router's own work, so the new title is in place and push+replace count once.
        setTimeout(pageview);
      };
    }
    for (const type of `popstate mousemove keydown scroll pointerdown focus blur visibilitychange submit${
      FULL ? " hashchange online click" : ""
    }`.split(" "))
      addEventListener(type, onEvent, true);

    // Publish the real API, then replay what the page queued before this script loaded.
    (w as { leadtrail?: LeadtrailApi }).leadtrail = api;
    for (const [method, args] of stub?.q || []) api[method](...(args as [never, never]));
  }
} catch {}
