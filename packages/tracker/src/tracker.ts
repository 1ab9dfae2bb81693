// The browser script. scripts/build.mjs builds it twice: the core (FULL=false, page views, SPA,
// custom events, identify, forms, engagement, consent) and the full script (FULL=true, every
// option); esbuild drops every `FULL &&` branch from the core.
//
// Every byte here is downloaded by every visitor of every site, so the code is written for size
// (the core must stay within 1,000 bytes of min+gzip, the full script within 2,000): one function,
// `tick`, for almost every DOM event and for history changes; storage used through its named
// properties; short-circuit expressions where an `if` would do; no checks the collector makes
// anyway (it validates every event on its own, so a bad e-mail or an over-long string costs only
// that event). Names and these comments carry the meaning. Measure every change with
// `npm run size`: gzip rewards repetition, so a "shorter" rewrite is sometimes larger.
// Every entry point (init, DOM listeners, timers, fetch callbacks) is guarded, so nothing here can
// throw into the host page or print to its console.

import { campaignFrom } from "./campaign.ts";
import { formFields } from "./forms.ts";
import { randomId } from "./ids.ts";
import { linkKind } from "./links.ts";
import type { CampaignContext, EventType, WireEvent } from "./protocol.ts";

declare const FULL: boolean;
/** `window.leadtrail`, the published API (or the stub's queue before this script ran). */
declare let leadtrail: unknown;

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

const d = document;
const nav = navigator as Navigator & { globalPrivacyControl?: boolean };
// Storage may be disabled (and then throws on access): a plain object stands in, so the rest of
// the script reads and writes `local.lt_v` without guards. Keys: lt_v visitor id, lt_q unsent
// events (full), lt_c the visit's campaign (full, session storage).
// The visitor id lives only in `local.lt_v` (no copy in a variable): absent, so JSON leaves it
// out, until there is consent to have one; and a consent(false) in another tab stops this one too.
let local: Record<string, string> = {};
let session: Record<string, string> = {};
let queue: WireEvent[] = [];
let tries = 0;
// biome-ignore lint/correctness/noUnusedVariables: read by `timer ||=`, which Biome does not count as a read
let timer: ReturnType<typeof setTimeout> | 0 = 0;
let page = "";
let engaged = 0;
let depth = 0;
let last = 0;
/** How many ms of the time until the next event may count as engaged: 0 while the page has no focus. */
let active: number | false = 0;
let campaign: CampaignContext | undefined;
/** Full build: the link token (`lt_s`) a QR scan's redirect put on this page's URL, until it is sent. */
let link: string | undefined;
/** Full build: ms events wait to be batched, and the base of the retry backoff. */
let delay = 1e3;
/** ms after an input that still count as engaged time (data-idle in the full build). */
let idle = 3e4;
/** Full build: `fetch`, taken at start so a later monkeypatch by the host page cannot touch (or break) our requests. */
let post: typeof fetch;
/**
 * Full build: batches sent by fetch and not yet answered. If the page is left meanwhile, their
 * answer (and a failure's retry) never comes back to it, so they go to storage with the queue.
 */
let flying: Set<WireEvent[]>;

