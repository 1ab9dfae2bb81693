/** The parts of a form control that decide whether and how it is captured. */
export interface FieldLike {
  type: string;
  name: string;
  value: string;
  matches(selector: string): boolean;
}

/** What a submitted, opted-in form tells about the visitor. */
export interface CapturedFields {
  email?: string;
  traits: Record<string, string>;
}

/**
 * Picks what an opted-in form may send: the e-mail (an `email` input or a field named like
 * e-mail) and trait fields by name (name, company, organisation, role, title, job, phone).
 * It is an allowlist: only text-like controls are read (text, email, tel, textarea, select,
 * search: never password, hidden, file, checkbox or radio inputs), never a field marked
 * `data-lt-sensitive` or a payment field (autocomplete cc-*), and nothing else of the form.
 * The address is not checked here: the collector validates each event on its own and rejects
 * only the one with a bad address, so the script need not ship an e-mail pattern.
 */
export const formFields = (fields: Iterable<FieldLike>): CapturedFields => {
  const traits: Record<string, string> = {};
  let email: string | undefined;
  for (const field of fields) {
    const { type, name, value } = field;
    if (value && /^(te|em|se)/.test(type) && !field.matches("[data-lt-sensitive],[autocomplete*=cc-]"))
      if (/e-?mail/i.test(type + name)) email = value;
      else if (/name|compan|org|role|title|job|phone/i.test(name)) traits[name] = value;
  }
  return { email, traits };
};
