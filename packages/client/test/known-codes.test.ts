import { readFileSync } from 'node:fs';
import { ERROR_CODES, ROUTE_DOCS, type RouteId } from '@twofold/contract';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  type ChallengeMethod,
  createClient,
  isKnownErrorCode,
  type KnownErrorCode,
  type MfaMethod,
  type MfaStatus,
  type Session,
  TwofoldError,
} from '../src/index.js';
import { passkeys } from '../src/webauthn.js';

// Issue 12 items 4 and 8 in the SDK alone: the codes a switch can be exhaustive over, the
// @throws lists staying true to the route table, and codes normalised before they leave (for
// servers that do not normalise them, like auth-framework).

/** What a UI shows per code: compiles only while the switch covers every known code. */
function describeCode(code: KnownErrorCode): string {
  switch (code) {
    case 'MFA_INVALID_CODE':
    case 'INVALID_CREDENTIALS':
    case 'MFA_UNAUTHORIZED':
      return 'try again';
    case 'RATE_LIMITED':
    case 'RATE_LIMIT_EXCEEDED':
    case 'ACCOUNT_LOCKED':
      return 'wait';
    case 'CHALLENGE_EXPIRED':
    case 'MFA_REQUIRED':
      return 'log in again';
    case 'NETWORK_ERROR':
    case 'TIMEOUT':
    case 'ABORTED':
    case 'INVALID_RESPONSE':
    case 'INTERNAL_ERROR':
    case 'SERVER_ERROR':
    case 'MFA_ERROR':
    case 'EMAIL_DELIVERY_FAILED':
    case 'SERVICE_UNAVAILABLE':
      return 'try later';
    case 'PASSKEY_CANCELLED':
    case 'PASSKEY_TIMEOUT':
    case 'PASSKEY_UNSUPPORTED':
    case 'PASSKEY_ALREADY_REGISTERED':
    case 'PASSKEY_SECURITY_ERROR':
    case 'PASSKEY_NOT_OFFERED':
    case 'PASSKEY_FAILED':
    case 'WEBAUTHN_CHALLENGE_INVALID':
    case 'WEBAUTHN_VERIFICATION_FAILED':
    case 'WEBAUTHN_NOT_ALLOWED':
    case 'WEBAUTHN_CREDENTIAL_EXISTS':
    case 'WEBAUTHN_LIMIT_REACHED':
    case 'WEBAUTHN_NOT_CONFIGURED':
      return 'passkey';
    case 'VALIDATION_ERROR':
    case 'UNAUTHORIZED':
    case 'AUTH_REQUIRED':
    case 'INVALID_TOKEN':
    case 'AUTHENTICATION_FAILED':
    case 'AUTH_ERROR':
    case 'FORBIDDEN':
    case 'NOT_FOUND':
    case 'USER_NOT_FOUND':
    case 'METHOD_NOT_ALLOWED':
    case 'MFA_NOT_PENDING':
    case 'MFA_NOT_ENABLED':
    case 'MFA_ALREADY_ENABLED':
    case 'CONFLICT':
    case 'PAYLOAD_TOO_LARGE':
    case 'UNSUPPORTED_MEDIA_TYPE':
      return 'other';
    default: {
      const unhandled: never = code;
      return unhandled;
    }
  }
}

const SDK_CODES = [
  'NETWORK_ERROR',
  'TIMEOUT',
  'ABORTED',
  'INVALID_RESPONSE',
  'CHALLENGE_EXPIRED',
  'PASSKEY_CANCELLED',
  'PASSKEY_TIMEOUT',
  'PASSKEY_UNSUPPORTED',
  'PASSKEY_ALREADY_REGISTERED',
  'PASSKEY_SECURITY_ERROR',
  'PASSKEY_NOT_OFFERED',
  'PASSKEY_FAILED',
];

