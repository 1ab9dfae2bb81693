// Fictional people and their profile traits. Names come from a fixed permutation of a counter, so
// the first 1,600 people of a run all have different names and e-mails stay unique in practice,
// without remembering every e-mail handed out (which would grow without bound).
import { BUYER_ROLES, COMPANIES, type Company, FIRST_NAMES, FREE_MAIL_DOMAINS, LAST_NAMES } from "./catalog.ts";
import { choose, pick, type Random, randomInt, weighted } from "./random.ts";

/** A person who may identify: the e-mail and the traits a form or identify call would send. */
export interface Person {
  email: string;
  traits: Record<string, string>;
  /** Company size, kept apart from traits so sales can size deals without parsing. */
  companySize?: string;
}

const NAME_PAIRS = FIRST_NAMES.length * LAST_NAMES.length;
// Coprime with NAME_PAIRS (1,600 = 2^6 · 5^2), so index → pair is a permutation.
const NAME_STRIDE = 1201;
const buyerRoles = weighted(BUYER_ROLES);

function ascii(name: string): string {
  return name
    .toLowerCase()
    .replace(/ä/g, "ae")
    .replace(/ö/g, "oe")
    .replace(/ü/g, "ue")
    .replace(/ß/g, "ss")
    .replace(/[^a-z]/g, "");
}

function nameOf(index: number, offset: number): { first: string; last: string } {
  const pair = (index * NAME_STRIDE + offset) % NAME_PAIRS;
  return {
    first: FIRST_NAMES[pair % FIRST_NAMES.length] as string,
    last: LAST_NAMES[Math.floor(pair / FIRST_NAMES.length)] as string,
  };
}

/** Picks a company with a skew, so a few accounts have several leads (account roll-ups need that). */
export function pickCompany(random: Random): Company {
  return COMPANIES[Math.floor(random() ** 1.8 * COMPANIES.length)] as Company;
}

/** A buyer at a company: work e-mail and full firmographic traits. */
export function businessPerson(
  random: Random,
  index: number,
  offset: number,
  company: Company,
  extra?: Record<string, string>,
): Person {
  const { first, last } = nameOf(index, offset);
  const [role, seniority] = choose(random, buyerRoles);
  return {
    email: `${ascii(first)}.${ascii(last)}@${company.domain}`,
    companySize: company.size,
    traits: {
      name: `${first} ${last}`,
      company: company.name,
      role,
      seniority,
      companySize: company.size,
      industry: company.industry,
      ...extra,
    },
  };
}

/** Someone with a free-mail address (student, job seeker): a name and a role, no company. */
export function freeMailPerson(random: Random, index: number, offset: number, role: string, seniority: string): Person {
  const { first, last } = nameOf(index, offset);
  const domain = pick(random, FREE_MAIL_DOMAINS);
  return {
    email: `${ascii(first)}.${ascii(last)}${randomInt(random, 10, 99)}@${domain}`,
    traits: { name: `${first} ${last}`, role, seniority },
  };
}
