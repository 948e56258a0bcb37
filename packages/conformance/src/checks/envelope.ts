import { BOTH, type Check, ensure, TWOFOLD } from '../check.js';

/** No `null` anywhere: absent members are omitted (spec §1). */
function findNull(value: unknown, path = '$'): string | undefined {
  if (value === null) return path;
  if (typeof value !== 'object') return undefined;
  for (const [key, member] of Object.entries(value as Record<string, unknown>)) {
    const found = findNull(member, `${path}.${key}`);
    if (found) return found;
  }
  return undefined;
}

export const envelopeChecks: Check[] = [
  {
    id: 'envelope.unknown-route-is-404-envelope',
    clause: '§1 Twofold rule (server)',
    profiles: TWOFOLD,
    async run(t) {
      t.failure(await t.call('GET', '/no-such-route'), 'NOT_FOUND', 'unknown route');
    },
  },
  {
    id: 'envelope.wrong-method-is-405-envelope',
    clause: '§1 Twofold rule (server)',
    profiles: TWOFOLD,
    async run(t) {
      const reply = await t.call('GET', '/auth/login');
      t.failure(reply, 'METHOD_NOT_ALLOWED', 'GET /auth/login');
      ensure(
        reply.headers.get('Allow')?.includes('POST'),
        'a 405 must name the allowed method in Allow',
      );
    },
  },
  {
    id: 'envelope.malformed-json-is-validation-error',
    clause: '§1 Twofold rule (server)',
    profiles: TWOFOLD,
    async run(t) {
      const reply = await t.call('POST', '/auth/login', {
        raw: '{"username":',
        headers: { 'Content-Type': 'application/json' },
      });
      t.failure(reply, 'VALIDATION_ERROR', 'malformed JSON');
    },
  },
  {
    id: 'envelope.wrong-content-type-is-415',
    clause: '§1 Twofold rule (server)',
    profiles: TWOFOLD,
    async run(t) {
      const reply = await t.call('POST', '/auth/login', {
        raw: 'username=a&password=b',
        headers: { 'Content-Type': 'text/plain' },
      });
      t.failure(reply, 'UNSUPPORTED_MEDIA_TYPE', 'text/plain body');
    },
  },
  {
    id: 'envelope.body-over-16-kib-is-413',
    clause: '§1 Twofold rule (server)',
    profiles: TWOFOLD,
    async run(t) {
      const raw = JSON.stringify({ username: 'x'.repeat(17 * 1024), password: 'y' });
      t.failure(
        await t.call('POST', '/auth/login', {
          raw,
          headers: { 'Content-Type': 'application/json' },
        }),
        'PAYLOAD_TOO_LARGE',
        '17 KiB body',
      );
    },
  },
  {
    id: 'envelope.wrong-type-is-validation-error',
    clause: '§1 Twofold rule (server)',
    profiles: TWOFOLD,
    async run(t) {
      t.failure(
        await t.call('POST', '/auth/login', { body: { username: 42, password: 'x' } }),
        'VALIDATION_ERROR',
        'username as a number',
      );
    },
  },
  {
    id: 'envelope.unknown-fields-ignored',
    clause: '§1 Twofold rule (server)',
    profiles: BOTH,
    async run(t) {
      const user = await t.user();
      const reply = await t.call('POST', '/auth/login', {
        body: { username: user.username, password: user.password, remember_me: true, x: [1] },
      });
      t.success(reply, 'login with unknown fields');
    },
  },
  {
    id: 'envelope.omits-absent-fields',
    clause: '§1 envelope',
    profiles: BOTH,
    async run(t) {
      const user = await t.user();
      const replies = [
        await t.call('POST', '/auth/login', {
          body: { username: user.username, password: user.password },
        }),
        await t.call('POST', '/auth/login', {
          body: { username: user.username, password: 'wrong password' },
        }),
        await t.call('GET', '/mfa/status', { token: user.accessToken }),
        await t.call('POST', '/auth/logout', { token: user.accessToken, body: {} }),
      ];
      for (const reply of replies) {
        ensure(reply.body !== undefined, `not JSON: ${reply.text.slice(0, 100)}`);
        const found = findNull(reply.body);
        ensure(found === undefined, `${found} is null; absent members must be omitted`);
        const keys = Object.keys(reply.body);
        ensure(
          keys.every((key) => ['success', 'data', 'error', 'message'].includes(key)),
          `unexpected envelope members ${keys}`,
        );
      }
    },
  },
];
