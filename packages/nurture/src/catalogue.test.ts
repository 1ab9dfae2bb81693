import { describe, expect, it } from "vitest";
import { consumption, contentAt, contentHref, topicsOf } from "./catalogue.ts";
import type { ContentItem } from "./types.ts";

const catalogue: ContentItem[] = [
  { id: "blog-basics", kind: "blog", topics: ["Lead Scoring"], match: ["/blog/lead-scoring-basics"] },
  { id: "blog-any", kind: "blog", topics: ["blog"], match: ["/blog/*"] },
  { id: "wp-security", kind: "whitepaper", topics: ["security", "compliance"], match: ["/whitepapers/security*"] },
  { id: "pricing", kind: "pricing", topics: ["buying"], match: ["/pricing", "/de/preise"] },
  {
    id: "webinar-demo",
    kind: "webinar",
    topics: ["product", "security"],
    match: ["https://events.example.com/webinar/demo*"],
    href: "https://events.example.com/webinar/demo",
  },
  { id: "case-bank", kind: "case-study", topics: ["banking", "security"], match: ["/customers/bank/"] },
];

describe("contentAt", () => {
  it.each([
    { input: "/pricing", want: ["pricing"] },
    { input: "/PRICING/", want: ["pricing"] },
    { input: "/pricing?utm_source=x#plans", want: ["pricing"] },
    { input: "/de/preise", want: ["pricing"] },
    { input: "https://www.example.com/pricing?x=1", want: ["pricing"] },
    { input: "/pricing/enterprise", want: [] },
    { input: "/blog/lead-scoring-basics", want: ["blog-basics", "blog-any"] },
    { input: "/blog/other", want: ["blog-any"] },
    { input: "/whitepapers/security-2025.pdf", want: ["wp-security"] },
    { input: "/customers/bank", want: ["case-bank"] },
    { input: "https://events.example.com/webinar/demo?ref=mail", want: ["webinar-demo"] },
    // A URL pattern never matches a bare path: the path alone does not say which host it was on.
    { input: "/webinar/demo", want: [] },
    { input: "/", want: [] },
    { input: "", want: [] },
  ])("$input → $want", ({ input, want }) => {
    expect(contentAt(input, catalogue).map((c) => c.id)).toEqual(want);
  });
});

describe("topicsOf", () => {
  it.each([
    { input: "/blog/lead-scoring-basics", want: ["blog", "lead scoring"] },
    { input: "/customers/bank", want: ["banking", "security"] },
    { input: "/imprint", want: [] },
  ])("$input → $want", ({ input, want }) => {
    expect(topicsOf(input, catalogue)).toEqual(want);
  });
});

describe("consumption", () => {
  it("counts distinct items per topic, not page views", () => {
    const result = consumption(
      [
        "/whitepapers/security-2025.pdf",
        "/whitepapers/security-2025.pdf?again",
        "/customers/bank",
        "https://events.example.com/webinar/demo",
        "/imprint",
      ],
      catalogue,
    );
    expect(result.contentIds).toEqual(["case-bank", "webinar-demo", "wp-security"]);
    expect(result.topics).toEqual({ security: 3, compliance: 1, banking: 1, product: 1 });
  });

  it("is empty for no paths", () => {
    expect(consumption([], catalogue)).toEqual({ contentIds: [], topics: {} });
  });
});

describe("contentHref", () => {
  it.each([
    { id: "pricing", want: "/pricing" },
    { id: "webinar-demo", want: "https://events.example.com/webinar/demo" },
    { id: "blog-any", want: null },
  ])("$id → $want", ({ id, want }) => {
    const item = catalogue.find((c) => c.id === id);
    expect(item && contentHref(item)).toBe(want);
  });
});
