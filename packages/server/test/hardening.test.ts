// Behaviour a careful deployment relies on beyond the spec's letter (found in review).
import { availableParallelism } from 'node:os';
import { sha256 } from '@noble/hashes/sha2.js';
import { inProcessServer, TEST_ENCRYPTION_KEY, TEST_SECRET } from '@twofold/testing';
import { describe, expect, it } from 'vitest';
import { HasherBusyError } from '../src/crypto/bounded-hasher.js';
import {
  type PasswordHasher,
  type ScryptFunction,
  scryptHasher,
} from '../src/crypto/password-hasher.js';
import { createTwofoldServer } from '../src/server.js';
import { MemoryStore } from '../src/store/memory-store.js';
import type { StoreEntry, WriteOptions } from '../src/store/store.js';

describe('hardening', () => {
  it('answers SERVICE_UNAVAILABLE with Retry-After when password hashing is saturated', async () => {
    const busy: PasswordHasher = {
      hash: async () => 'unused',
      verify: async () => {
        throw new HasherBusyError();
      },
    };
    const t = inProcessServer({ passwordHasher: busy });
    const reply = await t.call('POST', '/auth/login', { body: { username: 'ada', password: 'x' } });
    expect(reply.status).toBe(503);
    expect(reply.body.error.code).toBe('SERVICE_UNAVAILABLE');
    expect(reply.headers.get('Retry-After')).toBe('1');
  });

  it.each([
    ['the default: one fewer than the cores, at most 4', undefined],
    ['as configured', 3],
  ])(
    'computes a bounded number of password hashes at once, %s (scrypt takes 128 MiB each; login is unauthenticated)',
    async (_, maxConcurrentPasswordHashes) => {
      const expected =
        maxConcurrentPasswordHashes ?? Math.min(4, Math.max(1, availableParallelism() - 1));
      let inFlight = 0;
      let peak = 0;
      const slowScrypt: ScryptFunction = async (password, salt) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 20));
        inFlight--;
        return sha256(new Uint8Array([...password, ...salt]));
      };
      const t = inProcessServer({
        passwordHasher: scryptHasher(slowScrypt, { logN: 8, r: 8, p: 1 }),
        ...(maxConcurrentPasswordHashes === undefined ? {} : { maxConcurrentPasswordHashes }),
      });
      await t.server.ready;
      peak = 0;
      const replies = await Promise.all(
        Array.from({ length: 32 }, (_, i) =>
          t.call('POST', '/auth/login', { body: { username: `nobody${i}`, password: 'x' } }),
        ),
      );
      expect(replies.every((r) => r.body.error.code === 'INVALID_CREDENTIALS')).toBe(true);
      expect(peak).toBe(expected);
    },
  );

  it('does not put callers with no known address into one shared attempt bucket', async () => {
    const t = inProcessServer({ limits: { attemptsPerClient: 3 } });
    const alice = await t.userWithMfa('alice');
    const bob = await t.userWithMfa('bob');
    const guess = (token: string, backup_code: string) =>
      t.server.fetch(
        new Request(`${t.baseUrl}/api/v1/mfa/verify-backup-code`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ backup_code }),
        }),
      ); // no connection info, as a Deno/Bun/Workers adapter might call it
    for (let i = 0; i < 3; i++) await guess(alice.accessToken, 'WRONGXXX');
    expect((await guess(bob.accessToken, bob.backupCodes[0] as string)).status).toBe(200);
  });

  it('counts only failed attempts against a client address', async () => {
    const t = inProcessServer({ limits: { attemptsPerClient: 3 } });
    const user = await t.userWithMfa();
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const reply = await t.call('POST', '/mfa/verify-backup-code', {
        token: user.accessToken,
        body: { backup_code: user.backupCodes[i] },
        client: '198.51.100.50',
      });
      statuses.push(reply.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200]);
  });

  it('refuses to start without an explicit mode (development by omission would expose every token)', () => {
    expect(() =>
      createTwofoldServer({ secret: TEST_SECRET, encryptionKey: TEST_ENCRYPTION_KEY } as never),
    ).toThrow(/mode/);
  });

  it('keeps the registration when the welcome verification email fails, and logs the failure', async () => {
    const t = inProcessServer({
      sendVerificationOnRegister: true,
      mailer: {
        send: async () => {
          throw new Error('relay down');
        },
      },
    });
    const body = { username: 'carol', email: 'carol@example.com', password: 'long enough pw' };
    expect((await t.call('POST', '/auth/register', { body })).status).toBe(200);
    expect(await t.server.admin.deliverQueuedMail()).toBe(0);
    expect(
      t.logs.some((line) => line.includes('verification email to carol@example.com failed')),
    ).toBe(true);
  });

  it('refuses a foreign challenge even when the caller has no MFA', async () => {
    const t = inProcessServer();
    const alice = await t.userWithMfa('alice');
    const bob = await t.newUser('bob');
    const challenge = (
      await t.call('POST', '/auth/login', {
        body: { username: alice.username, password: alice.password },
      })
    ).body.error.details.challenge_id;
    const foreign = await t.call('POST', '/auth/login', {
      body: {
        username: bob.username,
        password: bob.password,
        challenge_id: challenge,
        mfa_code: '123456',
      },
    });
    expect(foreign.body.error?.code).toBe('MFA_INVALID_CODE');
  });

  it('does the same store work in resend for unverified, verified and unknown addresses (issue 14 item 8)', async () => {
    const touched: string[] = [];
    const shape = (key: string) => key.replace(/[^:]+$/, '…');
    class CountingStore extends MemoryStore {
      override async get<T>(key: string): Promise<StoreEntry<T> | undefined> {
        touched.push(`get ${shape(key)}`);
        return super.get<T>(key);
      }
      override async set<T>(key: string, value: T, options?: WriteOptions): Promise<void> {
        touched.push(`set ${shape(key)}`);
        return super.set(key, value, options);
      }
    }
    const t = inProcessServer({ store: new CountingStore() });
    await t.server.ready;
    // Without the mail worker, only the request's own work is seen.
    await t.server.close();
    await t.server.admin.createUser({
      username: 'dave',
      email: 'dave@example.com',
      password: 'long enough pw',
      emailVerified: true,
    });
    await t.server.admin.createUser({
      username: 'erin',
      email: 'erin@example.com',
      password: 'long enough pw',
    });
    const work: string[][] = [];
    for (const email of ['erin@example.com', 'dave@example.com', 'nobody@example.com']) {
      touched.length = 0;
      await t.call('POST', '/auth/resend-verification', { body: { email } });
      work.push([...touched]);
    }
    expect(work[1]).toEqual(work[0]);
    expect(work[2]).toEqual(work[0]);
    // Nothing about the account is looked up on the request path: the mail worker does it.
    expect(work[0]?.some((step) => step.includes('user'))).toBe(false);
    // The worker then mails erin only.
    expect(await t.server.admin.deliverQueuedMail()).toBe(1);
    expect((await t.call('GET', '/dev/outbox?to=erin@example.com')).body.data).toHaveLength(1);
    expect((await t.call('GET', '/dev/outbox?to=dave@example.com')).body.data).toEqual([]);
  });

  it('answers OPTIONS on an unknown route with a 404 envelope, and on a route with its methods', async () => {
    const t = inProcessServer();
    const unknown = await t.server.fetch(
      new Request(`${t.baseUrl}/api/v1/no-such-route`, { method: 'OPTIONS' }),
    );
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error.code).toBe('NOT_FOUND');
    const known = await t.server.fetch(
      new Request(`${t.baseUrl}/api/v1/auth/login`, { method: 'OPTIONS' }),
    );
    expect(known.status).toBe(204);
    expect(known.headers.get('Allow')).toBe('POST, OPTIONS');
  });
});
