import { sha256 } from '@noble/hashes/sha2.js';
import { utf8 } from '../crypto/encoding.js';
import { randomId } from '../crypto/random.js';
import type { Logger } from '../options.js';
import { getMany, type Store, updateWithRetry } from '../store/store.js';

/** A queued email, as the store keeps it until it is delivered or given up. */
interface QueuedMail<Job> {
  job: Job;
  /** When it is next tried (store clock, ms). */
  due: number;
  attempts: number;
  createdAt: number;
}

/**
 * What a delivery did: handed to the relay (with what the sender wants to tell its caller), or
 * nothing left to send (say, the address was verified meanwhile).
 */
export type Delivery<Sent> = { sent: Sent } | 'dropped';

export interface MailQueueOptions<Job, Sent> {
  /** Sends the email `job` stands for; throws when the relay did not take it. */
  deliver: (job: Job) => Promise<Delivery<Sent>>;
  /** What to say in the log about a job (no secrets: it is a user id or an address). */
  describe: (job: Job) => string;
  now: () => number;
  logger: Logger;
  /** How often the worker looks for due mail, in ms (default 1000). */
  pollMs?: number;
}

/** Index shards: enqueues from many requests spread over them instead of one hot key. */
const SHARDS = 16;
const shardKey = (shard: number) => `mail-queue:${shard}`;
const mailKey = (id: string) => `mail:${id}`;
const leaseKey = (id: string) => `mail-lease:${id}`;
/** How long one instance holds a mail it is sending (an SMTP exchange ends well within it). */
const LEASE_MS = 120_000;
/** The first retry after 5 s, doubling up to 5 minutes between tries. */
const backoffMs = (attempts: number) => Math.min(5_000 * 2 ** (attempts - 1), 5 * 60_000);
/** A verification email older than a day is worth nothing: its token would be expired. */
const GIVE_UP_AFTER_MS = 24 * 60 * 60_000;

function shardOf(id: string): number {
  return (sha256(utf8.encode(id))[0] ?? 0) % SHARDS;
}

/**
 * The durable outbox (issue 14 item 6): an email is first written to the store, then sent —
 * at once where the caller waits for it, else by a worker in every server instance that retries
 * with backoff and survives restarts. Of several instances on one database, one sends a given
 * mail at a time (a lease taken with an atomic insert); a mail is removed only once the relay
 * took it, so nothing is lost while the relay is down. A process killed between the relay
 * taking a mail and its removal sends it again after the lease: at least once, never zero.
 */
export class MailQueue<Job, Sent> {
  readonly #store: Store;
  readonly #options: MailQueueOptions<Job, Sent>;
  #timer: ReturnType<typeof setInterval> | undefined;
  #running: Promise<number> | undefined;
  #kicked: ReturnType<typeof setTimeout> | undefined;
  /** Set while passes fail on the store, so an outage is said once, not every second. */
  #storeFailing = false;

  constructor(store: Store, options: MailQueueOptions<Job, Sent>) {
    this.#store = store;
    this.#options = options;
  }

