import { emailDomain, isFreeMailDomain } from "./free-mail.ts";
import type { ProfileTraits, RuleSet, Stage } from "./types.ts";

/** One member of an account, with the combined score the caller computed at `now`. */
export interface CompanyMember {
  score: number;
  stage?: Stage;
}

/** Options for the roll-up; the defaults suit the default rule set. */
export interface CompanyRollupOptions {
  /** Weights for the best, second best, … member. More members than weights add nothing. */
  weights?: number[];
  /** Score a member needs to count as engaged. */
  engagedMin?: number;
  /** Engaged members that make a buying group. */
  buyingGroupSize?: number;
}

/** An account's roll-up. */
export interface CompanyRollup {
  score: number;
  members: number;
  engagedMembers: number;
  /** Several engaged people at once: the pattern of a B2B purchase, worth a rep's call. */
  buyingGroup: boolean;
  topScore: number;
}

/** Default weights: the best member counts fully, the next ones less and less. */
export const COMPANY_WEIGHTS = [1, 0.8, 0.6, 0.4, 0.2] as const;

/**
 * Rolls member scores up to an account score. A plain maximum would hide a buying group (three
 * people at 20 look like one person at 20); a plain sum would let one company with many idle
 * newsletter readers outrank a focused one. A weighted sum of the top members, best first, makes
 * three mid-score people (20+16+12 = 48) stand out above one hot lead at 40, while the fifth and
 * later members add little or nothing. Negative members count as zero (they do not cancel a
 * colleague's interest).
 */
export function companyRollup(members: readonly CompanyMember[], options: CompanyRollupOptions = {}): CompanyRollup {
  const weights = options.weights ?? COMPANY_WEIGHTS;
  const engagedMin = options.engagedMin ?? 10;
  const groupSize = options.buyingGroupSize ?? 3;
  const scores = members.map((m) => Math.max(0, m.score)).sort((x, y) => y - x);
  let score = 0;
  scores.forEach((s, i) => {
    score += s * (weights[i] ?? 0);
  });
  const engagedMembers = scores.filter((s) => s >= engagedMin).length;
  return {
    score,
    members: members.length,
    engagedMembers,
    buyingGroup: engagedMembers >= groupSize,
    topScore: scores[0] ?? 0,
  };
}

const LEGAL_SUFFIXES =
  /[\s,]+(gmbh(\s*&\s*co\.?\s*kg)?|ag|se|kg|ohg|ug|e\.?\s?v\.?|inc\.?|ltd\.?|llc|plc|corp\.?|co\.?|s\.?a\.?|b\.?v\.?|s\.?r\.?l\.?)$/i;

/**
 * The key that groups a lead into an account: its business e-mail domain ("acme.com"), else its
 * normalised company name ("name:acme"), else undefined. Free-mail domains never group people.
 */
export function companyKey(traits: ProfileTraits, ruleSet?: Pick<RuleSet, "freeMailDomains">): string | undefined {
  const domain = emailDomain(traits.email);
  if (domain && !isFreeMailDomain(domain, ruleSet?.freeMailDomains ?? [])) return domain.replace(/^www\./, "");
  const name = traits.company?.trim().toLowerCase();
  if (!name) return undefined;
  let normal = name;
  for (let i = 0; i < 3; i++) normal = normal.replace(LEGAL_SUFFIXES, "").trim();
  normal = normal.replace(/\s+/g, " ");
  return normal ? `name:${normal}` : undefined;
}
