import { createSoftwareAuthenticator } from '@twofold/mock/authenticator';
import { createPostgresStore } from '@twofold/server/postgres';
import {
  announceNotRun,
  databaseUrl,
  dropSchemas,
  type InProcessServer,
  inProcessServer,
  postgresAvailable,
  testClock,
  uniqueSchema,
} from '@twofold/testing';
import { describe, expect, it } from 'vitest';
import { PASSKEY_ORIGIN, serverWebAuthn } from './targets.js';

// Scaling out is several stateless server processes on one PostgreSQL (ARCHITECTURE, decision
// 2): a passkey ceremony started on one instance must finish on another, because its challenge
// lives in the store, not in the instance.

/** Two instances of one deployment (same keys): `a` and `b`. */
type Pair = { a: InProcessServer; b: InProcessServer };

/** Registration options on `a`, the ceremony, and the verify on `b`: the reply of the verify. */
async function registerAcross({ a, b }: Pair) {
  const user = await a.newUser('pk');
  const authenticator = createSoftwareAuthenticator({ origin: PASSKEY_ORIGIN });
  const options = await a.call('POST', '/mfa/webauthn/register/options', {
    token: user.accessToken,
    body: { password: user.password },
  });
  expect(options.status, options.text).toBe(200);
  const response = await authenticator.register(options.body.data);
  const verified = await b.call('POST', '/mfa/webauthn/register/verify', {
    token: user.accessToken,
    body: { response },
  });
  return { user, authenticator, response, verified };
}

const withPostgres = await postgresAvailable();

describe('a passkey ceremony across server instances', () => {
  if (!withPostgres) {
    announceNotRun('a passkey registration across two instances (passkey-instances.test.ts)');
  }
  const onPostgres = withPostgres ? it : undefined;
  onPostgres?.(
    'registers on one instance and finishes on another on the same PostgreSQL, then logs in across them',
    async () => {
      const schema = uniqueSchema('passkeys');
      const clock = testClock({ realTime: true });
      const open = () =>
        createPostgresStore({
          connectionString: databaseUrl,
          schema,
          sweepIntervalMs: 0,
          now: clock.now,
        });
      const stores = [await open(), await open()] as const;
      try {
        const pair = {
          a: inProcessServer({ clock, store: stores[0], webauthn: serverWebAuthn }),
          b: inProcessServer({ clock, store: stores[1], webauthn: serverWebAuthn }),
        };
        const { user, authenticator, response, verified } = await registerAcross(pair);
        expect(verified.status, verified.text).toBe(200);
        expect(verified.body.data.credential_id).toBe(response.id);
        expect(verified.body.data.backup_codes).toHaveLength(10);
        // Single use across instances too: the challenge is spent for `a` as well.
        const again = await pair.a.call('POST', '/mfa/webauthn/register/verify', {
          token: user.accessToken,
          body: { response },
        });
        expect(again.body?.error?.code).toBe('WEBAUTHN_CHALLENGE_INVALID');

        // Login step 1 on `b` (its options name the passkey), step 2 on `a`.
        const step1 = await pair.b.call('POST', '/auth/login', {
          body: { username: user.username, password: user.password },
        });
        expect(step1.body?.error?.code, step1.text).toBe('MFA_REQUIRED');
        const { challenge_id, webauthn_options } = step1.body.error.details;
        expect(webauthn_options.allowCredentials.map((d: { id: string }) => d.id)).toEqual([
          response.id,
        ]);
        const assertion = await authenticator.authenticate(webauthn_options);
        const step2 = await pair.a.call('POST', '/auth/login', {
          body: {
            username: user.username,
            password: user.password,
            challenge_id,
            webauthn_response: assertion,
          },
        });
        expect(step2.status, step2.text).toBe(200);
        expect(typeof step2.body.data.access_token).toBe('string');
      } finally {
        await Promise.all(stores.map((store) => store.close()));
        await dropSchemas([schema]);
      }
    },
    60_000,
  );
});