describe('known error codes', () => {
  it('isKnownErrorCode accepts every server and SDK code, and nothing else', () => {
    for (const code of [...ERROR_CODES, ...SDK_CODES]) {
      expect(isKnownErrorCode(code), code).toBe(true);
      expect(describeCode(code as KnownErrorCode)).not.toBe(code);
    }
    for (const other of ['QUOTA_EXCEEDED', '', 'toString', 'hasOwnProperty', 42, null, undefined]) {
      expect(isKnownErrorCode(other), String(other)).toBe(false);
    }
  });

  it('narrows error.code so a switch over it can be exhaustive', () => {
    const error = new TwofoldError({ code: 'RATE_LIMITED', message: 'wait' });
    expectTypeOf(error.code).not.toEqualTypeOf<KnownErrorCode>(); // a newer server may invent codes
    if (!isKnownErrorCode(error.code)) throw new Error('RATE_LIMITED is known');
    expectTypeOf(error.code).toEqualTypeOf<KnownErrorCode>();
    expect(describeCode(error.code)).toBe('wait');
  });

  it('types the factor lists as closed unions', () => {
    expectTypeOf<MfaStatus['methods']>().toEqualTypeOf<MfaMethod[]>();
    expectTypeOf<MfaMethod>().toEqualTypeOf<'totp' | 'webauthn'>();
    expectTypeOf<ChallengeMethod>().toEqualTypeOf<'totp' | 'backup_code' | 'webauthn'>();
  });

  it('reads reason and attemptsRemaining only from MFA_INVALID_CODE details', () => {
    const refused = new TwofoldError({
      code: 'MFA_INVALID_CODE',
      message: 'Invalid or expired MFA challenge or code',
      details: { reason: 'wrong_code', attempts_remaining: 2 },
    });
    expect([refused.reason, refused.attemptsRemaining]).toEqual(['wrong_code', 2]);
    const other = new TwofoldError({
      code: 'VALIDATION_ERROR',
      message: 'x',
      details: { reason: 'expired', attempts_remaining: 1 },
    });
    expect([other.reason, other.attemptsRemaining]).toEqual([undefined, undefined]);
  });
});

// Every SDK method's @throws names the codes its route can answer (ROUTE_DOCS), except those
// the method's body cannot provoke; and names no code the SDK does not know.
const METHODS: Record<string, { route: RouteId; cannot?: string[] }> = {
  register: { route: 'auth.register' },
  login: {
    route: 'auth.login',
    cannot: ['MFA_REQUIRED', 'MFA_INVALID_CODE', 'WEBAUTHN_VERIFICATION_FAILED'],
  },
  complete: { route: 'auth.login', cannot: ['MFA_REQUIRED'] },
  refresh: { route: 'auth.refresh', cannot: ['VALIDATION_ERROR'] },
  validate: { route: 'auth.validate' },
  setup: {
    route: 'mfa.setup',
    cannot: ['VALIDATION_ERROR', 'MFA_UNAUTHORIZED', 'MFA_INVALID_CODE', 'RATE_LIMITED'],
  },
  replace: { route: 'mfa.setup', cannot: ['MFA_ALREADY_ENABLED'] },
  verify: { route: 'mfa.verify' },
  disable: { route: 'mfa.disable' },
  status: { route: 'mfa.status' },
  regenerateBackupCodes: { route: 'mfa.regenerateBackupCodes' },
  verifyBackupCode: { route: 'mfa.verifyBackupCode' },
  sendVerification: { route: 'email.send' },
  resend: { route: 'email.resend' },
};

/** The codes in the @throws tag of the JSDoc right above `name(` in client.ts. */
function documentedThrows(source: string, name: string): string[] {
  const method = new RegExp(`/\\*\\*((?:(?!\\*/)[\\s\\S])*)\\*/\\s*(?:async )?${name}\\(`, 'g');
  const docs = [...source.matchAll(method)].map((match) => match[1] ?? '');
  const tag = docs.at(-1)?.split('@throws')[1];
  if (tag === undefined) throw new Error(`${name}: no @throws in its JSDoc`);
  return [...tag.matchAll(/`([A-Z_]+)`/g)].map((match) => match[1] ?? '');
}

describe('per-method @throws', () => {
  const source = readFileSync(new URL('../src/client.ts', import.meta.url), 'utf8');
  const emailVerify = source.slice(source.indexOf('const email = {'));

  it.each(Object.entries(METHODS))(
    '%s lists the codes its route answers',
    (name, { route, cannot = [] }) => {
      const listed = documentedThrows(
        name === 'verify' ? source.slice(0, source.indexOf('const email = {')) : source,
        name,
      );
      expect(listed.filter((code) => !isKnownErrorCode(code))).toEqual([]);
      const errors = (ROUTE_DOCS[route] as { errors: readonly string[] }).errors;
      expect(errors.filter((code) => !cannot.includes(code) && !listed.includes(code))).toEqual([]);
    },
  );

  it('email.verify lists the codes of its route', () => {
    const listed = documentedThrows(emailVerify, 'verify');
    expect([...ROUTE_DOCS['email.verify'].errors].filter((code) => !listed.includes(code))).toEqual(
      [],
    );
  });
});

