/** A verification email as the server composes it. */
export interface VerificationEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** The link the user follows; it carries the token. */
  link: string;
  token: string;
  /** When the server sent it (its clock): the outbox entry's `sent_at`, a mail's `Date`. */
  sentAt: Date;
}

/**
 * Delivers verification emails. `send` resolves once the message is handed over (for SMTP:
 * accepted by the relay) and rejects when it was not: the server reports that, it never
 * pretends an email went out.
 */
export interface Mailer {
  send(email: VerificationEmail): Promise<void>;
}

/** The verification email for `token`, with the link built by `linkFor`. */
export function composeVerificationEmail(
  to: string,
  token: string,
  link: string,
  product: string,
  sentAt: Date,
): VerificationEmail {
  const text = [
    `Confirm your email address for ${product}:`,
    '',
    link,
    '',
    `Or enter this code: ${token}`,
    '',
    'The link works once and expires in 24 hours. If you did not ask for it, ignore this email.',
  ].join('\n');
  const escaped = link.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  const html = `<p>Confirm your email address for ${product.replace(/</g, '&lt;')}:</p><p><a href="${escaped}">${escaped}</a></p><p>Or enter this code: <code>${token}</code></p><p>The link works once and expires in 24 hours. If you did not ask for it, ignore this email.</p>`;
  const subject = `Confirm your email address for ${product}`;
  return { to, subject, text, html, link, token, sentAt };
}
