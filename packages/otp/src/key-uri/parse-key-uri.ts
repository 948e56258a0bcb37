import { base32Decode } from '../base32.js';
import { OtpError } from '../errors.js';
import { checkSecret, isHashAlgorithm } from '../options.js';
import type { Digits } from '../types.js';
import { KEY_URI_LIMITS, type KeyUri } from './key-uri-types.js';

const URI_PATTERN = /^otpauth:\/\/([a-z]+)\/([^?#]*)(?:\?([^#]*))?(?:#.*)?$/is;
const KNOWN_PARAMS = new Set(['secret', 'issuer', 'algorithm', 'digits', 'period', 'counter']);

function invalidUri(message: string, cause?: unknown): OtpError {
  return new OtpError('INVALID_URI', `invalid otpauth URI: ${message}`, { cause });
}

function decode(text: string, what: string): string {
  try {
    return decodeURIComponent(text);
  } catch (error) {
    throw invalidUri(`${what} is not valid percent-encoding`, error);
  }
}

function capped(value: string, what: string, max: number): string {
  if (value.length > max) throw invalidUri(`${what} is longer than ${max} characters`);
  return value;
}

/** Known parameters, each at most once (a second `secret=` is ambiguous, not a preference). */
function readParams(query: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const name = decode(
      equals < 0 ? pair : pair.slice(0, equals),
      'a parameter name',
    ).toLowerCase();
    if (!KNOWN_PARAMS.has(name)) continue;
    if (params.has(name)) throw invalidUri(`parameter '${name}' appears twice`);
    params.set(name, decode(equals < 0 ? '' : pair.slice(equals + 1), `parameter '${name}'`));
  }
  return params;
}

function decimal(value: string | undefined, what: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d{1,15}$/.test(value)) throw invalidUri(`${what} must be a decimal number`);
  return Number(value);
}

/**
 * Reads an `otpauth://` Key URI. Lenient where apps differ (any case for the type, algorithm
 * and base32 secret; the `issuer` parameter wins over the label prefix; unknown parameters are
 * ignored) and strict about what matters: the scheme, `totp`/`hotp`, a secret of at least 10
 * bytes, digits 6-8, a positive period, a counter for `hotp`, and length caps. Anything else
 * throws `OtpError('INVALID_URI')`.
 *
 * @example
 * ```ts
 * import { parseKeyUri } from '@twofold/otp';
 * const key = parseKeyUri('otpauth://totp/Acme:ada%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=Acme');
 * key.account; // 'ada@example.com'
 * key.period; // 30
 * ```
 */
export function parseKeyUri(uri: string): KeyUri {
  if (typeof uri !== 'string') throw invalidUri('expected a string');
  const match = URI_PATTERN.exec(capped(uri.trim(), 'the URI', KEY_URI_LIMITS.uri));
  if (match === null) throw invalidUri("expected 'otpauth://TYPE/LABEL?PARAMETERS'");
  const [, rawType = '', rawLabel = '', query = ''] = match;

  const type = rawType.toLowerCase();
  if (type !== 'totp' && type !== 'hotp') throw invalidUri(`unknown type '${rawType}'`);

  const label = capped(decode(rawLabel, 'the label'), 'the label', KEY_URI_LIMITS.label);
  const colon = label.indexOf(':');
  const labelIssuer = colon < 0 ? undefined : label.slice(0, colon).trim();
  const account = (colon < 0 ? label : label.slice(colon + 1)).trim();
  if (account === '') throw invalidUri('the label has no account name');
  capped(account, 'the account name', KEY_URI_LIMITS.account);

  const params = readParams(query);
  const secretParam = params.get('secret');
  if (secretParam === undefined || secretParam === '') throw invalidUri('the secret is missing');
  let secret: Uint8Array;
  try {
    secret = checkSecret(
      base32Decode(capped(secretParam, 'the secret', KEY_URI_LIMITS.secretChars)),
    );
  } catch (error) {
    throw invalidUri(`the secret is not usable (${(error as Error).message})`, error);
  }

  const algorithm = (params.get('algorithm') ?? 'SHA1').toUpperCase();
  if (!isHashAlgorithm(algorithm)) throw invalidUri(`unsupported algorithm '${algorithm}'`);
  const digits = decimal(params.get('digits'), 'digits', 6);
  if (digits < 6 || digits > 8) throw invalidUri('digits must be 6, 7 or 8');
  const period = decimal(params.get('period'), 'period', 30);
  if (period <= 0) throw invalidUri('period must be greater than 0');

  const issuer = params.get('issuer')?.trim() || labelIssuer || undefined;
  const key: KeyUri = { type, account, secret, algorithm, digits: digits as Digits, period };
  if (issuer !== undefined) key.issuer = capped(issuer, 'the issuer', KEY_URI_LIMITS.issuer);
  if (type === 'hotp') {
    const counter = params.get('counter');
    if (counter === undefined) throw invalidUri('hotp URIs need a counter');
    key.counter = decimal(counter, 'counter', 0);
  }
  return key;
}