try {
  const script = d.currentScript as HTMLScriptElement;
  const config = script.dataset;
  const site = config.site;
  const consentMode = config.consent;
  const stub = FULL && (window as { leadtrail?: Stub }).leadtrail;
  if (
    site &&
    !(FULL && stub && !stub.q) && // the real API is already there: this script was included twice
    !((!FULL || config.dnt !== "false") && (nav.doNotTrack === "1" || nav.globalPrivacyControl))
  ) {
    // The core posts to the script's own origin; the full build may be pointed elsewhere (data-api).
    const endpoint = FULL && config.api ? `${config.api}/e` : new URL("/e", script.src);
    if (FULL) {
      delay = Number(config.flush) || 1e3;
      idle = Number(config.idle) || 3e4;
      post = fetch;
      flying = new Set();
    }

    /** Sends what may be sent; `hidden` means the page is going away, where sendBeacon is reliable. */
    const flush: (hidden?: unknown) => void = !FULL
      ? // The core does not retry, so it needs no answer: sendBeacon (text/plain too) does it all.
        // A batch holds at most MAX_QUEUE events; the rest go with the next flush.
        () =>
          local.lt_v &&
          queue[0] &&
          nav.sendBeacon(
            endpoint,
            JSON.stringify({ site, visitor: local.lt_v, sentAt: Date.now(), events: queue.splice(0, MAX_QUEUE) }),
          )
      : (hidden) => {
          timer = 0;
          const batch: WireEvent[] = [];
          // Without consent only cookieless page views may leave, and only where the site allows them.
          queue = queue.filter(
            (e) =>
              !(
                (local.lt_v || (consentMode === "cookieless" && e.type === "pageview")) &&
                batch.length < MAX_QUEUE &&
                batch.push(e)
              ),
          );
          if (!batch[0]) return;
          // A string body is sent as text/plain, a "simple" request: no CORS preflight.
          // The link token goes once, with the first batch that has a visitor id (consent): the
          // collector then moves the scan to this visitor. Never stored.
          const body = JSON.stringify({ site, visitor: local.lt_v, sentAt: Date.now(), events: batch, link });
          if (local.lt_v) link = undefined;
          if (hidden && nav.sendBeacon(endpoint, body)) {
            // A beacon's fate is unknown: while the collector is failing, keep the events (they go
            // to storage); sending twice is harmless because the collector drops duplicate ids.
            if (tries) queue = [...batch, ...queue];
          }
          // async: a fetch the host page broke fails like a network error (and retries), never throws.
          else {
            flying.add(batch);
            (async () => post(endpoint, { method: "POST", body, keepalive: true }))()
              .then((r) => {
                if (r.status > 499) throw 0; // a 4xx is final: the same batch would be refused again
                tries = 0;
              })
              .catch(() => {
                // Back to the front of the queue, same ids, after a doubling delay; bounded in count.
                queue = [...batch, ...queue].slice(-MAX_QUEUE);
                if (++tries < MAX_TRIES) timer ||= setTimeout(flush, delay << tries);
              })
              .finally(() => flying.delete(batch));
          }
        };

    const track = (type: EventType, fields?: Partial<WireEvent>) => {
      try {
        // Serialised once here, so props the host passed that JSON cannot hold (a cycle, a BigInt)
        // drop this one event instead of throwing into the page or breaking a later batch.
        JSON.stringify(fields);
        // The full build bounds the queue (dropping the oldest); the core's only grows while it
        // waits for consent, and leaves in batches of MAX_QUEUE.
        queue.push({ id: randomId(), type, time: Date.now(), url: page, ...fields }) > MAX_QUEUE &&
          FULL &&
          queue.shift();
        // The core needs no timer handle: a flush finding the queue already sent sends nothing.
        if (!FULL) setTimeout(flush, 1e3);
        else timer ||= setTimeout(flush, delay);
      } catch {}
    };

    /**
     * Runs on every event (and after history changes): advances the engagement clock, reports it
     * when the page is left or hidden, and counts a page view when the URL changed. One function,
     * since all of this must happen on every event.
     */
    const tick = () => {
      // Engaged time: the time since the last event, but at most `active` of it, which is the idle
      // limit while the page has focus and 0 while it has none (a hidden page has no focus either).
      // (`-last + (last = now)`: the delta and the update in one expression, a few bytes shorter.)
      // biome-ignore lint/suspicious/noAssignInExpressions: size, see above
      engaged += Math.min(-last + (last = Date.now()), active as number); // Math.min(x, false) is min(x, 0)
      active = d.hasFocus() && idle;
      depth = Math.max(depth, (scrollY + innerHeight) / d.body.scrollHeight || 0);
      const url = FULL && config.hash === "true" ? location.href : (location.href.split("#")[0] as string);
      // The engagement so far belongs to the page being left or hidden; sent as deltas, which the
      // collector adds up. (A clock set back could make it negative: the collector rejects that one.)
      if (d.hidden || (page && url !== page)) {
        if (engaged) track("engagement", { engagedMs: engaged, scroll: Math.min(1, depth) });
        engaged = depth = 0;
      }
      // A router's replaceState of the same URL, or a hash change without hash routing, is no new view.
      // The referrer is read before `page` moves on (properties are evaluated in order), so an SPA
      // view's referrer is the page left; a temporary would cost a few bytes more.
      if (url !== page)
        track(
          "pageview",
          FULL
            ? // biome-ignore lint/suspicious/noAssignInExpressions: size, see above
              { title: d.title, referrer: page || d.referrer, url: (page = url), campaign }
            : // biome-ignore lint/suspicious/noAssignInExpressions: size, see above
              { title: d.title, referrer: page || d.referrer, url: (page = url) },
        );
      if (d.hidden) {
        // The page may be going away: send what is left (sendBeacon in the full build too).
        FULL ? flush(1) : flush();
        // Whatever could not be delivered, or is still on its way, waits in storage for the next
        // page (with consent only). A batch that arrives after all is sent again: the collector
        // drops duplicate ids.
        if (FULL && local.lt_v)
          try {
            const unsent = [...flying, queue].flat();
            if (unsent[0]) local.lt_q = JSON.stringify(unsent);
          } catch {} // storage full: nothing to do about it
      }
    };

    try {
      local = localStorage;
      if (FULL) session = sessionStorage;
    } catch {}
    // Without a consent mode the id is made and stored at once; with one, only by consent(true).
    if (!consentMode) local.lt_v ||= randomId();
    if (FULL) {
      try {
        // A scan's redirect added a link token: off the address bar at once (before the first
        // page view is counted, and before anyone copies or bookmarks the URL), kept in memory.
        const url = new URL(location.href);
        link = url.searchParams.get("lt_s") || undefined;
        if (link) {
          url.searchParams.delete("lt_s");
          history.replaceState(history.state, "", url);
        }
        // Events an earlier page could not deliver (stored only with consent).
        queue = JSON.parse(local.lt_q || "[]");
        campaign =
          campaignFrom(location.search, d.referrer, location.host) || (session.lt_c && JSON.parse(session.lt_c));
      } catch {}
      delete local.lt_q;
      if (local.lt_v && campaign) session.lt_c = JSON.stringify(campaign);
    }

    tick();
    for (const method of ["pushState", "replaceState"] as const) {
      const original = history[method];
      history[method] = (...args: Parameters<History["pushState"]>) => {
        original.apply(history, args);
        // After the router's own work, so the new title is in place and push+replace count once.
        setTimeout(tick);
      };
    }
    // Capture phase: a host page stopping an event's propagation cannot hide it from us. Every one
    // of these only ticks (popstate included: the tick sees the new URL). No `focus`: 4 bytes for
    // the seconds between coming back to the window and the first input, which are not counted.
    for (const type of "popstate pointermove pointerdown keydown scroll blur visibilitychange".split(" "))
      addEventListener(type, tick, true);
    /** The listener for the events that do more than tick: submit (and, in the full build, click, online, visibilitychange). */
    const onEvent = (e: Event) => {
      try {
        const type = e.type;
        const target = e.target as HTMLElement;
        if (!FULL || type === "submit") {
          // Forms not opted in send nothing at all, not even that they were submitted.
          if (target.matches(FULL && config.forms ? `${config.forms},[data-lt-form]` : "[data-lt-form]"))
            track("form", {
              name: FULL ? target.dataset.ltForm || target.getAttribute("id") || undefined : target.dataset.ltForm,
              ...formFields((target as HTMLFormElement).elements as unknown as Iterable<HTMLInputElement>),
            });
        } else if (FULL && type[0] === "v") {
          if (!d.hidden) delete local.lt_q; // visible again: the queue in memory goes on
        } else if (FULL && type === "online") flush();
        else if (FULL) {
          // click
          const tagged = target.closest<HTMLElement>("[data-lt-event]");
          const link = target.closest("a");
          const kind = link && linkKind(link, location.host);
          if (tagged) {
            const props: Record<string, string> = {};
            for (const { name, value } of tagged.attributes)
              if (name.startsWith("data-lt-prop-")) props[name.slice(13)] = value;
            track("click", { name: tagged.dataset.ltEvent, props });
          } else if (kind) track(kind, { name: link.href });
        }
      } catch {}
    };

    if (FULL)
      for (const type of ["submit", "click", "online", "visibilitychange"]) addEventListener(type, onEvent, true);
    else addEventListener("submit", onEvent, true);

    const api: LeadtrailApi = {
      track: (name, props) => track("custom", { name, props }),
      // The collector validates the address and rejects only this event when it is not one.
      identify: (email, traits) => track("identify", { email, traits }),
      consent: (granted) => {
        if (granted) {
          local.lt_v ||= randomId();
          if (FULL && campaign) session.lt_c = JSON.stringify(campaign);
          flush();
        } else {
          queue = [];
          delete local.lt_v;
          if (FULL) {
            delete local.lt_q;
            delete session.lt_c;
          }
        }
      },
    };

    // Publish the real API (a plain assignment: the script is not strict, so this is the global,
    // and shorter than `window.leadtrail`), then replay what the page queued before this script loaded.
    leadtrail = api;
    if (FULL && stub) for (const [method, args] of stub.q || []) api[method](...(args as [never, never]));
  }
} catch {}
