import { describe, expect, it } from "vitest";
import { EMAIL, type FieldLike, formFields } from "./forms.ts";

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

  it("reads e-mail fields by name and skips addresses the collector would reject", () => {
    expect(formFields([field("text", "e-mail", "bob@example.org")]).email).toBe("bob@example.org");
    expect(formFields([field("email", "email", "not-an-address")]).email).toBeUndefined();
  });

  it.each([
    ["a@b.co", true],
    ["first.last+tag@sub.example.com", true],
    ["a@b.c", false],
    ["a..b@example.com", false],
    ["a b@example.com", false],
    ["@example.com", false],
  ])("EMAIL %s → %s", (address, ok) => {
    expect(EMAIL.test(address)).toBe(ok);
  });
});