describe('codes leave the SDK normalised', () => {
  const session: Session = {
    accessToken: 'a',
    refreshToken: 'r',
    tokenType: 'Bearer',
    expiresAt: Date.now() + 3600_000,
    user: { id: 'u', username: 'u', roles: [], permissions: [] },
  };

  /** A client on a fetch that records every body and answers what a success looks like. */
  function recording(answer: (path: string) => unknown) {
    const bodies: Record<string, unknown>[] = [];
    const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      const text = await request.text();
      bodies.push(text ? JSON.parse(text) : {});
      const path = new URL(request.url).pathname.replace('/api/v1', '');
      return Response.json(answer(path), { status: 200 });
    };
    const client = createClient({
      baseUrl: 'https://auth.example',
      fetch,
      retry: 0,
      tokenStore: { get: () => session, set: () => {} },
    });
    return { client, bodies };
  }

  it('strips spaces and hyphens from TOTP codes on every route, and leaves backup codes be', async () => {
    const setupData = { qr_code: 'otpauth://totp/x', secret: 'A', backup_codes: [] };
    const { client, bodies } = recording((path) =>
      path === '/mfa/setup'
        ? { success: true, data: setupData }
        : path === '/mfa/regenerate-backup-codes'
          ? { success: true, data: [] }
          : { success: true, message: 'ok' },
    );
    await client.mfa.verify('123 456');
    await client.mfa.disable({ password: 'pw', code: '123-456' });
    await client.mfa.disable({ password: 'pw', backupCode: 'ABCD-EFGH' });
    await client.mfa.replace({ password: 'pw', code: '12 34 56' });
    await client.mfa.regenerateBackupCodes({ code: '123-456' });
    expect(bodies).toEqual([
      { totp_code: '123456' },
      { password: 'pw', totp_code: '123456' },
      { password: 'pw', backup_code: 'ABCD-EFGH' },
      { password: 'pw', totp_code: '123456' },
      { totp_code: '123456' },
    ]);
  });

  it('normalises the login answer and the passkey step-up code', async () => {
    const expires = new Date(Date.now() + 300_000).toISOString();
    let step = 0;
    const { client, bodies } = recording((path) => {
      if (path === '/mfa/webauthn/register/options') {
        return { success: false, error: { code: 'WEBAUTHN_NOT_CONFIGURED', message: 'no' } };
      }
      step += 1;
      return step === 1
        ? {
            success: false,
            error: {
              code: 'MFA_REQUIRED',
              message: 'Multi-factor authentication required',
              details: {
                challenge_id: 'mfa_1',
                mfa_type: 'totp_or_backup_code',
                expires_at: expires,
              },
            },
          }
        : { success: false, error: { code: 'MFA_INVALID_CODE', message: 'no' } };
    });
    const login = await client.auth.login({ username: 'ada', password: 'pw' });
    if (login.status !== 'mfa_required') throw new Error('expected a challenge');
    // An auth-framework answer: no expires_in, no methods; expires_at is what the SDK has.
    expect(login.challenge.expiresAt.toISOString()).toBe(expires);
    expect(login.challenge.methods).toEqual(['totp', 'backup_code']);
    await expect(login.complete({ code: '123 456' })).rejects.toMatchObject({
      code: 'MFA_INVALID_CODE',
    });
    await expect(login.complete({ code: 'abcd-efgh' })).rejects.toMatchObject({
      code: 'MFA_INVALID_CODE',
    });
    const authenticator = {
      register: async () => ({}) as never,
      authenticate: async () => ({}) as never,
    };
    await expect(
      passkeys(client, { authenticator }).register({ name: 'key', code: '123-456' }),
    ).rejects.toMatchObject({ code: 'WEBAUTHN_NOT_CONFIGURED' });
    expect(bodies.slice(1)).toEqual([
      { username: 'ada', password: 'pw', challenge_id: 'mfa_1', mfa_code: '123456' },
      { username: 'ada', password: 'pw', challenge_id: 'mfa_1', mfa_code: 'abcd-efgh' },
      { name: 'key', totp_code: '123456' },
    ]);
  });
});
