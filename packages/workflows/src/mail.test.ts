import { setEmailNotifications, withWriteTransaction } from "@leadtrail/db";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type OutgoingMail, sendDueMails } from "./mail.ts";
import { renderLeadMail } from "./mail-render.ts";
import { routeLead } from "./route-lead.ts";
import { findAndRerouteSlaBreaches, warnSlaDueSoon } from "./sla.ts";
import { createFixture, type Fixture } from "./test-fixtures.ts";
import { type SeededRouting, seedRouting } from "./testing.ts";

const NOW = Date.UTC(2026, 2, 10, 10);
const MIN = 60_000;

/** A transport that keeps what it is given, or throws while `down` (an SMTP server that is away). */
function recordingTransport() {
  const sent: OutgoingMail[] = [];
  const transport = {
    down: false,
    sent,
    async send(mail: OutgoingMail) {
      if (transport.down) throw new Error("connect ECONNREFUSED 127.0.0.1:2525");
      sent.push(mail);
    },
  };
  return transport;
}

describe("mail job", () => {
  let f: Fixture;
  let ids: SeededRouting;
  let leadId: number;
  const options = (transport: ReturnType<typeof recordingTransport> | null, now: number) => ({
    transport,
    from: "alerts@example.test",
    dashboardUrl: "https://dash.example.test/",
    now: () => now,
    retryBaseMs: 1000,
    maxAttempts: 3,
  });
  beforeEach(async () => {
    f = await createFixture();
    ids = await seedRouting(f.db, f.site.id, {
      reps: [{ key: "ana" }],
      pools: [{ key: "team", slaMinutes: 60, reps: ["ana"] }],
      rules: [{ key: "all", pool: "team" }],
    });
    leadId = await f.lead("lea@corp.test");
  });
  afterEach(() => f.cleanup());

  const route = () => withWriteTransaction(f.db, (tx) => routeLead(tx, { leadId, now: NOW, trigger: "mql" }));

  it("queues a mail with the routing notification and sends it to the rep with the lead link", async () => {
    await route();
    expect(await f.rows("SELECT user_id, kind, status FROM mail_outbox")).toEqual([
      { user_id: ids.users.ana, kind: "lead_assigned", status: "pending" },
    ]);
    const transport = recordingTransport();
    expect(await sendDueMails(f.db, options(transport, NOW))).toEqual({ sent: 1, retried: 0, failed: 0, skipped: 0 });
    expect(transport.sent).toHaveLength(1);
    expect(transport.sent[0]).toMatchObject({ from: "alerts@example.test", to: `ana.${f.site.id}@reps.test` });
    expect(transport.sent[0]?.text).toContain(`https://dash.example.test/leads/${leadId}`);
    expect(await f.rows("SELECT status, sent_at FROM mail_outbox")).toEqual([{ status: "sent", sent_at: NOW }]);
    // Sent once: the next run finds nothing.
    expect(await sendDueMails(f.db, options(transport, NOW + MIN))).toMatchObject({ sent: 0 });
  });

  it("queues nothing for a rep who turned e-mail off, and skips mail queued before they did", async () => {
    await route();
    await setEmailNotifications(f.db, ids.users.ana as number, false, NOW);
    const transport = recordingTransport();
    expect(await sendDueMails(f.db, options(transport, NOW))).toMatchObject({ sent: 0, skipped: 1 });
    await withWriteTransaction(f.db, (tx) => routeLead(tx, { leadId, now: NOW + MIN, trigger: "manual" }));
    expect(await f.rows("SELECT status FROM mail_outbox")).toEqual([{ status: "skipped" }]);
    expect(transport.sent).toEqual([]);
  });

  it("retries with backoff while the SMTP server is down, then sends; fails after the attempts", async () => {
    await route();
    const transport = recordingTransport();
    transport.down = true;
    expect(await sendDueMails(f.db, options(transport, NOW))).toMatchObject({ retried: 1 });
    expect(await f.rows("SELECT status, attempts, next_attempt_at, last_error FROM mail_outbox")).toEqual([
      {
        status: "pending",
        attempts: 1,
        next_attempt_at: NOW + 1000,
        last_error: "connect ECONNREFUSED 127.0.0.1:2525",
      },
    ]);
    // Not due yet: nothing is tried.
    expect(await sendDueMails(f.db, options(transport, NOW + 999))).toMatchObject({ retried: 0, sent: 0 });
    expect(await sendDueMails(f.db, options(transport, NOW + 1000))).toMatchObject({ retried: 1 });
    expect(await f.rows("SELECT attempts, next_attempt_at FROM mail_outbox")).toEqual([
      { attempts: 2, next_attempt_at: NOW + 1000 + 2000 },
    ]);
    transport.down = false;
    expect(await sendDueMails(f.db, options(transport, NOW + 3000))).toMatchObject({ sent: 1 });
    expect(transport.sent).toHaveLength(1);

    // A second mail that never gets through is marked failed after maxAttempts (3).
    await withWriteTransaction(f.db, (tx) => routeLead(tx, { leadId, now: NOW + MIN, trigger: "manual" }));
    transport.down = true;
    for (const at of [NOW + MIN, NOW + MIN + 1000, NOW + MIN + 3000]) await sendDueMails(f.db, options(transport, at));
    expect(await f.rows("SELECT status, attempts FROM mail_outbox ORDER BY id")).toEqual([
      { status: "sent", attempts: 3 },
      { status: "failed", attempts: 3 },
    ]);
  });

  it("marks queued mail skipped when mail is off (no SMTP_URL)", async () => {
    await route();
    expect(await sendDueMails(f.db, options(null, NOW))).toMatchObject({ skipped: 1 });
    expect(await f.rows("SELECT status, last_error FROM mail_outbox")).toEqual([
      { status: "skipped", last_error: "mail is off" },
    ]);
  });

  it("warns the rep once when the SLA is about to end, in the app and by mail", async () => {
    await route();
    const transport = recordingTransport();
    await sendDueMails(f.db, options(transport, NOW));
    // SLA 60 min, 15-minute window: nothing at 44 minutes, a warning at 45, none again at 50.
    expect(await warnSlaDueSoon(f.db, NOW + 44 * MIN, 15 * MIN)).toEqual([]);
    expect(await warnSlaDueSoon(f.db, NOW + 45 * MIN, 15 * MIN)).toHaveLength(1);
    expect(await warnSlaDueSoon(f.db, NOW + 50 * MIN, 15 * MIN)).toEqual([]);
    expect(await f.rows("SELECT user_id, kind FROM notifications ORDER BY id")).toEqual([
      { user_id: ids.users.ana, kind: "lead_assigned" },
      { user_id: ids.users.ana, kind: "sla_warning" },
    ]);
    await sendDueMails(f.db, options(transport, NOW + 45 * MIN));
    expect(transport.sent.map((m) => m.subject)).toEqual([
      "New lead for you: lea@corp.test",
      "Lead waiting for you: accept it soon: lea@corp.test",
    ]);
  });
});

