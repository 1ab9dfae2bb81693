// Notification e-mails end to end: the built collector routes an MQL in its ingest commit and its
// mail job sends the rep an e-mail through a real SMTP server (npm smtp-server); a rep who turned
// e-mail off gets none; while the SMTP server is down ingest goes on and the mail is sent later.
import { createDb, type Database, migrate } from "@leadtrail/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { login, postAction } from "../dashboard/fixture.ts";
import {
  eventually,
  freePort,
  type RunningProcess,
  startCollector,
  startDashboard,
  tempDatabase,
} from "../support/processes.ts";
import { seedRoutedSite, trackerClient } from "../support/routed-site.ts";
import { type SmtpSink, startSmtpSink } from "../support/smtp-sink.ts";

const DASHBOARD = "https://leads.example.test";
const UMA = { email: "uma@reps.test", password: "uma-password-123" };

describe("notification e-mails end to end", () => {
  const database = tempDatabase();
  let db: Database;
  let collector: RunningProcess;
  let dashboard: RunningProcess;
  let umaId: number;
  let smtp: SmtpSink;
  let smtpPort: number;
  let siteId: number;

  beforeAll(async () => {
    smtpPort = await freePort();
    smtp = await startSmtpSink(smtpPort);
    db = await createDb({ url: database.url });
    await migrate(db.$client);
    // Uma is a real dashboard user (the first admin, who also takes US leads).
    dashboard = await startDashboard(database.url, { ADMIN_EMAIL: UMA.email, ADMIN_PASSWORD: UMA.password });
    umaId = Number((await db.$client.execute("SELECT id FROM users")).rows[0]?.id);
    siteId = (await seedRoutedSite(db, "e2e-mail", umaId)).siteId;

    // Uma turns e-mail notifications off on her notifications page (the form's unchecked box).
    const cookie = await login(dashboard.url, UMA.email, UMA.password);
    expect(await postAction(dashboard.url, "/notifications?/preferences", cookie, {})).toBe(200);
    const page = await (await fetch(`${dashboard.url}/notifications`, { headers: { cookie } })).text();
    expect(page).toMatch(/<input type="checkbox" name="email"(?![^>]*checked)[^>]*>/);
    collector = await startCollector(database.url, {
      SMTP_URL: smtp.url,
      MAIL_FROM: "leadtrail <alerts@example.test>",
      DASHBOARD_URL: DASHBOARD,
      MAIL_POLL_MS: "100",
      MAIL_RETRY_BASE_MS: "300",
      SLA_CHECK_INTERVAL_MS: "60000",
    });
  });

  afterAll(async () => {
    await collector?.stop();
    await dashboard?.stop();
    await smtp?.close();
    db?.$client.close();
    database.remove();
  });

  const tracker = () => trackerClient(collector.url, "e2e-mail");
  /** Identifies a VP from `country` and sends the contact form: the lead becomes MQL and is routed. */
  async function makeMql(visitor: string, email: string, name: string, country: string): Promise<number> {
    const identify = tracker().event(`evt_${visitor}_1`, "identify", {
      email,
      traits: { name, seniority: "vp", country },
    });
    expect((await tracker().post(visitor, [identify])).status).toBe(200);
    expect(
      (await tracker().post(visitor, [tracker().event(`evt_${visitor}_2`, "form", { name: "contact" })])).status,
    ).toBe(200);
    const row = (await db.$client.execute({ sql: "SELECT id, owner_id FROM leads WHERE email = ?", args: [email] }))
      .rows[0];
    expect(row?.owner_id).not.toBeNull();
    return Number(row?.id);
  }
  const mailsTo = (address: string) => smtp.mails.filter((m) => m.to.includes(address));
  const doraEmail = () => `dora.${siteId}@reps.test`;

  it("e-mails the rep a lead was routed to: name, score, why hot and the link to the lead", async () => {
    const leadId = await makeMql("v_mail_de", "anna@firma.test", "Anna <Admin>", "DE");
    const [mail] = await eventually(async () => {
      const got = mailsTo(doraEmail());
      return got.length > 0 ? got : undefined;
    });
    expect(mail?.from).toBe("alerts@example.test");
    expect(mail?.subject).toContain("New lead for you");
    expect(mail?.decoded).toContain(`${DASHBOARD}/leads/${leadId}`);
    expect(mail?.decoded).toContain("anna@firma.test");
    expect(mail?.decoded).toMatch(/Score: \d+/);
    expect(mail?.decoded).toContain("- Sent the contact form (+20)");
    // The HTML part escapes what visitors typed.
    expect(mail?.decoded).toContain("Anna &#60;Admin&#62;");
    expect(mail?.decoded).not.toContain("<strong>Anna <Admin>");
    // Nobody else got it.
    expect(smtp.mails.flatMap((m) => m.to)).toEqual([doraEmail()]);
  });

  it("sends nothing to a rep who turned e-mail off (the in-app notification still comes)", async () => {
    const leadId = await makeMql("v_mail_us", "bob@corp.test", "Bob", "US");
    // A later routing to Dora is mailed: by then Uma's mail would have gone out too.
    await makeMql("v_mail_at", "carla@firma.test", "Carla", "AT");
    await eventually(async () => (mailsTo(doraEmail()).length >= 2 ? true : undefined));
    expect(mailsTo(UMA.email)).toEqual([]);
    const inApp = await db.$client.execute({
      sql: "SELECT user_id FROM notifications WHERE lead_id = ?",
      args: [leadId],
    });
    expect(inApp.rows).toEqual([{ user_id: umaId }]);
  });

  it("keeps ingesting while the SMTP server is down and sends the mail once it is back", async () => {
    await smtp.close();
    const before = smtp.mails.length;
    const started = Date.now();
    const leadId = await makeMql("v_mail_ch", "dieter@firma.test", "Dieter", "CH");
    const ingestMs = Date.now() - started;
    // The failed attempt is recorded and the mail waits for a retry.
    const pending = await eventually(async () => {
      const rows = (
        await db.$client.execute({
          sql: "SELECT status, attempts, last_error FROM mail_outbox WHERE lead_id = ?",
          args: [leadId],
        })
      ).rows;
      return rows[0] && Number(rows[0].attempts) >= 1 ? rows[0] : undefined;
    });
    expect(pending.status).toBe("pending");
    expect(String(pending.last_error)).not.toBe("");
    console.log(`ingest with the SMTP server down: two requests answered in ${ingestMs} ms`);

    smtp = await startSmtpSink(smtpPort);
    const mail = await eventually(async () => {
      return smtp.mails.find((m) => m.decoded.includes(`${DASHBOARD}/leads/${leadId}`));
    }, 20_000);
    expect(mail.to).toEqual([doraEmail()]);
    expect(before).toBeGreaterThanOrEqual(2);
    // The mail job marks the row sent once the server has answered, a moment after the sink has the mail.
    const sent = await eventually(async () => {
      const rows = (
        await db.$client.execute({ sql: "SELECT status FROM mail_outbox WHERE lead_id = ?", args: [leadId] })
      ).rows;
      return rows[0]?.status === "sent" ? rows : undefined;
    });
    expect(sent).toEqual([{ status: "sent" }]);
  });
});
