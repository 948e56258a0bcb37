import * as v from 'valibot';
import { MESSAGES } from './messages.js';
import {
  type BodyRouteId,
  type OptionalRequestBody,
  type RequestBody,
  ROUTE_DOCS,
  type RouteDocs,
} from './route-docs.js';
import type { RouteId } from './routes.js';
import { normalizeTotpCode } from './totp-code.js';

/** A validated request body, or the `VALIDATION_ERROR` message to answer with. */
export type Validation<T> = { ok: true; value: T } | { ok: false; message: string };

const USERNAME = /^[A-Za-z0-9._-]{3,64}$/;
/**
 * A plain address, as people type it: a local part of RFC 5322 atext (letters of any script
 * allowed) and dots, and a domain of labels. No display name (`"x" <victim@example.com>` would
 * send mail elsewhere), no quotes, spaces or control characters.
 */
const EMAIL =
  /^[\p{L}\p{N}.!#$%&'*+/=?^_`{|}~-]{1,64}@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+[\p{L}\p{N}-]{2,63}$/u;
/** A surrogate without its pair: not well-formed UTF-16 (`String.prototype.isWellFormed` is too new). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Whether a store can hold `text`: no NUL and no unpaired surrogate (not well-formed UTF-16;
 * PostgreSQL refuses both).
 *
 * @example
 * ```ts
 * import { isStorableText } from '@twofold/contract';
 * isStorableText('ada 🐈'); // true
 * isStorableText('a\u0000b'); // false
 * isStorableText('half \ud800'); // false
 * ```
 */
export function isStorableText(text: string): boolean {
  return !text.includes('\u0000') && !LONE_SURROGATE.test(text);
}

/** The first string in `value` (a body, searched through) that {@link isStorableText} refuses. */
function unstorableText(value: unknown): string | undefined {
  if (typeof value === 'string') return isStorableText(value) ? undefined : value;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const item of Object.values(value)) {
    const found = unstorableText(item);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * Whether `email` is a plain address the server can store and mail: no display name, quotes,
 * spaces or control characters, at most 254 characters.
 *
 * @example
 * ```ts
 * import { isPlainEmail } from '@twofold/contract';
 * isPlainEmail('ada@example.com'); // true
 * isPlainEmail('"x"<victim@example.com>'); // false
 * isPlainEmail('a\u0000b@x.io'); // false
 * ```
 */
export function isPlainEmail(email: string): boolean {
  return email.length <= 254 && EMAIL.test(email);
}
const TOTP_CODE = /^[0-9]{6}$/;
/** A step-up or MFA body with its TOTP code (if any) normalised. */
function withTotpNormalised<T>(body: T): T {
  const code = (body as { totp_code?: unknown }).totp_code;
  return typeof code === 'string' ? { ...body, totp_code: normalizeTotpCode(code) } : body;
}

/** Route rules beyond types, in the order the spec checks them; undefined when the body passes. */
const RULES: { [Id in BodyRouteId]: (body: RequestBody<Id>) => string | undefined } = {
  'auth.register': ({ username, email, password }) => {
    if (!username || !email || !password) return MESSAGES.registerFieldsRequired;
    if (!USERNAME.test(username)) return MESSAGES.usernameFormat;
    if (!isPlainEmail(email)) return MESSAGES.emailFormat;
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
  'mfa.disable': ({ password, totp_code, backup_code }) => {
    // Twofold (spec §6 rule 3): a backup code may stand in for the TOTP code.
    if (!password || !(totp_code || backup_code?.trim())) return MESSAGES.disableFieldsRequired;
    return totp_code && backup_code ? MESSAGES.disableOneCode : undefined;
  },
  // Whether a step-up proof is required depends on the server's configuration.
  'mfa.regenerateBackupCodes': () => undefined,
  'mfa.verifyBackupCode': ({ backup_code }) =>
    backup_code.trim() ? undefined : MESSAGES.backupCodeRequired,
  // Which step-up proof a passkey change needs depends on the user's MFA state.
  'webauthn.registerOptions': () => undefined,
  'webauthn.registerVerify': () => undefined,
  'webauthn.deleteCredential': () => undefined,
  'email.verify': ({ token }) => (token ? undefined : MESSAGES.verificationTokenRequired),
  'email.resend': ({ email }) => {
    if (!email.trim()) return MESSAGES.emailRequired;
    return isPlainEmail(email.trim()) ? undefined : MESSAGES.emailFormat;
  },
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
 * validateRequest('mfa.verify', { totp_code: '123 456' }); // { ok: true, value: { totp_code: '123456' } }
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
  if (unstorableText(parsed.output) !== undefined)
    return { ok: false, message: MESSAGES.unstorableText };
  // Spec §6 rule 1: every route that takes a `totp_code` reads it as people type it.
  const value = withTotpNormalised(parsed.output);
  const problem = (RULES[route] as (value: RequestBody<Id>) => string | undefined)(value);
  return problem === undefined ? { ok: true, value } : { ok: false, message: problem };
}

/**
 * Validates the optional body of a route that has one (`RouteDocs.optionalRequest`, e.g. the
 * step-up proof of `mfa.setup`): types only, unknown fields dropped, a TOTP code normalised.
 * Routes without an optional body validate to `undefined`.
 *
 * @example
 * ```ts
 * import { validateOptionalRequest } from '@twofold/contract';
 * validateOptionalRequest('mfa.setup', {}); // { ok: true, value: {} }
 * validateOptionalRequest('mfa.setup', { password: 'pw', totp_code: '123 456' }); // { ok: true, value: { password: 'pw', totp_code: '123456' } }
 * validateOptionalRequest('mfa.setup', { password: 1 }); // { ok: false, message: 'password must be a string' }
 * ```
 */
export function validateOptionalRequest<Id extends RouteId>(
  route: Id,
  body: unknown,
): Validation<OptionalRequestBody<Id>> {
  const schema = (ROUTE_DOCS[route] as RouteDocs).optionalRequest;
  if (schema === undefined) return { ok: true, value: undefined as OptionalRequestBody<Id> };
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, message: MESSAGES.bodyNotObject };
  }
  const parsed = v.safeParse(schema, body);
  if (!parsed.success) return { ok: false, message: parsed.issues[0].message };
  if (unstorableText(parsed.output) !== undefined)
    return { ok: false, message: MESSAGES.unstorableText };
  return { ok: true, value: withTotpNormalised(parsed.output) as OptionalRequestBody<Id> };
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
