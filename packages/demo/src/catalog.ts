// Fixed vocabulary of the demo: the pages of the demo website, devices, countries, companies,
// people and referrers. None of it depends on the seed; the seed only decides who gets what.

/** Pages of the collector's demo site (apps/collector/src/demo/pages.ts), path below /demo → title. */
export const DEMO_PAGES = {
  home: { path: "/", title: "Lead scoring for B2B teams" },
  leadScoring: { path: "/products/lead-scoring", title: "Acme Lead Scoring" },
  pipeline: { path: "/products/pipeline-insights", title: "Acme Pipeline Insights" },
  pricing: { path: "/pricing", title: "Pricing" },
  blog: { path: "/blog", title: "Blog" },
  blogScoring: { path: "/blog/lead-scoring-basics", title: "Lead scoring in five steps" },
  blogMql: { path: "/blog/mql-to-sql", title: "From MQL to SQL" },
  whitepaper: { path: "/whitepaper", title: "Whitepaper: The lead management playbook" },
  newsletter: { path: "/newsletter", title: "Newsletter" },
  contact: { path: "/contact", title: "Contact us" },
  demoRequest: { path: "/demo-request", title: "Request a demo" },
  thanks: { path: "/thanks", title: "Thank you" },
  careers: { path: "/careers", title: "Careers" },
  job: { path: "/careers/marketing-operations-manager", title: "Marketing Operations Manager (m/f/d)" },
  poster: { path: "/poster", title: "Spring launch poster" },
} as const;

export type PageId = keyof typeof DEMO_PAGES;

/** Appended to every page title by the demo site's layout. */
export const SITE_NAME = "Acme Analytics";

/** The downloadable whitepaper, path below /demo. */
export const WHITEPAPER_PATH = "/files/whitepaper.pdf";

/** Tracked links seeded for the demo (the collector's DEMO_LINKS); the generator follows them. */
export const TRACKED_LINKS = {
  springPoster: {
    code: "spring-poster",
    target: "leadScoring",
    utm: { utm_source: "poster", utm_medium: "qr", utm_campaign: "spring-launch" },
  },
  webinar: {
    code: "webinar-q3",
    target: "whitepaper",
    utm: { utm_source: "linkedin", utm_medium: "social", utm_campaign: "webinar-q3" },
  },
  newsletter: {
    code: "newsletter-monthly",
    target: "blogMql",
    utm: { utm_source: "newsletter", utm_medium: "email", utm_campaign: "newsletter-monthly" },
  },
} as const satisfies Record<
  string,
  { code: string; target: PageId; utm: { utm_source: string; utm_medium: string; utm_campaign: string } }
>;

export interface Device {
  userAgent: string;
  mobile: boolean;
}

/** Browser user agents with their share of B2B desktop and mobile traffic (weights, not percentages). */
export const DEVICES: ReadonlyArray<readonly [Device, number]> = [
  [
    {
      mobile: false,
      userAgent:
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
    },
    30,
  ],
  [
    {
      mobile: false,
      userAgent:
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80",
    },
    14,
  ],
  [
    {
      mobile: false,
      userAgent:
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
    },
    12,
  ],
  [
    {
      mobile: false,
      userAgent:
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15",
    },
    9,
  ],
  [
    {
      mobile: false,
      userAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0",
    },
    6,
  ],
  [
    {
      mobile: false,
      userAgent: "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
    },
    2,
  ],
  [
    {
      mobile: true,
      userAgent:
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1",
    },
    14,
  ],
  [
    {
      mobile: true,
      userAgent:
        "Mozilla/5.0 (Linux; Android 14; SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36",
    },
    8,
  ],
  [
    {
      mobile: true,
      userAgent:
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36",
    },
    3,
  ],
  [
    {
      mobile: true,
      userAgent:
        "Mozilla/5.0 (iPad; CPU OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1",
    },
    2,
  ],
];

/** Crawlers and headless browsers: the collector must answer them 2xx and not store their events. */
export const BOT_USER_AGENTS: readonly string[] = [
  "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
  "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
  "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.6367.60 Safari/537.36",
];

export interface Country {
  code: string;
  /** Hours ahead of UTC (standard time; daylight saving is ignored in synthetic traffic). */
  utcOffset: number;
  /** First octets of address blocks typical for the country, so IPs look plausible per country. */
  ipBlocks: readonly number[];
}

