import * as v from 'valibot';
import { MESSAGES } from './messages.js';
import { type BodyRouteId, type RequestBody, ROUTE_DOCS } from './route-docs.js';
import type { RouteId } from './routes.js';

/** A validated request body, or the `VALIDATION_ERROR` message to answer with. */
export type Validation<T> = { ok: true; value: T } | { ok: false; message: string };

const USERNAME = /^[A-Za-z0-9._-]{3,64}$/;
const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]+$/;
const TOTP_CODE = /^[0-9]{6}$/;

/** Route rules beyond types, in the order the spec checks them; undefined when the body passes. */
const RULES: { [Id in BodyRouteId]: (body: RequestBody<Id>) => string | undefined } = {
  'auth.register': ({ username, email, password }) => {
    if (!username || !email || !password) return MESSAGES.registerFieldsRequired;
    if (!USERNAME.test(username)) return MESSAGES.usernameFormat;
    if (email.length > 254 || !EMAIL.test(email)) return MESSAGES.emailFormat;
    if (password.length < 8 || password.length > 1024) return MESSAGES.passwordLength;
    return undefined;
  },
  'auth.login': ({ username, password, challenge_id, mfa_code, webauthn_response }) => {
    if (!username || !password) return MESSAGES.loginFieldsRequired;
    if (mfa_code && webauthn_response) return MESSAGES.challengeAnswerOne;
    const answer = Boolean(mfa_code) || webauthn_response !== undefined;
    if (Boolean(challenge_id) !== answer) return MESSAGES.challengeFieldsTogether;
    return undefined;
  },
  'auth.refresh': ({ refresh_token }) =>
    refresh_token ? undefined : MESSAGES.refreshTokenRequired,
  'auth.logout': () => undefined,
  'mfa.verify': ({ totp_code }) => {
    if (!totp_code) return MESSAGES.totpRequired;
    return TOTP_CODE.test(totp_code) ? undefined : MESSAGES.totpSixDigits;
  },
  'mfa.disable': ({ password, totp_code }) =>
    password && totp_code ? undefined : MESSAGES.disableFieldsRequired,
  // Whether a step-up proof is required depends on the server's configuration.
  'mfa.regenerateBackupCodes': () => undefined,
  'mfa.verifyBackupCode': ({ backup_code }) =>
    backup_code.trim() ? undefined : MESSAGES.backupCodeRequired,
  // Which step-up proof a passkey change needs depends on the user's MFA state.
  'webauthn.registerOptions': () => undefined,
  'webauthn.registerVerify': () => undefined,
  'webauthn.deleteCredential': () => undefined,
  'email.verify': ({ token }) => (token ? undefined : MESSAGES.verificationTokenRequired),
  'email.resend': ({ email }) => (email.trim() ? undefined : MESSAGES.emailRequired),
};

/**
 * Validates a parsed JSON body for a route: types first (a field of the wrong type is an
 * error, unknown fields are dropped, a missing text field reads as ''), then the route's
 * rules with the contract's exact messages.
 *
 * @example
 * ```ts
 * import { validateRequest } from '@twofold/contract';
 * validateRequest('mfa.verify', { totp_code: '12345' }); // { ok: false, message: 'TOTP code must be 6 digits' }
 * validateRequest('mfa.verify', { totp_code: '123456', extra: 1 }); // { ok: true, value: { totp_code: '123456' } }
 * ```
 */
export function validateRequest<Id extends BodyRouteId>(
  route: Id,
  body: unknown,
): Validation<RequestBody<Id>> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, message: MESSAGES.bodyNotObject };
  }
  // TypeScript cannot follow a generic route id into the table: the schema is Id's own.
  const schema = ROUTE_DOCS[route].request as unknown as v.GenericSchema<unknown, RequestBody<Id>>;
  const parsed = v.safeParse(schema, body);
  if (!parsed.success) return { ok: false, message: parsed.issues[0].message };
  const problem = (RULES[route] as (value: RequestBody<Id>) => string | undefined)(parsed.output);
  return problem === undefined
    ? { ok: true, value: parsed.output }
    : { ok: false, message: problem };
}

/**
 * True for routes whose request has a JSON body.
 *
 * @example
 * ```ts
 * import { hasRequestBody } from '@twofold/contract';
 * hasRequestBody('mfa.verify'); // true
 * hasRequestBody('mfa.status'); // false
 * ```
 */
export function hasRequestBody(route: RouteId): route is BodyRouteId {
  return Object.hasOwn(RULES, route);
}
