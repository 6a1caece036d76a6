import nodemailer from 'nodemailer';

/** One outgoing message (plain text, optional HTML alternative). */
export interface MailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
}

/** Sends mail. `send` rejects when the server refuses or cannot be reached; callers log and move on. */
export interface Mailer {
  /** False when no SMTP server is configured: `send` then does nothing. */
  readonly enabled: boolean;
  send(message: MailMessage): Promise<void>;
  /** Closes pooled connections. */
  close(): Promise<void>;
}

/** SMTP settings, as in `Config['smtp']`. */
export interface SmtpSettings {
  readonly host: string;
  readonly port: number;
  readonly secure: boolean;
  readonly user: string | undefined;
  readonly password: string | undefined;
  readonly from: string;
}

/** A mailer that sends nothing (no SMTP configured). */
export const disabledMailer: Mailer = {
  enabled: false,
  send: async () => {},
  close: async () => {},
};

/**
 * Creates an SMTP mailer over nodemailer with a connection pool (`pool: true`), or `disabledMailer` when
 * `smtp` is undefined. STARTTLS is used when the server offers it unless `secure` (implicit TLS) is set.
 */
export function createMailer(smtp: SmtpSettings | undefined): Mailer {
  if (smtp === undefined) return disabledMailer;
  const transport = nodemailer.createTransport({
    pool: true,
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    ...(smtp.user !== undefined ? { auth: { user: smtp.user, pass: smtp.password ?? '' } } : {}),
  });
  return {
    enabled: true,
    async send({ to, subject, text, html }) {
      await transport.sendMail({
        from: smtp.from,
        to,
        subject,
        text,
        ...(html !== undefined ? { html } : {}),
      });
    },
    async close() {
      transport.close();
    },
  };
}