  /** Writes the mail to the store, due now; its id. */
  async enqueue(job: Job): Promise<string> {
    const id = randomId('mail');
    const now = this.#options.now();
    const mail: QueuedMail<Job> = { job, due: now, attempts: 0, createdAt: now };
    await this.#store.set(mailKey(id), mail, { ttlMs: GIVE_UP_AFTER_MS + LEASE_MS });
    await updateWithRetry<string[], void>(this.#store, shardKey(shardOf(id)), (entry) => ({
      write: [...(entry?.value ?? []), id],
      result: undefined,
    }));
    return id;
  }

  /**
   * Tries the mail `id` now (unless another instance holds it): what the sender said when it
   * went out, else undefined (it stays queued when the relay refused it).
   */
  async deliverNow(id: string): Promise<Sent | undefined> {
    const outcome = await this.#attempt(id, this.#options.now());
    return typeof outcome === 'object' ? outcome.sent : undefined;
  }

  /** Starts the worker: a pass every `pollMs`, and one soon after each {@link kick}. */
  start(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => this.#background(), this.#options.pollMs ?? 1_000);
    (this.#timer as { unref?: () => void }).unref?.();
  }

  /** Stops the worker and waits for a pass under way. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    clearTimeout(this.#kicked);
    this.#timer = undefined;
    await this.#running?.catch(() => {});
  }

  /** Runs a pass soon, off the caller's path, while the worker runs (a pass is not doubled). */
  kick(): void {
    if (this.#timer === undefined || this.#kicked !== undefined) return;
    this.#kicked = setTimeout(() => {
      this.#kicked = undefined;
      this.#background();
    }, 0);
  }

  /** A worker's pass: a failing store is logged when it starts failing and when it is back. */
  #background(): void {
    if (this.#timer === undefined) return;
    this.runOnce().then(
      () => {
        if (this.#storeFailing) this.#options.logger.info('the mail queue is reachable again');
        this.#storeFailing = false;
      },
      (error: unknown) => {
        if (!this.#storeFailing) {
          this.#options.logger.warn(
            `the mail queue cannot be read (${error instanceof Error ? error.message : String(error)}); queued emails wait until the store is back`,
          );
        }
        this.#storeFailing = true;
      },
    );
  }

  /** One pass: every due mail tried once. How many went out. */
  runOnce(): Promise<number> {
    if (this.#running === undefined) {
      this.#running = this.#pass().finally(() => {
        this.#running = undefined;
      });
    }
    return this.#running;
  }

  async #pass(): Promise<number> {
    const shards = Array.from({ length: SHARDS }, (_, shard) => shardKey(shard));
    const ids = (await getMany(this.#store, shards)).flatMap(
      (entry) => (entry?.value as string[] | undefined) ?? [],
    );
    if (ids.length === 0) return 0;
    const mails = await getMany(this.#store, ids.map(mailKey));
    const now = this.#options.now();
    let sent = 0;
    const gone: string[] = [];
    for (const [index, id] of ids.entries()) {
      const mail = mails[index]?.value as QueuedMail<Job> | undefined;
      if (mail === undefined) gone.push(id);
      else if (mail.due <= now && typeof (await this.#attempt(id, now)) === 'object') sent++;
    }
    await this.#forget(gone);
    return sent;
  }

  /** One try of a mail this instance leases; 'held' when another instance has it. */
  async #attempt(id: string, due: number): Promise<Delivery<Sent> | 'held' | 'failed'> {
    if (!(await this.#store.insert(leaseKey(id), true, { ttlMs: LEASE_MS }))) return 'held';
    const { deliver, describe, logger, now } = this.#options;
    // Once the relay took the mail, the lease is kept until the mail is removed: a store error
    // there leaves it to expire (2 minutes), instead of the next pass sending the mail again.
    let releaseLease = true;
    try {
      // Read again under the lease: another instance may have sent it (or rescheduled it) since
      // this one read the queue, and released its lease only after removing the mail.
      const mail = (await this.#store.get<QueuedMail<Job>>(mailKey(id)))?.value;
      if (mail === undefined || mail.due > due) return 'held';
      let outcome: Delivery<Sent>;
      try {
        outcome = await deliver(mail.job);
      } catch (error) {
        const attempts = mail.attempts + 1;
        const expired = now() - mail.createdAt >= GIVE_UP_AFTER_MS;
        if (expired) {
          logger.error(
            `verification email to ${describe(mail.job)} failed; gave up after ${attempts} tries`,
            error,
          );
          await this.#remove(id);
        } else {
          await this.#store.set(
            mailKey(id),
            { ...mail, attempts, due: now() + backoffMs(attempts) },
            { ttlMs: GIVE_UP_AFTER_MS + LEASE_MS },
          );
          // Said at a mail's first failure, not at every retry.
          if (attempts === 1) {
            logger.error(
              `verification email to ${describe(mail.job)} failed; it stays queued and is retried`,
              error,
            );
          }
        }
        return 'failed';
      }
      releaseLease = false;
      await this.#remove(id);
      releaseLease = true;
      return outcome;
    } finally {
      if (releaseLease) await this.#store.delete(leaseKey(id));
    }
  }

  async #remove(id: string): Promise<void> {
    await this.#store.delete(mailKey(id));
    await this.#forget([id]);
  }

  /** Takes ids out of their index shards. */
  async #forget(ids: readonly string[]): Promise<void> {
    const byShard = new Map<number, string[]>();
    for (const id of ids) {
      const shard = shardOf(id);
      byShard.set(shard, [...(byShard.get(shard) ?? []), id]);
    }
    for (const [shard, remove] of byShard) {
      const removed = new Set(remove);
      await updateWithRetry<string[], void>(this.#store, shardKey(shard), (entry) =>
        entry === undefined
          ? { result: undefined }
          : { write: entry.value.filter((id) => !removed.has(id)), result: undefined },
      );
    }
  }
}
