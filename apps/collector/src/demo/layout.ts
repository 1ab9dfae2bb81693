// The shared page shell of the demo site: one inline stylesheet, the nav, and the tracking snippet.

/** Escapes text for HTML element content and double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.6 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d2433;background:#f6f7fb}
a{color:#3b5bdb}
header{background:#1d2433;color:#fff}
header .bar{max-width:960px;margin:0 auto;padding:.8rem 1rem;display:flex;gap:1.2rem;align-items:center;flex-wrap:wrap}
header a{color:#dbe4ff;text-decoration:none}
header .brand{color:#fff;font-weight:700;margin-right:auto}
header .cta{background:#4c6ef5;color:#fff;padding:.35rem .8rem;border-radius:6px}
main{max-width:960px;margin:0 auto;padding:2rem 1rem}
h1{font-size:2rem;line-height:1.2;margin:.2rem 0 1rem}
.lead{font-size:1.15rem;color:#495057}
.grid{display:grid;gap:1rem;grid-template-columns:repeat(auto-fit,minmax(240px,1fr))}
.card{background:#fff;border:1px solid #e3e6ee;border-radius:10px;padding:1.2rem}
.price{font-size:1.8rem;font-weight:700}
figure.product-image{margin:1rem 0;cursor:zoom-in;max-width:420px}
figure.product-image svg{width:100%;height:auto;border-radius:10px;display:block}
form{display:grid;gap:.8rem;max-width:480px}
label{display:grid;gap:.2rem;font-weight:600}
input,select,textarea{font:inherit;padding:.5rem;border:1px solid #ced4da;border-radius:6px}
button{font:inherit;background:#4c6ef5;color:#fff;border:0;border-radius:6px;padding:.6rem 1rem;cursor:pointer}
.poster{background:linear-gradient(135deg,#b2f2bb,#ffec99);border-radius:14px;padding:2rem;max-width:520px;text-align:center}
.poster svg{width:220px;height:220px}
footer{max-width:960px;margin:0 auto;padding:2rem 1rem;color:#868e96;font-size:.9rem}
`;

const NAV: ReadonlyArray<readonly [href: string, label: string]> = [
  ["/demo/products/lead-scoring", "Lead Scoring"],
  ["/demo/products/pipeline-insights", "Pipeline Insights"],
  ["/demo/pricing", "Pricing"],
  ["/demo/blog", "Blog"],
  ["/demo/whitepaper", "Whitepaper"],
  ["/demo/careers", "Careers"],
  ["/demo/contact", "Contact"],
];

/** Site name appended to every page title; the traffic generator uses the same titles. */
export const SITE_NAME = "Acme Analytics";

/** Wraps page content in the shared shell; `title` and `siteKey` are escaped here, `body` is trusted HTML. */
export function renderPage(input: { title: string; siteKey: string; body: string; head?: string }): string {
  const nav = NAV.map(([href, label]) => `<a href="${href}">${label}</a>`).join("");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<link rel="icon" href="data:,">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(input.title)} · ${SITE_NAME}</title>
<style>${STYLE}</style>
${input.head ?? ""}<script defer src="/t.js" data-site="${escapeHtml(input.siteKey)}"></script>
</head>
<body>
<header><nav class="bar"><a class="brand" href="/demo/">${SITE_NAME}</a>${nav}<a class="cta" href="/demo/demo-request">Request a demo</a></nav></header>
<main>
${input.body}
</main>
<footer>Acme Analytics is a fictional company on leadtrail's demo site. <a href="/demo/newsletter">Newsletter</a> · <a href="/demo/poster">Spring poster</a> · <a href="/demo/careers">Careers</a></footer>
</body>
</html>
`;
}
