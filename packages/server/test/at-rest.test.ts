import { inProcessServer } from '@twofold/testing';
import { describe, expect, it } from 'vitest';
import type { VerificationEmail } from '../src/mail/mailer.js';
import { MemoryStore } from '../src/store/memory-store.js';
import type { Store } from '../src/store/store.js';

/** A store that keeps a copy of every value written, to search for plain-text secrets. */
function recordingStore(inner: Store): { store: Store; written: () => string } {
  const values: string[] = [];
  const record = (key: string, value: unknown) => values.push(`${key}=${JSON.stringify(value)}`);
  const store: Store = {
    get: (key) => inner.get(key),
    set: (key, value, options) => {
      record(key, value);
      return inner.set(key, value, options);
    },
    insert: (key, value, options) => {
      record(key, value);
      return inner.insert(key, value, options);
    },
    compareAndSet: (key, version, value, options) => {
      record(key, value);
      return inner.compareAndSet(key, version, value, options);
    },
    insertAll: (entries) => {
      for (const { key, value } of entries) record(key, value);
      return inner.insertAll(entries);
    },
    compareAndDelete: (key, version) => inner.compareAndDelete(key, version),
    delete: (key) => inner.delete(key),
    consume: (key) => inner.consume(key),
    hit: (key, windowMs, limit) => inner.hit(key, windowMs, limit),
    unhit: (key, stamp) => inner.unhit(key, stamp),
    close: () => inner.close(),
  };
  return { store, written: () => values.join('\n') };
}

describe('secrets at rest (spec §3 rule 5, §4 rule 3)', () => {
  // Production mode: the development outbox (which keeps emails, tokens included, for
  // reading them back) does not exist there.
  it('never writes a TOTP secret, backup code, email token or password in plain text', async () => {
    const inner = new MemoryStore();
    const { store, written } = recordingStore(inner);
    const sent: VerificationEmail[] = [];
    const t = inProcessServer({
      store,
      mode: 'production',
      mailer: { send: async (email) => void sent.push(email) },
    });
    const user = await t.userWithMfa();
    await t.call('POST', '/auth/verify-email/send', { token: user.accessToken });
    const token = sent[0]?.token ?? 'missing';
    expect(token).toMatch(/^[\w-]{43}$/);
    const regenerated = (
      await t.call('POST', '/mfa/regenerate-backup-codes', {
        token: user.accessToken,
        body: { password: user.password },
      })
    ).body.data as string[];
    const everything = written();
    expect(everything).toContain(`mfa:${user.id}`);
    expect(everything).not.toContain(user.secret);
    for (const code of [...user.backupCodes, ...regenerated])
      expect(everything).not.toContain(code);
    expect(everything).not.toContain(token);
    expect(everything).not.toContain(user.password);
  });

  it('stores the TOTP secret sealed to its user: a copied record does not open for another user', async () => {
    const store = new MemoryStore();
    const t = inProcessServer({ store });
    const alice = await t.userWithMfa('alice');
    const bob = await t.userWithMfa('bob');
    const aliceRecord = await store.get(`mfa:${alice.id}`);
    await store.set(`mfa:${bob.id}`, aliceRecord?.value);
    const reply = await t.call('POST', '/mfa/disable', {
      token: bob.accessToken,
      body: { password: bob.password, totp_code: t.codeFor(alice.secret) },
    });
    expect(reply.status).toBe(500);
    expect(reply.body.error.code).toBe('INTERNAL_ERROR');
  });
});
