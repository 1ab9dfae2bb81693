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

/** The collector's e-mail check (valibot's): one bad address would make it reject the whole batch. */
export const EMAIL = /^[\w+-]+(\.[\w+-]+)*@[\da-z]+([.-][\da-z]+)*\.[a-z]{2,}$/i;

/**
 * Picks what an opted-in form may send: a valid e-mail (an `email` input or a field named like
 * e-mail) and trait fields by name (name, company, organisation, role, title, job, phone).
 * It is an allowlist: only text-like controls are read (text, email, tel, textarea, select,
 * search: never password, hidden, file, checkbox or radio inputs), never a field marked
 * `data-lt-sensitive` or a payment field (autocomplete cc-*), and nothing else of the form.
 */
export function formFields(fields: ArrayLike<FieldLike>): CapturedFields {
  const traits: Record<string, string> = {};
  let email: string | undefined;
  for (const field of Array.from(fields)) {
    const { type, name, value } = field;
    if (value && /^(te|em|se)/.test(type) && !field.matches("[data-lt-sensitive],[autocomplete*=cc-]"))
      if (/e-?mail/i.test(type + name)) {
        if (EMAIL.test(value)) email = value;
      } else if (/name|compan|org|role|title|job|phone/i.test(name)) traits[name] = value;
  }
  return { email, traits };
}
