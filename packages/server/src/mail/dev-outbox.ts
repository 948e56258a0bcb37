import type { OutboxEntry } from '@twofold/contract';
import { normalizeEmail } from '../domain/users.js';
import { type Store, updateWithRetry } from '../store/store.js';
import type { Mailer, VerificationEmail } from './mailer.js';

const KEEP = 50;
const KEEP_MS = 24 * 60 * 60_000;
const outboxKey = (to: string) => `outbox:${normalizeEmail(to)}`;

/**
 * The development outbox: every verification email, kept in the store (so all instances
 * see it) for a day, readable at `GET /api/v1/dev/outbox?to=` in development mode.
 */
export class DevOutbox {
  readonly #store: Store;
  constructor(store: Store) {
    this.#store = store;
  }

  async record(email: VerificationEmail): Promise<void> {
    const entry: OutboxEntry = {
      to: email.to,
      subject: email.subject,
      text: email.text,
      link: email.link,
      token: email.token,
      sent_at: email.sentAt.toISOString(),
    };
    await updateWithRetry<OutboxEntry[], void>(
      this.#store,
      outboxKey(email.to),
      (current) => ({
        write: [entry, ...(current?.value ?? [])].slice(0, KEEP),
        result: undefined,
      }),
      { ttlMs: KEEP_MS },
    );
  }

  /** The emails sent to `to`, newest first. */
  async list(to: string): Promise<OutboxEntry[]> {
    return (await this.#store.get<OutboxEntry[]>(outboxKey(to)))?.value ?? [];
  }
}

/** A {@link Mailer} that records to the outbox and logs the link, for development. */
export function outboxMailer(outbox: DevOutbox, log: (line: string) => void): Mailer {
  return {
    async send(email) {
      await outbox.record(email);
      log(`[twofold] verification email to ${email.to}: ${email.link}`);
    },
  };
}
