import { LIMITS } from '@twofold/contract';
import { inProcessServer, PASSWORD } from '@twofold/testing';
import { describe, expect, it } from 'vitest';
import { type PasswordHasher, scryptPasswordHasher } from '../src/crypto/password-hasher.js';

// Spec §6 rule 4: password checks are limited per account and address, per account and per
// address, counted before the hash runs, on every route that takes a password. Before issue 14
// login took 82 guesses in 64 s from one address, and a stolen access token could guess the
// password on /mfa/disable and /mfa/regenerate-backup-codes without limit.

const PER_ACCOUNT_AND_CLIENT = LIMITS.passwordGuessesPerAccountAndClient;
const ATTACKER = '198.51.100.7';
const OWNER = '203.0.113.9';

/** A cheap hasher that counts the hashes it is asked to check. */
function countingHasher() {
  const inner = scryptPasswordHasher({ logN: 4, r: 8, p: 1 });
  const counted = { verifies: 0 };
  const hasher: PasswordHasher = {
    hash: (password) => inner.hash(password),
    verify: (password, stored) => {
      counted.verifies++;
      return inner.verify(password, stored);
    },
  };
  return { hasher, counted };
}

describe('password guessing (spec §6 rule 4)', () => {
  it('stops a guesser at login after the limit, before hashing, without locking the owner out', async () => {
    const { hasher, counted } = countingHasher();
    const t = inProcessServer({ passwordHasher: hasher });
    const user = await t.newUser();
    const guess = (password: string, client = ATTACKER) =>
      t.call('POST', '/auth/login', { body: { username: user.username, password }, client });
    for (let i = 0; i < PER_ACCOUNT_AND_CLIENT; i++) {
      expect((await guess(`wrong-${i}`)).body.error.code).toBe('INVALID_CREDENTIALS');
    }
    const verifiesBefore = counted.verifies;
    // Over the limit: refused before any hash, even with the right password.
    const refused = await guess(PASSWORD);
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('RATE_LIMITED');
    expect(Number(refused.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect(counted.verifies).toBe(verifiesBefore);
    // The owner, elsewhere, still logs in.
    expect((await guess(PASSWORD, OWNER)).status).toBe(200);
  });

  it('limits an unknown username the same way (no telling accounts apart)', async () => {
    const t = inProcessServer();
    const guess = () =>
      t.call('POST', '/auth/login', {
        body: { username: 'nobody-here', password: 'x' },
        client: ATTACKER,
      });
    for (let i = 0; i < PER_ACCOUNT_AND_CLIENT; i++) {
      expect((await guess()).body.error.code).toBe('INVALID_CREDENTIALS');
    }
    expect((await guess()).body.error.code).toBe('RATE_LIMITED');
  });

  it('limits one address spraying one password over many accounts', async () => {
    const t = inProcessServer();
    for (let i = 0; i < LIMITS.passwordGuessesPerClient; i++) {
      const reply = await t.call('POST', '/auth/login', {
        body: { username: `spray${i}`, password: 'Summer2026!' },
        client: ATTACKER,
      });
      expect(reply.body.error.code).toBe('INVALID_CREDENTIALS');
    }
    const next = await t.call('POST', '/auth/login', {
      body: { username: 'spray-next', password: 'Summer2026!' },
      client: ATTACKER,
    });
    expect(next.body.error.code).toBe('RATE_LIMITED');
  });

  it('limits guesses with a stolen access token on disable and regenerate', async () => {
    const t = inProcessServer();
    const user = await t.userWithMfa();
    const tries = [
      () =>
        t.call('POST', '/mfa/disable', {
          token: user.accessToken,
          body: { password: 'wrong', totp_code: '000000' },
          client: ATTACKER,
        }),
      () =>
        t.call('POST', '/mfa/regenerate-backup-codes', {
          token: user.accessToken,
          body: { password: 'wrong' },
          client: ATTACKER,
        }),
    ];
    for (let i = 0; i < PER_ACCOUNT_AND_CLIENT; i++) {
      const reply = await tries[i % 2]?.();
      expect(reply?.body.error.code).toBe('MFA_UNAUTHORIZED');
    }
    for (const attempt of tries) {
      const refused = await attempt();
      expect(refused.body.error.code).toBe('RATE_LIMITED');
    }
  });

  it('takes a matching password back, so an owner who logs in often is never limited', async () => {
    const t = inProcessServer();
    const user = await t.newUser();
    for (let i = 0; i < PER_ACCOUNT_AND_CLIENT * 2; i++) {
      const login = await t.call('POST', '/auth/login', {
        body: { username: user.username, password: PASSWORD },
        client: OWNER,
      });
      expect(login.status).toBe(200);
    }
  });
});
