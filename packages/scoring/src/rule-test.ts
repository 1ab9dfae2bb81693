import { ruleMatches, traitsMatch } from "./match.ts";
import type { Campaign, ProfileTraits, Rule, RuleSet } from "./types.ts";

/** A stored event for "test this rule", in the sample's order: by browser, then by time. */
export interface SampleEvent {
  id: number;
  visitorId: string;
  leadId: number | null;
  type: string;
  name: string | null;
  path: string | null;
  url: string | null;
  props: Record<string, unknown> | null;
  campaign: Record<string, string> | null;
  receivedAt: number;
  /** The browser was first seen before the sample's first event of it (it had visits before). */
  seenBefore: boolean;
}

/** A lead's profile for testing a fit rule. */
export interface SampleLead {
  id: number;
  email: string;
  profile: ProfileTraits;
}

/** What a rule would have matched in a sample of recent data, with a few examples (newest first). */
export interface RuleTestResult {
  /** Events (engagement) or leads (fit) looked at. */
  scanned: number;
  events: number;
  leads: number;
  /** Events matched by browsers not (yet) known as a lead. */
  anonymousEvents: number;
  examples: {
    eventId: number | null;
    leadId: number | null;
    email: string | null;
    type: string | null;
    name: string | null;
    path: string | null;
    at: number | null;
  }[];
}

const EXAMPLES = 3;

/**
 * Replays one rule over a sample with the engine's matcher, caps aside: a marketer asks "what does
 * this condition catch", not "how many points". Visit starts are derived per browser with
 * `visitGapMs` of inactivity, as ingest derives them; a browser seen before the sample counts as
 * having had a visit before it (for the returning-visit condition).
 */
export function testRule(
  rule: Rule,
  sample: { events: readonly SampleEvent[]; leads: readonly SampleLead[] },
  ruleSet: Pick<RuleSet, "competitorDomains" | "freeMailDomains">,
  visitGapMs: number,
): RuleTestResult {
  if (rule.kind === "fit") {
    const hits = sample.leads.filter((l) => traitsMatch(rule.match, l.profile, ruleSet));
    return {
      scanned: sample.leads.length,
      events: 0,
      leads: hits.length,
      anonymousEvents: 0,
      examples: hits.slice(0, EXAMPLES).map((l) => ({
        eventId: null,
        leadId: l.id,
        email: l.email,
        type: null,
        name: null,
        path: null,
        at: null,
      })),
    };
  }
  const matched: SampleEvent[] = [];
  const leads = new Set<number>();
  let visitor: string | null = null;
  let lastAt = 0;
  let visits = 0;
  for (const e of sample.events) {
    if (e.visitorId !== visitor) {
      visitor = e.visitorId;
      visits = e.seenBefore ? 1 : 0;
      lastAt = Number.NEGATIVE_INFINITY;
    }
    const visitStart = e.receivedAt - lastAt > visitGapMs;
    lastAt = e.receivedAt;
    const event = {
      id: e.id,
      type: e.type,
      name: e.name ?? undefined,
      path: e.path ?? undefined,
      url: e.url ?? undefined,
      props: (e.props ?? undefined) as Record<string, string | number | boolean> | undefined,
      campaign: (e.campaign ?? undefined) as Campaign | undefined,
      visitStart,
      at: e.receivedAt,
    };
    if (ruleMatches(rule.match, event, { visitsBefore: visits })) {
      matched.push(e);
      if (e.leadId !== null) leads.add(e.leadId);
    }
    if (visitStart) visits++;
  }
  matched.sort((a, b) => b.receivedAt - a.receivedAt || b.id - a.id);
  return {
    scanned: sample.events.length,
    events: matched.length,
    leads: leads.size,
    anonymousEvents: matched.filter((e) => e.leadId === null).length,
    examples: matched.slice(0, EXAMPLES).map((e) => ({
      eventId: e.id,
      leadId: e.leadId,
      email: null,
      type: e.type,
      name: e.name,
      path: e.path,
      at: e.receivedAt,
    })),
  };
}