/** Visitor countries, DACH-heavy like the fictional company's market. */
export const COUNTRIES: ReadonlyArray<readonly [Country, number]> = [
  [{ code: "DE", utcOffset: 1, ipBlocks: [79, 84, 87, 91, 93, 217] }, 44],
  [{ code: "CH", utcOffset: 1, ipBlocks: [178, 185, 195, 212] }, 17],
  [{ code: "AT", utcOffset: 1, ipBlocks: [77, 80, 83, 188] }, 12],
  [{ code: "US", utcOffset: -6, ipBlocks: [23, 64, 98, 173] }, 7],
  [{ code: "GB", utcOffset: 0, ipBlocks: [81, 86, 90] }, 5],
  [{ code: "NL", utcOffset: 1, ipBlocks: [77, 94, 145] }, 4],
  [{ code: "FR", utcOffset: 1, ipBlocks: [78, 82, 90] }, 4],
  [{ code: "IT", utcOffset: 1, ipBlocks: [79, 93, 151] }, 3],
  [{ code: "PL", utcOffset: 1, ipBlocks: [31, 83, 89] }, 2],
  [{ code: "SE", utcOffset: 1, ipBlocks: [46, 81, 83] }, 2],
];

export interface Company {
  name: string;
  domain: string;
  industry: string;
  size: string;
}

const COMPANY_PREFIXES = [
  "Alpen",
  "Nord",
  "Rhein",
  "Boden",
  "Linden",
  "Falken",
  "Stern",
  "Eich",
  "Donau",
  "Isar",
  "Limmat",
  "Salz",
  "Fels",
  "Hafen",
  "Blau",
  "Sonnen",
  "Wald",
  "Elb",
  "Main",
  "Jura",
] as const;

const COMPANY_KINDS: ReadonlyArray<readonly [suffix: string, industry: string]> = [
  ["werk", "Manufacturing"],
  ["maschinen", "Manufacturing"],
  ["soft", "Software"],
  ["data", "Software"],
  ["logistik", "Logistics"],
  ["med", "Healthcare"],
  ["bau", "Construction"],
  ["energie", "Energy"],
  ["finanz", "Financial Services"],
  ["versicherung", "Insurance"],
  ["handel", "Retail"],
  ["consult", "Professional Services"],
];

const COMPANY_SIZES = ["1-10", "11-50", "51-200", "201-1000", "1001-5000", "5000+"] as const;
const LEGAL_FORMS = ["GmbH", "AG", "GmbH", "SE", "GmbH & Co. KG", "AG"] as const;

/** 240 fictional companies on the reserved .example top-level domain (RFC 2606), in a fixed order. */
export const COMPANIES: readonly Company[] = COMPANY_PREFIXES.flatMap((prefix, i) =>
  COMPANY_KINDS.map(([suffix, industry], j) => {
    const base = `${prefix}${suffix}`;
    // Sizes skew small, as in the DACH Mittelstand, without any randomness.
    const size = COMPANY_SIZES[[0, 1, 1, 2, 2, 2, 3, 3, 4, 5][(i * 7 + j * 3) % 10] ?? 2] as string;
    return {
      name: `${base.charAt(0).toUpperCase()}${base.slice(1)} ${LEGAL_FORMS[(i + j) % LEGAL_FORMS.length]}`,
      domain: `${base.toLowerCase()}.example`,
      industry,
      size,
    };
  }),
);

/** Vendors of competing products; their staff read the pricing page a lot and never buy. */
export const COMPETITORS: readonly Company[] = [
  { name: "Leadwise GmbH", domain: "leadwise.example", industry: "Software", size: "51-200" },
  { name: "FunnelForge AG", domain: "funnelforge.example", industry: "Software", size: "11-50" },
  { name: "ScoreHub Ltd", domain: "scorehub.example", industry: "Software", size: "201-1000" },
];

/** Free-mail providers: leads behind these have no company domain to group by. */
export const FREE_MAIL_DOMAINS = ["gmail.com", "gmx.de", "web.de", "bluewin.ch", "outlook.com", "gmx.at"] as const;

