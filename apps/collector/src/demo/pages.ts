// The demo website served by the collector at /demo/. It is data, not files, because the collector
// also runs in edge runtimes without a file system. Copy is short on purpose: the site exists to
// produce realistic tracking events (product images, forms, downloads, careers, the QR poster).
import { renderPage } from "./layout.ts";
import { POSTER_QR_SVG } from "./poster-qr.generated.ts";
import { WHITEPAPER_PDF } from "./whitepaper-pdf.ts";

export interface DemoAsset {
  body: string;
  contentType: string;
}

/** A tracked link or QR code the demo seeds; `/r/<code>` redirects to `targetPath` with the UTM parameters. */
export interface DemoLink {
  code: string;
  kind: "qr" | "link";
  targetPath: string;
  utm: { utm_source: string; utm_medium: string; utm_campaign: string };
}

/** Tracked links the seed creates; the pages and the traffic generator refer to these codes. */
export const DEMO_LINKS: readonly DemoLink[] = [
  {
    code: "spring-poster",
    kind: "qr",
    targetPath: "/demo/products/lead-scoring",
    utm: { utm_source: "poster", utm_medium: "qr", utm_campaign: "spring-launch" },
  },
  {
    code: "webinar-q3",
    kind: "link",
    targetPath: "/demo/whitepaper",
    utm: { utm_source: "linkedin", utm_medium: "social", utm_campaign: "webinar-q3" },
  },
  {
    code: "newsletter-monthly",
    kind: "link",
    targetPath: "/demo/blog/mql-to-sql",
    utm: { utm_source: "newsletter", utm_medium: "email", utm_campaign: "newsletter-monthly" },
  },
];

const HTML = "text/html; charset=utf-8";

const productImage = (product: string, label: string, shapes: string) =>
  `<figure class="product-image" data-lt-event="product_image" data-lt-prop-product="${product}">
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 240" role="img" aria-label="${label}"><rect width="400" height="240" fill="#1d2433"/><rect x="16" y="16" width="368" height="28" rx="6" fill="#343a50"/>${shapes}</svg>
<figcaption>${label} — click to enlarge</figcaption>
</figure>`;

const LEAD_SCORING_IMAGE = productImage(
  "lead-scoring",
  "Lead Scoring dashboard",
  `<circle cx="110" cy="140" r="60" fill="none" stroke="#343a50" stroke-width="18"/><path d="M110 80a60 60 0 1 1-57 79" fill="none" stroke="#51cf66" stroke-width="18"/><text x="110" y="150" fill="#fff" font-size="30" text-anchor="middle" font-family="sans-serif">42</text><rect x="210" y="80" width="160" height="16" rx="4" fill="#4c6ef5"/><rect x="210" y="112" width="120" height="16" rx="4" fill="#748ffc"/><rect x="210" y="144" width="90" height="16" rx="4" fill="#91a7ff"/><rect x="210" y="176" width="50" height="16" rx="4" fill="#ff8787"/>`,
);

const PIPELINE_IMAGE = productImage(
  "pipeline-insights",
  "Pipeline Insights funnel",
  `<rect x="40" y="64" width="320" height="30" rx="4" fill="#4c6ef5"/><rect x="80" y="102" width="240" height="30" rx="4" fill="#5c7cfa"/><rect x="120" y="140" width="160" height="30" rx="4" fill="#748ffc"/><rect x="160" y="178" width="80" height="30" rx="4" fill="#51cf66"/>`,
);

const newsletterForm = `<form data-lt-form="newsletter" method="get" action="/demo/thanks">
<label>Work e-mail <input type="email" name="email" autocomplete="email" required></label>
<button type="submit">Subscribe</button>
</form>`;

const contactForm = `<form data-lt-form="contact" method="get" action="/demo/thanks">
<label>Name <input name="name" autocomplete="name" required></label>
<label>Work e-mail <input type="email" name="email" autocomplete="email" required></label>
<label>Company <input name="company" autocomplete="organization"></label>
<label>Role <input name="role" autocomplete="organization-title"></label>
<label>Message <textarea name="message" rows="4"></textarea></label>
<button type="submit">Send message</button>
</form>`;

const demoRequestForm = `<form data-lt-form="demo_request" method="get" action="/demo/thanks">
<label>Name <input name="name" autocomplete="name" required></label>
<label>Work e-mail <input type="email" name="email" autocomplete="email" required></label>
<label>Company <input name="company" autocomplete="organization" required></label>
<label>Role <input name="role" autocomplete="organization-title"></label>
<label>Company size <select name="companySize"><option>1-10</option><option>11-50</option><option>51-200</option><option>201-1000</option><option>1001-5000</option><option>5000+</option></select></label>
<button type="submit">Request my demo</button>
</form>`;

