import type { NotificationKind } from "@leadtrail/db";

/** What a notification e-mail says about its lead. */
export interface LeadMailInput {
  kind: NotificationKind;
  /** A `lead_assigned` that came from an SLA re-route (another rep did not accept it in time). */
  rerouted?: boolean;
  locale: string;
  lead: { id: number; email: string; name: string | null; score: number };
  /** Why the lead is hot: its biggest positive score contributions, labelled, biggest first. */
  reasons: readonly { label: string; points: number }[];
  /** Absolute link to the lead in the dashboard. */
  link: string;
}

/** A rendered e-mail: subject, plain text and a simple HTML alternative. */
export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

const COPY = {
  en: {
    lead_assigned: { subject: "New lead for you", intro: "A lead was routed to you." },
    rerouted: {
      subject: "Lead re-routed to you",
      intro: "A lead was re-routed to you because it was not accepted in time.",
    },
    sla_warning: {
      subject: "Lead waiting for you: accept it soon",
      intro: "A lead assigned to you has not been accepted yet and its SLA ends soon.",
    },
    sla_breach: {
      subject: "Lead re-routed: SLA missed",
      intro: "A lead assigned to you was not accepted in time and was re-routed.",
    },
    score: "Score",
    why: "Why hot",
    open: "Open the lead",
    footer: "You get this because e-mail notifications are on in your leadtrail notification settings.",
  },
  de: {
    lead_assigned: { subject: "Neuer Lead für Sie", intro: "Ihnen wurde ein Lead zugewiesen." },
    rerouted: {
      subject: "Lead an Sie weitergeleitet",
      intro: "Ein Lead wurde an Sie weitergeleitet, weil er nicht rechtzeitig angenommen wurde.",
    },
    sla_warning: {
      subject: "Lead wartet auf Sie: bitte bald annehmen",
      intro: "Ein Ihnen zugewiesener Lead ist noch nicht angenommen, und sein SLA läuft bald ab.",
    },
    sla_breach: {
      subject: "Lead neu zugewiesen: SLA verpasst",
      intro: "Ein Ihnen zugewiesener Lead wurde nicht rechtzeitig angenommen und neu zugewiesen.",
    },
    score: "Score",
    why: "Warum heiß",
    open: "Lead öffnen",
    footer: "Sie erhalten diese E-Mail, weil E-Mail-Benachrichtigungen in Ihren leadtrail-Einstellungen aktiv sind.",
  },
} as const;

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Keeps a header line to one line: a name with a newline must not add mail headers. */
function oneLine(text: string): string {
  return text.replace(/[\r\n\t]+/g, " ").slice(0, 200);
}

const points = (n: number) => (Math.round(n * 10) / 10).toString();

/**
 * The e-mail for a notification about a lead: who it is, its score, why it is hot and a link.
 * Lead data came from visitors, so the HTML part escapes every value and links only to the
 * dashboard URL passed in.
 */
export function renderLeadMail(input: LeadMailInput): RenderedMail {
  const copy = input.locale === "de" ? COPY.de : COPY.en;
  const kind = input.kind === "lead_assigned" && input.rerouted ? copy.rerouted : copy[input.kind];
  const who = input.lead.name ? `${input.lead.name} <${input.lead.email}>` : input.lead.email;
  const subject = oneLine(`${kind.subject}: ${input.lead.name ?? input.lead.email}`);
  const reasons = input.reasons.map((r) => `- ${r.label} (+${points(r.points)})`);
  const text = [
    kind.intro,
    "",
    who,
    `${copy.score}: ${points(input.lead.score)}`,
    ...(reasons.length > 0 ? ["", `${copy.why}:`, ...reasons] : []),
    "",
    `${copy.open}: ${input.link}`,
    "",
    `-- ${copy.footer}`,
  ].join("\n");
  const li = input.reasons.map((r) => `<li>${escapeHtml(r.label)} (+${points(r.points)})</li>`).join("");
  const html = [
    '<!doctype html><html><body style="font-family:sans-serif">',
    `<p>${escapeHtml(kind.intro)}</p>`,
    `<p><strong>${escapeHtml(input.lead.name ?? input.lead.email)}</strong><br>${escapeHtml(input.lead.email)}<br>`,
    `${escapeHtml(copy.score)}: ${points(input.lead.score)}</p>`,
    li ? `<p>${escapeHtml(copy.why)}:</p><ul>${li}</ul>` : "",
    `<p><a href="${escapeHtml(input.link)}">${escapeHtml(copy.open)}</a></p>`,
    `<p style="color:#666;font-size:12px">${escapeHtml(copy.footer)}</p>`,
    "</body></html>",
  ].join("");
  return { subject, text, html };
}
