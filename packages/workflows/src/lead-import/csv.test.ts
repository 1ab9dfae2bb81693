import { describe, expect, it } from "vitest";
import { parseCsv, suggestMapping, validateRows } from "./csv.ts";

const owners = new Map([["rep@acme.test", 7]]);

describe("parseCsv and suggestMapping", () => {
  it("parses quotes, embedded separators and newlines, and keeps cells as written", () => {
    const parsed = parseCsv(
      '\uFEFFE-mail,Full Name,Company\r\n"a@x.test","Doe, Jane","ACME\nGmbH"\r\n\r\nb@y.test,=1+2,@SUM(A1)\r\n',
    );
    expect(parsed.headers).toEqual(["E-mail", "Full Name", "Company"]);
    expect(parsed.rows).toEqual([
      ["a@x.test", "Doe, Jane", "ACME\nGmbH"],
      ["b@y.test", "=1+2", "@SUM(A1)"],
    ]);
  });

  it("reads semicolon-separated exports too", () => {
    expect(parseCsv("email;name\na@x.test;Ann\n").rows).toEqual([["a@x.test", "Ann"]]);
  });

  it("maps the usual CRM header names", () => {
    const headers = [
      "Email Address",
      "Name",
      "Account Name",
      "Job Title",
      "Country",
      "Lifecycle Stage",
      "Lead Owner",
      "Acquisition",
      "Legal basis",
      "Notes",
    ];
    expect(suggestMapping(headers)).toEqual({
      email: 0,
      name: 1,
      company: 2,
      role: 3,
      country: 4,
      stage: 5,
      owner: 6,
      acquisition: 7,
      legalBasis: 8,
    });
  });
});

describe("validateRows", () => {
  const mapping = { email: 0, name: 1, stage: 2, owner: 3, acquisition: 4, legalBasis: 5, country: 6 };
  const cases: { name: string; cells: string[]; error?: { field: string; message: RegExp } }[] = [
    {
      name: "a complete row",
      cells: ["Ann@X.test ", "Ann", "SQL", "REP@acme.test", "cold", "legitimate interest", "de"],
    },
    { name: "empty cells keep the lead's values", cells: ["ann@x.test", "", "", "", "", "", ""] },
    { name: "a missing e-mail", cells: ["", "Ann", "", "", "", "", ""], error: { field: "email", message: /empty/ } },
    {
      name: "a malformed e-mail",
      cells: ["ann(at)x", "", "", "", "", "", ""],
      error: { field: "email", message: /not an e-mail/ },
    },
    {
      name: "an unknown stage",
      cells: ["a@x.test", "", "hot", "", "", "", ""],
      error: { field: "stage", message: /unknown stage "hot"/ },
    },
    {
      name: "an unknown owner",
      cells: ["a@x.test", "", "", "who@x.test", "", "", ""],
      error: { field: "owner", message: /who@x.test/ },
    },
    {
      name: "a bad acquisition",
      cells: ["a@x.test", "", "", "", "lukewarm", "", ""],
      error: { field: "acquisition", message: /warm or cold/ },
    },
    {
      name: "a bad legal basis",
      cells: ["a@x.test", "", "", "", "", "because", ""],
      error: { field: "legalBasis", message: /because/ },
    },
    {
      name: "a country that is not a code",
      cells: ["a@x.test", "", "", "", "", "", "Germany"],
      error: { field: "country", message: /two-letter/ },
    },
    {
      name: "an over-long cell",
      cells: ["a@x.test", "x".repeat(501), "", "", "", "", ""],
      error: { field: "name", message: /longer than 500/ },
    },
  ];
  for (const c of cases) {
    it(c.error ? `reports ${c.name} on its line` : `accepts ${c.name}`, () => {
      const result = validateRows({ headers: [], rows: [c.cells] }, mapping, owners);
      if (c.error) {
        expect(result.rows).toEqual([]);
        expect(result.errors).toEqual([
          { line: 2, field: c.error.field, message: expect.stringMatching(c.error.message) },
        ]);
      } else {
        expect(result.errors).toEqual([]);
        expect(result.rows).toHaveLength(1);
      }
    });
  }

  it("normalises a valid row", () => {
    const { rows } = validateRows({ headers: [], rows: [cases[0]?.cells ?? []] }, mapping, owners);
    expect(rows[0]).toMatchObject({
      line: 2,
      email: "ann@x.test",
      stage: "sql",
      ownerId: 7,
      acquisition: "cold",
      legalBasis: "legitimate_interest",
      country: "DE",
    });
  });

  it("reports the second occurrence of an e-mail in the file", () => {
    const result = validateRows(
      { headers: [], rows: [["a@x.test"], ["b@x.test"], ["A@x.test"]] },
      { email: 0 },
      owners,
    );
    expect(result.rows.map((r) => r.email)).toEqual(["a@x.test", "b@x.test"]);
    expect(result.errors).toEqual([{ line: 4, field: "email", message: "same e-mail as line 2" }]);
  });

  it("keeps formula-looking values as text", () => {
    const cells = ["f@x.test", "=cmd|' /C calc'!A0", "", "", "", "", ""];
    const withCompany = { ...mapping, company: 7, role: 8 };
    const { rows } = validateRows({ headers: [], rows: [[...cells, "+49 ACME", "-lead@role"]] }, withCompany, owners);
    expect(rows[0]).toMatchObject({ name: "=cmd|' /C calc'!A0", company: "+49 ACME", role: "-lead@role" });
  });

  it("needs a column for e-mail", () => {
    expect(validateRows({ headers: [], rows: [["x"]] }, { name: 0 }, owners).errors).toEqual([
      { line: 1, field: "email", message: "map a column to e-mail" },
    ]);
  });
});