// Forms submit with GET to /demo/thanks so nothing needs a POST route. The query then holds the
// visitor's e-mail: strip it before the deferred tracker runs, so page-view URLs never carry it.
const STRIP_QUERY = `<script>history.replaceState(null,"",location.pathname)</script>\n`;

interface PageSpec {
  title: string;
  body: string;
  head?: string;
}

const PAGES: Readonly<Record<string, PageSpec>> = {
  "/": {
    title: "Lead scoring for B2B teams",
    body: `<h1>Know which leads are ready to buy.</h1>
<p class="lead">Acme Analytics scores every visitor by what they do and who they are, and hands sales-ready leads to the right rep — the moment they cross the line.</p>
<div class="grid">
<div class="card"><h2>Lead Scoring</h2><p>Points for a poster scan, a product image click, a newsletter sign-up. Sales-ready at 35.</p><a href="/demo/products/lead-scoring">Explore Lead Scoring</a></div>
<div class="card"><h2>Pipeline Insights</h2><p>From MQL to SAL, SQL and Closed Won: see where leads stall and which campaigns create pipeline.</p><a href="/demo/products/pipeline-insights">Explore Pipeline Insights</a></div>
<div class="card"><h2>The playbook</h2><p>Six phases of lead management in one free whitepaper.</p><a href="/demo/whitepaper">Get the whitepaper</a></div>
</div>
<p>New here? Read <a href="/demo/blog/lead-scoring-basics">lead scoring in five steps</a> or <a href="/demo/pricing">see pricing</a>.</p>`,
  },
  "/products/lead-scoring": {
    title: "Acme Lead Scoring",
    body: `<h1>Acme Lead Scoring</h1>
<p class="lead">Behaviour and fit in one score, explained point by point.</p>
${LEAD_SCORING_IMAGE}
<ul><li>Rules for events, pages, campaigns and profile traits — with caps and decay.</li>
<li>Negative points when someone is really looking for a job.</li>
<li>Preview what a rule change would do before you publish it.</li></ul>
<p><a href="/demo/pricing">Pricing</a> · <a href="/demo/demo-request">Request a demo</a></p>`,
  },
  "/products/pipeline-insights": {
    title: "Acme Pipeline Insights",
    body: `<h1>Acme Pipeline Insights</h1>
<p class="lead">Funnel conversion, time in stage and campaign pipeline, live.</p>
${PIPELINE_IMAGE}
<ul><li>Lead → MQL → SAL → SQL → Closed Won, with the reasons for every rejection.</li>
<li>Leads per month against your campaign goals.</li></ul>
<p><a href="/demo/pricing">Pricing</a> · <a href="/demo/contact">Talk to us</a></p>`,
  },
  "/pricing": {
    title: "Pricing",
    body: `<h1>Pricing</h1>
<div class="grid">
<div class="card"><h2>Starter</h2><p class="price">€0</p><p>Self-hosted, one site, community support.</p></div>
<div class="card"><h2>Growth</h2><p class="price">€490/mo</p><p>Five sites, routing, webhooks, e-mail support.</p><a href="/demo/demo-request">Request a demo</a></div>
<div class="card"><h2>Enterprise</h2><p class="price">Let's talk</p><p>SSO, SLAs, dedicated success manager.</p><a href="/demo/contact">Contact sales</a></div>
</div>`,
  },
  "/blog": {
    title: "Blog",
    body: `<h1>Blog</h1>
<div class="grid">
<div class="card"><h2><a href="/demo/blog/lead-scoring-basics">Lead scoring in five steps</a></h2><p>Points for what prospects do, and when to call them.</p></div>
<div class="card"><h2><a href="/demo/blog/mql-to-sql">From MQL to SQL</a></h2><p>How marketing and sales hand leads over without losing them.</p></div>
</div>`,
  },
  "/blog/lead-scoring-basics": {
    title: "Lead scoring in five steps",
    body: `<article><h1>Lead scoring in five steps</h1>
<p class="lead">Score actions along the funnel: the more points, the closer a prospect is to buying.</p>
<p>An example: a prospect scans the QR code on a poster (+5), clicks the image of a product on your website (+3) and signs up for the newsletter (+7). At 35 points the prospect is ready for an offer.</p>
<p>Points can also be taken away: someone who reads your job openings is more likely looking for a job than for your product.</p>
<p>Once a lead has enough points, routing hands it to the right sales rep. <a href="/demo/products/lead-scoring">See Acme Lead Scoring</a>.</p></article>
<h2>Get the next article by e-mail</h2>
${newsletterForm}`,
  },
  "/blog/mql-to-sql": {
    title: "From MQL to SQL",
    body: `<article><h1>From MQL to SQL: working with sales</h1>
<p class="lead">Lead nurturing moves a prospect from the first question to a signed deal in four steps.</p>
<ol><li><strong>MQL</strong>: marketing qualified — interested in general information.</li>
<li><strong>SAL</strong>: sales accepted — personal contact with sales begins.</li>
<li><strong>SQL</strong>: sales qualified — details about the products that solve the problem.</li>
<li><strong>Closed Won</strong>: the prospect becomes a customer.</li></ol>
<p>The right content at the right time comes first. <a href="/demo/products/pipeline-insights">See Pipeline Insights</a> or <a href="/demo/whitepaper">read the playbook</a>.</p></article>
<h2>Get the next article by e-mail</h2>
${newsletterForm}`,
  },
  "/whitepaper": {
    title: "Whitepaper: The lead management playbook",
    body: `<h1>The lead management playbook</h1>
<p class="lead">Campaign goals, personas, lead generation, nurturing, scoring and routing — the six phases on one page.</p>
<p><a class="cta" href="/demo/files/whitepaper.pdf" download>Download the whitepaper (PDF)</a></p>
<p>Want the next one first? <a href="/demo/newsletter">Subscribe to the newsletter</a>.</p>`,
  },
  "/newsletter": {
    title: "Newsletter",
    body: `<h1>The monthly lead management letter</h1>
<p class="lead">One e-mail a month: playbooks, benchmarks and product news. Unsubscribe any time.</p>
${newsletterForm}`,
  },
  "/contact": {
    title: "Contact us",
    body: `<h1>Contact us</h1>
<p class="lead">Questions about Acme Analytics? We answer within one business day.</p>
${contactForm}`,
  },
  "/demo-request": {
    title: "Request a demo",
    body: `<h1>Request a demo</h1>
<p class="lead">30 minutes with a product expert, on your own funnel.</p>
${demoRequestForm}`,
  },
  "/thanks": {
    title: "Thank you",
    head: STRIP_QUERY,
    body: `<h1>Thank you!</h1>
<p class="lead">We received your details and will be in touch.</p>
<p><a href="/demo/">Back to the home page</a> · <a href="/demo/blog">Read the blog</a></p>`,
  },
  "/careers": {
    title: "Careers",
    body: `<h1>Work at Acme Analytics</h1>
<p class="lead">A small team in Zurich and Berlin building honest marketing software.</p>
<div class="card"><h2><a href="/demo/careers/marketing-operations-manager">Marketing Operations Manager (m/f/d)</a></h2><p>Zurich or remote in DACH, full time.</p></div>`,
  },
  "/careers/marketing-operations-manager": {
    title: "Marketing Operations Manager (m/f/d)",
    body: `<h1>Marketing Operations Manager (m/f/d)</h1>
<p class="lead">Own our campaigns from goal to pipeline.</p>
<ul><li>Plan campaigns and their lead goals.</li><li>Run scoring and routing with sales.</li><li>3+ years in B2B marketing operations.</li></ul>
<p>Apply with your CV to <a href="mailto:jobs@acme-analytics.example">jobs@acme-analytics.example</a>. <a href="/demo/careers">All openings</a></p>`,
  },
  "/poster": {
    title: "Spring launch poster",
    body: `<h1>Spring launch poster</h1>
<p class="lead">This poster hangs in train stations in Zurich, Vienna and Munich. Its QR code is a tracked link: a scan counts +5 points once the visitor becomes a lead.</p>
<div class="poster">
<h2>Spring clean your pipeline.</h2>
<p>Score every lead before it cools down.</p>
${POSTER_QR_SVG}
<p>Scan to try Acme Lead Scoring</p>
</div>
<p><a href="/r/spring-poster">Simulate a scan</a></p>`,
  },
};

/** Builds the demo site for one site key: HTML pages by path below /demo, plus the whitepaper PDF. */
export function demoSite(siteKey: string): ReadonlyMap<string, DemoAsset> {
  const site = new Map<string, DemoAsset>();
  for (const [path, page] of Object.entries(PAGES)) {
    site.set(path, { body: renderPage({ ...page, siteKey }), contentType: HTML });
  }
  site.set("/files/whitepaper.pdf", { body: WHITEPAPER_PDF, contentType: "application/pdf" });
  return site;
}

/** Titles of the HTML pages by path (without the site name), for generators and tests. */
export function demoPageTitles(): ReadonlyMap<string, string> {
  return new Map(Object.entries(PAGES).map(([path, page]) => [path, page.title]));
}