describe("mail after an SLA re-route", () => {
  let f: Fixture;
  afterEach(() => f.cleanup());

  it("tells the new rep the lead was re-routed, and the rep who missed it that it was", async () => {
    f = await createFixture();
    await seedRouting(f.db, f.site.id, {
      reps: [{ key: "ana" }, { key: "ben" }],
      pools: [{ key: "team", slaMinutes: 30, reps: ["ana", "ben"] }],
      rules: [{ key: "all", pool: "team" }],
    });
    const leadId = await f.lead("late@corp.test");
    await withWriteTransaction(f.db, (tx) => routeLead(tx, { leadId, now: NOW, trigger: "mql" }));
    await findAndRerouteSlaBreaches(f.db, NOW + 31 * MIN);
    const transport = recordingTransport();
    await sendDueMails(f.db, {
      transport,
      from: "a@x.test",
      dashboardUrl: "https://d.test",
      now: () => NOW + 31 * MIN,
    });
    expect(transport.sent.map((m) => [m.to, m.subject])).toEqual([
      [`ana.${f.site.id}@reps.test`, "New lead for you: late@corp.test"],
      [`ana.${f.site.id}@reps.test`, "Lead re-routed: SLA missed: late@corp.test"],
      [`ben.${f.site.id}@reps.test`, "Lead re-routed to you: late@corp.test"],
    ]);
  });
});

describe("renderLeadMail", () => {
  const base = {
    kind: "lead_assigned" as const,
    locale: "en",
    lead: { id: 7, email: "x@y.test", name: 'Eve "<script>alert(1)</script>"\r\nBcc: all@corp.test', score: 41.26 },
    reasons: [{ label: "Pricing <page>", points: 12 }],
    link: "https://dash.test/leads/7",
  };

  it("escapes visitor data in the HTML part and keeps the subject on one line", () => {
    const mail = renderLeadMail(base);
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).toContain("&#60;script&#62;");
    expect(mail.html).toContain("<li>Pricing &#60;page&#62; (+12)</li>");
    expect(mail.subject).not.toMatch(/[\r\n]/);
    expect(mail.text).toContain("Score: 41.3");
    expect(mail.text).toContain("Open the lead: https://dash.test/leads/7");
  });

  it("speaks the rep's language", () => {
    const mail = renderLeadMail({ ...base, kind: "sla_warning", locale: "de" });
    expect(mail.subject.startsWith("Lead wartet auf Sie")).toBe(true);
    expect(mail.text).toContain("Warum heiß:");
  });
});
