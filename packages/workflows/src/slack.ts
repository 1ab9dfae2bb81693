/** A Slack incoming-webhook message; Microsoft Teams' incoming webhooks read its `text`. */
export interface SlackMessage {
  text: string;
  blocks: { type: "section"; text: { type: "mrkdwn"; text: string } }[];
}

/** Slack's mrkdwn control characters, escaped as its documentation asks. */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

const HEADLINES: Record<string, string> = {
  "lead.mql": "New MQL",
  "lead.assigned": "Lead assigned",
  "lead.stage_changed": "Lead stage changed",
  "lead.erased": "Lead erased",
  "lead.nurture_step_due": "Nurture step due",
};

interface EventBody {
  type?: string;
  data?: {
    lead?: { id?: number; email?: string; name?: string | null; stage?: string } | null;
    leadId?: number;
    score?: number | null;
    assignment?: { repId?: number | null; trigger?: string } | null;
    from?: string;
    to?: string;
    content?: { title?: string; url?: string } | null;
  };
}

/**
 * Turns a stored webhook event (`{type, createdAt, data}`) into a chat message: a headline, the
 * lead (name, e-mail, stage, score) and a link to it in the dashboard when `dashboardUrl` is set.
 * Lead fields came from visitors, so they are escaped and never become links themselves.
 */
export function slackMessage(eventType: string, payload: string, dashboardUrl?: string): SlackMessage {
  let body: EventBody = {};
  try {
    body = JSON.parse(payload) as EventBody;
  } catch {
    // A body that is not JSON still gets a headline.
  }
  const data = body.data ?? {};
  const lead = data.lead ?? null;
  const leadId = lead?.id ?? data.leadId;
  const headline = HEADLINES[eventType] ?? eventType;
  const who = !lead ? "" : lead.name ? `${lead.name}${lead.email ? ` (${lead.email})` : ""}` : (lead.email ?? "");
  const facts = [
    lead?.stage ? `stage ${lead.stage}` : null,
    data.from && data.to ? `${data.from} → ${data.to}` : null,
    typeof data.score === "number" ? `score ${Math.round(data.score * 10) / 10}` : null,
    data.assignment?.trigger ? `via ${data.assignment.trigger}` : null,
    data.content?.title ? `offer: ${data.content.title}` : null,
  ].filter((f): f is string => f !== null);
  const link =
    dashboardUrl && leadId !== undefined && eventType !== "lead.erased"
      ? `${dashboardUrl.replace(/\/+$/, "")}/leads/${Number(leadId)}`
      : null;
  const plain = [`${headline}${who ? `: ${who}` : leadId !== undefined ? ` #${Number(leadId)}` : ""}`, facts.join(", ")]
    .filter(Boolean)
    .join(" — ");
  const text = link ? `${plain} ${link}` : plain;
  const mrkdwn = [
    `*${escapeSlack(headline)}*${who ? `: ${escapeSlack(who)}` : ""}`,
    facts.length > 0 ? escapeSlack(facts.join(", ")) : null,
    link ? `<${link}|Open the lead>` : null,
  ]
    .filter(Boolean)
    .join("\n");
  return { text: escapeSlack(text), blocks: [{ type: "section", text: { type: "mrkdwn", text: mrkdwn } }] };
}
