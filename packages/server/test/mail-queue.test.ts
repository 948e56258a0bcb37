import { createPostgresStore } from '@twofold/server/postgres';
import {
  announceNotRun,
  databaseUrl,
  dropSchemas,
  inProcessServer,
  postgresAvailable,
  testClock,
  uniqueSchema,
} from '@twofold/testing';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { VerificationEmail } from '../src/mail/mailer.js';
import { MemoryStore } from '../src/store/memory-store.js';
import { type Store, StoreUnavailableError, type WriteOptions } from '../src/store/store.js';

// Issue 14 item 6: verification emails go through a durable outbox in the store.

/** A mailer that refuses while `down`, else records what it was given. */
function switchableMailer() {
  const sent: VerificationEmail[] = [];
  const mailer = {
    down: true,
    sent,
    async send(email: VerificationEmail) {
      if (mailer.down) throw new Error('relay down');
      // The relay takes a moment, so instances that race for one mail overlap.
      await new Promise((resolve) => setTimeout(resolve, 5));
      sent.push(email);
    },
  };
  return mailer;
}

describe('the mail outbox', () => {
  it('survives a restart: mail queued by a stopped server is sent by the next one on the store', async () => {
    const clock = testClock();
    const store = new MemoryStore({ now: clock.now });
    const mailer = switchableMailer();
    const before = inProcessServer({ store, clock, mode: 'production', mailer });
    const user = await before.newUser();
    const queued = await before.call('POST', '/auth/verify-email/send', {
      token: user.accessToken,
    });
    expect(queued.body.data.sent).toBe(true);
    await before.server.close();
    mailer.down = false;
    const after = inProcessServer({ store, clock, mode: 'production', mailer });
    await after.server.ready;
    clock.advance(5_000);
    expect(await after.server.admin.deliverQueuedMail()).toBe(1);
    expect(mailer.sent.map((email) => email.to)).toEqual([user.email]);
    const verified = await after.call('POST', '/auth/verify-email', {
      body: { token: mailer.sent[0]?.token },
    });
    expect(verified.status).toBe(200);
  });

  it('does not grow without bound: a delivered mail leaves nothing behind in the store', async () => {
    const clock = testClock();
    const store = new MemoryStore({ now: clock.now });
    const mailer = switchableMailer();
    mailer.down = false;
    const t = inProcessServer({ store, clock, mode: 'production', mailer });
    const user = await t.newUser();
    await t.call('POST', '/auth/verify-email/send', { token: user.accessToken });
    await t.call('POST', '/auth/resend-verification', { body: { email: user.email } });
    await t.server.admin.deliverQueuedMail();
    expect(mailer.sent).toHaveLength(2);
    const left = store.entries().filter(({ key }) => /^mail(-lease)?:/.test(key));
    expect(left).toEqual([]);
    const shards = store.entries().filter(({ key }) => key.startsWith('mail-queue:'));
    for (const shard of shards) expect(JSON.parse(shard.json)).toEqual([]);
  });
});

describe('the mail outbox when the store fails', () => {
  it('keeps a registration whose welcome email cannot be queued, and says so', async () => {
    class NoMailStore extends MemoryStore {
      override async set<T>(key: string, value: T, options?: WriteOptions): Promise<void> {
        if (key.startsWith('mail:')) throw new StoreUnavailableError('the database is restarting');
        return super.set(key, value, options);
      }
    }
    const t = inProcessServer({ store: new NoMailStore(), sendVerificationOnRegister: true });
    const body = { username: 'frank', email: 'frank@example.com', password: 'long enough pw' };
    expect((await t.call('POST', '/auth/register', { body })).status).toBe(200);
    expect(t.logs.some((line) => line.includes('could not be queued'))).toBe(true);
    // A retry of the registration is a CONFLICT, as it should be: the account is there.
    expect((await t.call('POST', '/auth/register', { body })).body.error.code).toBe('CONFLICT');
  });

  it('says once that the queue cannot be read while the store is away, and once that it is back', async () => {
    let away = false;
    class FlakyStore extends MemoryStore {
      override async getMany(keys: readonly string[]) {
        if (away) throw new StoreUnavailableError('connection refused');
        return super.getMany(keys);
      }
    }
    const t = inProcessServer({ store: new FlakyStore() });
    await t.server.ready;
    away = true;
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    away = false;
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await t.server.close();
    expect(t.logs.filter((line) => line.includes('mail queue cannot be read'))).toHaveLength(1);
    expect(t.logs.filter((line) => line.includes('mail queue is reachable again'))).toHaveLength(1);
  });
});

if (await postgresAvailable()) {
  describe('the mail outbox on one PostgreSQL shared by three instances', () => {
    it('sends each queued mail exactly once when every instance works the queue at once', async () => {
      const schema = uniqueSchema('mail');
      const stores: Store[] = [];
      onTestFinished(async () => {
        await Promise.all(stores.map((store) => store.close()));
        await dropSchemas([schema]);
      });
      for (let i = 0; i < 3; i++) {
        stores.push(
          await createPostgresStore({ connectionString: databaseUrl, schema, sweepIntervalMs: 0 }),
        );
      }
      const clock = testClock();
      const mailer = switchableMailer();
      const instances = stores.map((store) =>
        inProcessServer({ store, clock, mode: 'production', mailer }),
      );
      const [first] = instances;
      if (first === undefined) throw new Error('no instance');
      const users = [];
      for (let i = 0; i < 12; i++) users.push(await first.newUser('mq'));
      for (const user of users) {
        await first.call('POST', '/auth/verify-email/send', { token: user.accessToken });
      }
      expect(mailer.sent).toHaveLength(0);
      mailer.down = false;
      clock.advance(5_000);
      const delivered = await Promise.all(
        instances.map((instance) => instance.server.admin.deliverQueuedMail()),
      );
      expect(delivered.reduce((sum, count) => sum + count, 0)).toBe(12);
      expect(mailer.sent.map((email) => email.to).sort()).toEqual(
        users.map((user) => user.email).sort(),
      );
    }, 60_000);
  });
} else {
  announceNotRun('the mail outbox on PostgreSQL (test/mail-queue.test.ts)');
}
