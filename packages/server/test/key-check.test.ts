import { inProcessServer, TEST_ENCRYPTION_KEY, testClock } from '@twofold/testing';
import { describe, expect, it } from 'vitest';
import { TwofoldConfigError } from '../src/config-error.js';
import { KEY_CHECK_KEY } from '../src/crypto/key-check.js';
import { MemoryStore } from '../src/store/memory-store.js';

// Issue 14 item 5: instances with different keys on one store, and rotating the encryption key.

const OTHER_KEY = 'another encryption key, 32 bytes or more of it';

/** One deployment's store, and servers on it (each with its own keys) on one clock. */
function deployment() {
  const clock = testClock();
  const store = new MemoryStore({ now: clock.now });
  const instance = (keys: Parameters<typeof inProcessServer>[0] = {}) =>
    inProcessServer({ store, clock, ...keys });
  return { store, clock, instance };
}

describe('key check value', () => {
  it('records a check value, never a key, and lets instances with the same keys start', async () => {
    const { store, instance } = deployment();
    const first = instance();
    await first.server.ready;
    const recorded = await store.get<Record<string, string>>(KEY_CHECK_KEY);
    expect(Object.keys(recorded?.value ?? {}).sort()).toEqual(['encryptionKey', 'secret']);
    for (const value of Object.values(recorded?.value ?? {}))
      expect(value).toMatch(/^[0-9a-f]{32}$/);
    await expect(instance().server.ready).resolves.toBeUndefined();
  });

  it('refuses to start with another secret or another encryption key, naming the option', async () => {
    const { instance } = deployment();
    const first = instance();
    await first.server.ready;
    const user = await first.userWithMfa();
    for (const [option, keys] of [
      ['secret', { secret: 'a different master secret of 32 bytes or more' }],
      ['encryptionKey', { encryptionKey: OTHER_KEY }],
    ] as const) {
      const refusal = await instance(keys).server.ready.catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(TwofoldConfigError);
      expect((refusal as TwofoldConfigError).option).toBe(option);
      expect((refusal as TwofoldConfigError).message).toMatch(/key check value/);
    }
    // The refused instances changed nothing: the user still logs in with a backup code.
    const challenge = await first.startChallenge(user.username);
    const step2 = await first.completeChallenge(
      user.username,
      challenge,
      user.backupCodes[0] ?? '',
    );
    expect(step2.status).toBe(200);
  });
});

describe('rotating the encryption key', () => {
  it('opens secrets sealed under the previous key and seals them again under the new one on use', async () => {
    const { store, clock, instance } = deployment();
    const before = instance();
    const user = await before.userWithMfa();
    const sealedBefore = JSON.stringify((await store.get(`mfa:${user.id}`))?.value);
    // The rotated instance: the new key, the old one (the test default) for decryption only.
    const rotated = instance({
      encryptionKey: OTHER_KEY,
      previousEncryptionKeys: [TEST_ENCRYPTION_KEY],
    });
    await rotated.server.ready;
    clock.advance(30_000);
    const challenge = await rotated.startChallenge(user.username);
    const step2 = await rotated.completeChallenge(
      user.username,
      challenge,
      rotated.codeFor(user.secret),
    );
    expect(step2.status, JSON.stringify(step2.body)).toBe(200);
    expect(JSON.stringify((await store.get(`mfa:${user.id}`))?.value)).not.toBe(sealedBefore);
    // Re-sealed: an instance with only the new key (the rotation finished) verifies TOTP too.
    const after = instance({ encryptionKey: OTHER_KEY });
    await after.server.ready;
    clock.advance(30_000);
    const code = await after.call('POST', '/mfa/verify-backup-code', {
      token: step2.body.data.access_token,
      body: { backup_code: user.backupCodes[1] },
    });
    expect(code.status).toBe(200);
    const regenerated = await after.call('POST', '/mfa/regenerate-backup-codes', {
      token: step2.body.data.access_token,
      body: { totp_code: after.codeFor(user.secret) },
    });
    expect(regenerated.status, JSON.stringify(regenerated.body)).toBe(200);
    // And an instance left on the old key alone now refuses to start.
    const stale = await instance().server.ready.catch((error: unknown) => error);
    expect((stale as TwofoldConfigError).option).toBe('encryptionKey');
  });
});