export const FIRST_NAMES = [
  "Anna",
  "Lukas",
  "Lea",
  "Jonas",
  "Laura",
  "Felix",
  "Sarah",
  "Maximilian",
  "Julia",
  "Elias",
  "Sophie",
  "Noah",
  "Lena",
  "Leon",
  "Marie",
  "Paul",
  "Nina",
  "David",
  "Katharina",
  "Simon",
  "Jana",
  "Tobias",
  "Miriam",
  "Fabian",
  "Chiara",
  "Matteo",
  "Selin",
  "Emre",
  "Zoe",
  "Florian",
  "Jürgen",
  "Sören",
  "Andrea",
  "Marco",
  "Petra",
  "Stefan",
  "Claudia",
  "Thomas",
  "Sabine",
  "Michael",
] as const;

export const LAST_NAMES = [
  "Müller",
  "Meier",
  "Schmid",
  "Keller",
  "Weber",
  "Huber",
  "Schneider",
  "Fischer",
  "Wagner",
  "Becker",
  "Hofmann",
  "Gruber",
  "Brunner",
  "Baumann",
  "Frei",
  "Zimmermann",
  "Koch",
  "Richter",
  "Wolf",
  "Graf",
  "Steiner",
  "Moser",
  "Lehmann",
  "Krüger",
  "Brändli",
  "Berger",
  "Roth",
  "Vogel",
  "Arnold",
  "Schwarz",
  "Lang",
  "Kaiser",
  "Fuchs",
  "Winkler",
  "Hartmann",
  "Bauer",
  "Egger",
  "Pichler",
  "Lorenz",
  "Sommer",
] as const;

/** Business roles of buyers with their seniority and how often they show up in B2B software deals. */
export const BUYER_ROLES: ReadonlyArray<readonly [readonly [role: string, seniority: string], number]> = [
  [["Head of Marketing", "Head"], 14],
  [["Marketing Manager", "Manager"], 18],
  [["Demand Generation Manager", "Manager"], 10],
  [["Marketing Operations Manager", "Manager"], 9],
  [["Chief Marketing Officer", "C-Level"], 5],
  [["VP Sales", "VP"], 6],
  [["Head of Sales", "Head"], 8],
  [["Sales Operations Lead", "Lead"], 7],
  [["Revenue Operations Manager", "Manager"], 6],
  [["Marketing Specialist", "Individual Contributor"], 12],
  [["Managing Director", "C-Level"], 5],
];

/** Search engines as browsers report them in document.referrer (origin only, no query). */
export const SEARCH_REFERRERS: ReadonlyArray<readonly [string, number]> = [
  ["https://www.google.com/", 40],
  ["https://www.google.de/", 22],
  ["https://www.google.ch/", 12],
  ["https://www.google.at/", 7],
  ["https://www.bing.com/", 9],
  ["https://duckduckgo.com/", 6],
  ["https://www.ecosia.org/", 4],
];

export const SOCIAL_REFERRERS: ReadonlyArray<readonly [string, number]> = [
  ["https://www.linkedin.com/", 60],
  ["https://t.co/", 15],
  ["https://www.xing.com/", 15],
  ["https://www.reddit.com/", 10],
];

export const REFERRAL_REFERRERS: ReadonlyArray<readonly [string, number]> = [
  ["https://www.martech-radar.example/tools/lead-scoring", 35],
  ["https://www.saas-vergleich.example/lead-management", 25],
  ["https://blog.partner-agentur.example/lead-nurturing-guide", 20],
  ["https://news.ycombinator.com/", 10],
  ["https://www.capterra-demo.example/lead-scoring-software", 10],
];

export const SALES_REJECT_REASONS = [
  "No budget this year",
  "Company too small",
  "Not a decision maker",
  "Outside our sales territory",
  "Already talking to a partner",
] as const;

export const SALES_LOSS_REASONS = [
  "Chose a competitor",
  "No budget",
  "Project postponed",
  "Built it in-house",
  "Unresponsive after proposal",
] as const;

export const CONTACT_MESSAGES = [
  "We would like to see how scoring works with our CRM.",
  "Can we host it ourselves in Switzerland?",
  "How does routing handle two sales teams?",
  "Please send an offer for the Growth plan.",
  "Do you support German and French forms?",
] as const;
