import type { MailTransport } from "@leadtrail/workflows";
import nodemailer from "nodemailer";

/**
 * The mail job's transport: nodemailer over SMTP from an `smtp://` / `smtps://` URL. Short
 * timeouts, so a mail server that does not answer costs a retry later instead of holding the job.
 */
export function smtpTransport(url: string): MailTransport {
  const transporter = nodemailer.createTransport({
    url,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  } as Parameters<typeof nodemailer.createTransport>[0]);
  return {
    async send(mail) {
      await transporter.sendMail(mail);
    },
  };
}
