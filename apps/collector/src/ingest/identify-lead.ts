import {
  attachVisitorHistory,
  type Database,
  ensureCompany,
  findLeadByEmail,
  insertLead,
  updateLeadProfile,
  type VisitorRow,
} from "@leadtrail/db";
import {
  emailDomain,
  identify,
  isFreeMailDomain,
  profileFromTraits,
  type RuleSet,
  updateTraits,
} from "@leadtrail/scoring";
import { isErasedEmail } from "@leadtrail/workflows";
import { attributeFirstTouch } from "./lead-origin.ts";
import type { DimensionValue, RollupBatch } from "./rollups.ts";
import type { LeadSubject, ScoreBook, VisitorSubject } from "./score-book.ts";

// Identify inside the write transaction: an e-mail (from a browser's identify or form event, or
// from POST /v1/identify) becomes a lead — found or created, with its company by e-mail domain —
// the browser is attached to it, and its anonymous score and history move into the lead.

/** What the write transaction lends identify. */
export interface IdentifyContext {
  tx: Database;
  ruleSet: RuleSet;
  book: ScoreBook;
  rollups: RollupBatch;
}

export interface IdentifyInput {
  siteId: number;
  /** The browser that identified itself; null for a server-side identify without one. */
  visitor: VisitorRow | null;
  email: string;
  traits: Record<string, string>;
  /** False for an untrusted browser identify: a lead it creates is marked unverified. */
  verified: boolean;
  at: number;
  country: string | null;
  /** Rollup dimensions a new lead and its points count under. */
  dims: DimensionValue[];
}

/**
 * Identify: find or create the lead (and its company, by e-mail domain), attach the visitor,
 * fold the visitor's anonymous score into the lead and hand its ledger rows and events over,
 * then recompute fit from the merged profile. Any of these can make the lead an MQL at once.
 * Undefined when the e-mail belongs to an erased person and no lead exists: nothing is stored.
 */
export async function identifyLead(
  ctx: IdentifyContext,
  input: IdentifyInput,
): Promise<{ subject: LeadSubject; created: boolean } | undefined> {
  const { tx, ruleSet, book } = ctx;
  const { siteId, visitor, traits, at } = input;
  const email = input.email.trim().toLowerCase();
  let lead = book.leadByEmail(siteId, email)?.lead ?? (await findLeadByEmail(tx, siteId, email));
  let created = false;
  const domain = emailDomain(email);
  const business = domain !== undefined && !isFreeMailDomain(domain, ruleSet.freeMailDomains ?? []);
  const companyOf = async () =>
    business && domain
      ? await ensureCompany(tx, { siteId, domain, name: traits.company ?? null, createdAt: at })
      : null;
  if (!lead) {
    // An erased person is not created again (checked only when a lead would be created).
    if (await isErasedEmail(tx, siteId, email)) return undefined;
    lead = await insertLead(tx, {
      siteId,
      email,
      name: personName(traits),
      companyId: await companyOf(),
      role: roleOf(traits),
      traits,
      unverified: !input.verified,
      createdAt: at,
    });
    created = true;
    await attributeFirstTouch(tx, lead, visitor);
    ctx.rollups.add(siteId, at, input.dims, { leads: 1 });
  } else {
    const profile = {
      ...lead,
      name: personName(traits) ?? lead.name,
      role: roleOf(traits) ?? lead.role,
      traits: { ...lead.traits, ...traits },
      unverified: lead.unverified && !input.verified,
      companyId: lead.companyId ?? (await companyOf()),
    };
    await updateLeadProfile(tx, profile);
    lead = profile;
  }
  const subject = book.lead(lead.id) ?? book.addLead(lead);
  subject.lead = lead;
  subject.lastActivityAt = Math.max(subject.lastActivityAt ?? 0, at);
  // The engine's clock is the receive time: replayed history (the demo loader) scores as it happened.
  const now = at;

  if (visitor && visitor.leadId !== lead.id) {
    if (visitor.leadId === null) {
      const anonymous = book.subjectFor(visitor) as VisitorSubject;
      book.take(subject, identify(subject.state, anonymous.state, ruleSet, now), null, visitor.id, input.dims);
      book.handOver(anonymous, lead.id);
      await attachVisitorHistory(tx, siteId, visitor.id, lead.id);
    }
    visitor.leadId = lead.id;
  }
  const profile = profileFromTraits(email, lead.traits, input.country);
  book.take(subject, updateTraits(subject.state, profile, ruleSet, now), null, visitor?.id ?? null, input.dims);
  return { subject, created };
}

/** The person's name from identify traits: `name`, or first and last name. */
function personName(traits: Record<string, string>): string | null {
  if (traits.name) return traits.name;
  const full = [traits.first_name ?? traits.firstName, traits.last_name ?? traits.lastName].filter(Boolean).join(" ");
  return full || null;
}

function roleOf(traits: Record<string, string>): string | null {
  return profileFromTraits("", traits).role ?? null;
}
