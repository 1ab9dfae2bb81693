import { describe, expect, it } from "vitest";
import { type FieldLike, formFields } from "./forms.ts";

/** A form control as the browser would report it; attributes drive `matches`. */
function field(type: string, name: string, value: string, attrs: Record<string, string> = {}): FieldLike {
  return {
    type,
    name,
    value,
    matches: (selector) =>
      selector.split(",").some((part) => {
        const m = /^\[([\w-]+)(\*=)?([\w-]*)\]$/.exec(part.trim());
        const attr = m?.[1] ? attrs[m[1]] : undefined;
        return attr !== undefined && (!m?.[2] || attr.includes(m[3] ?? ""));
      }),
  };
}

describe("formFields", () => {
  it("takes the e-mail and trait fields of an opted-in form", () => {
    expect(
      formFields([
        field("email", "contact", "ada@example.com"),
        field("text", "first_name", "Ada"),
        field("text", "Company", "Engines Ltd"),
        field("select-one", "role", "CTO"),
        field("tel", "phone", "+44 1"),
        field("textarea", "message", "hello"),
      ]),
    ).toEqual({
      email: "ada@example.com",
      traits: { first_name: "Ada", Company: "Engines Ltd", role: "CTO", phone: "+44 1" },
    });
  });

  const never: [string, FieldLike][] = [
    ["password", field("password", "name", "secret")],
    ["hidden", field("hidden", "company", "secret")],
    ["file", field("file", "name", "C:\\fakepath\\cv.pdf")],
    ["checkbox", field("checkbox", "role", "on")],
    ["marked sensitive", field("text", "name", "secret", { "data-lt-sensitive": "" })],
    ["card holder", field("text", "name", "secret", { autocomplete: "cc-name" })],
    ["card number with section", field("text", "title", "secret", { autocomplete: "section-a cc-number" })],
    ["unknown field", field("text", "favourite_colour", "blue")],
  ];
  it.each(never)("never reads a %s field", (_name, f) => {
    expect(formFields([f])).toEqual({ email: undefined, traits: {} });
  });

  it.each([
    ["an email input, whatever its name", field("email", "work", "a@b.co"), "a@b.co"],
    ["a text field named e-mail", field("text", "e-mail", "bob@example.org"), "bob@example.org"],
    ["a text field named Email", field("text", "Email", "carol@example.org"), "carol@example.org"],
    // The collector validates addresses (and rejects only that event), so no pattern ships here.
    ["an address the collector will judge", field("email", "email", "not-an-address"), "not-an-address"],
  ])("reads %s as the e-mail", (_name, f, email) => {
    expect(formFields([f])).toEqual({ email, traits: {} });
  });
});
