import { createRequire } from 'node:module';
import type * as Nodemailer from 'nodemailer';
import type { Mailer } from '../mail/mailer.js';
import { requirePeer } from '../optional-peer.js';

const require = createRequire(import.meta.url);

/**
 * nodemailer (an optional peer dependency), loaded when a mailer is made: the rest of `./node`
 * works without it, and a missing install is reported by the call that needs it.
 */
function loadNodemailer(): typeof Nodemailer {
  return requirePeer(
    'createSmtpMailer',
    'nodemailer',
    () => require('nodemailer') as typeof Nodemailer,
  );
}

export interface SmtpMailerOptions {
  /** `smtp://user:pass@host:port` or `smtps://…` (nodemailer connection URL). */
  url: string;
  /** The From header, e.g. `"Acme" <no-reply@acme.example>`. */
  from: string;
}

/**
 * A {@link Mailer} over SMTP (nodemailer). `send` resolves when the relay accepted the message
 * and rejects with the relay's error otherwise.
 *
 * @example
 * ```ts
 * import { createSmtpMailer } from '@twofold/server/node';
 * const mailer = createSmtpMailer({ url: 'smtp://127.0.0.1:2525', from: 'Acme <no-reply@acme.example>' });
 * // createTwofoldServer({ mailer, … }) sends every verification email through it, like this one:
 * const link = 'https://app.acme.example/verify?token=abc123';
 * await mailer.send({ to: 'ada@example.com', subject: 'Confirm your email address', text: link, html: `<a href="${link}">Confirm</a>`, link, token: 'abc123', sentAt: new Date() });
 * mailer.close();
 * ```
 */
export function createSmtpMailer(options: SmtpMailerOptions): Mailer & { close(): void } {
  // Short timeouts: a relay that accepts the connection and stalls must not hold a request
  // open for minutes (nodemailer waits up to 2 min to connect and 10 min on an idle socket).
  const transport = loadNodemailer().createTransport({
    url: options.url,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    async send(email) {
      await transport.sendMail({
        from: options.from,
        to: email.to,
        subject: email.subject,
        text: email.text,
        html: email.html,
        date: email.sentAt,
      });
    },
    close() {
      transport.close();
    },
  };
}
