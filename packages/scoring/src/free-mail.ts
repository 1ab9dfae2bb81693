/**
 * A small list of consumer e-mail providers. A sign-up with one of these says little about the
 * company, so the default fit rules take points away. Sites add their own via
 * `RuleSet.freeMailDomains`.
 */
export const FREE_MAIL_DOMAINS: readonly string[] = [
  "aol.com",
  "bluewin.ch",
  "freenet.de",
  "gmail.com",
  "gmx.at",
  "gmx.ch",
  "gmx.de",
  "gmx.net",
  "googlemail.com",
  "hotmail.com",
  "hotmail.de",
  "icloud.com",
  "live.com",
  "mac.com",
  "mail.com",
  "mail.ru",
  "mailbox.org",
  "me.com",
  "msn.com",
  "outlook.com",
  "outlook.de",
  "posteo.de",
  "proton.me",
  "protonmail.com",
  "t-online.de",
  "web.de",
  "yahoo.com",
  "yahoo.de",
  "yandex.ru",
  "zoho.com",
];

const builtIn = new Set(FREE_MAIL_DOMAINS);

/** The lower-cased domain of an e-mail address, or undefined when there is none. */
export function emailDomain(email: string | undefined): string | undefined {
  if (!email) return undefined;
  const at = email.lastIndexOf("@");
  if (at < 0 || at === email.length - 1) return undefined;
  return email
    .slice(at + 1)
    .trim()
    .toLowerCase();
}

/** True when the domain (or a parent domain, "mail.gmx.de" → "gmx.de") is a free-mail provider. */
export function isFreeMailDomain(domain: string, extra: readonly string[] = []): boolean {
  return domainIn(domain, (d) => builtIn.has(d) || extra.includes(d));
}

/** True when the domain or one of its parents is in the list. */
export function domainInList(domain: string, list: readonly string[]): boolean {
  return domainIn(domain, (d) => list.includes(d));
}

function domainIn(domain: string, has: (d: string) => boolean): boolean {
  let d = domain.toLowerCase();
  for (;;) {
    if (has(d)) return true;
    const dot = d.indexOf(".");
    if (dot < 0 || d.indexOf(".", dot + 1) < 0) return false;
    d = d.slice(dot + 1);
  }
}
