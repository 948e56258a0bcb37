import { base32Decode, base32Encode } from '../base32.js';
import { OtpError } from '../errors.js';
import {
  checkAlgorithm,
  checkDigits,
  checkPeriod,
  checkSecret,
  nonNegativeInteger,
} from '../options.js';
import { type BuildKeyUriOptions, KEY_URI_LIMITS } from './key-uri-types.js';

function checkName(value: unknown, name: 'account' | 'issuer'): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > KEY_URI_LIMITS[name]) {
    throw new OtpError('INVALID_OPTION', `${name} must be 1 to ${KEY_URI_LIMITS[name]} characters`);
  }
  // The label is `issuer:account`; a colon or edge whitespace would not read back the same.
  if (value.includes(':') || value.trim() !== value) {
    throw new OtpError(
      'INVALID_OPTION',
      `${name} must not contain ':' or start or end with whitespace`,
    );
  }
  return value;
}

function secretText(secret: Uint8Array | string): string {
  const bytes = typeof secret === 'string' ? base32Decode(secret) : secret;
  return base32Encode(checkSecret(bytes));
}

/**
 * Builds the `otpauth://` Key URI that authenticator apps read from a QR code. The label is
 * `Issuer:account`, percent-encoded; the issuer is repeated as a parameter, and the algorithm
 * is written `SHA1`/`SHA256`/`SHA512`. Bad options throw `OtpError('INVALID_OPTION')`
 * (or `INVALID_BASE32`/`INVALID_SECRET` for the secret).
 *
 * @example
 * ```ts
 * import { buildKeyUri, generateSecret } from '@twofold/otp';
 * const uri = buildKeyUri({ secret: generateSecret(), account: 'ada@example.com', issuer: 'Acme' });
 * // 'otpauth://totp/Acme:ada%40example.com?secret=…&issuer=Acme&algorithm=SHA1&digits=6&period=30'
 * ```
 */
export function buildKeyUri(options: BuildKeyUriOptions): string {
  const type = options.type ?? 'totp';
  if (type !== 'totp' && type !== 'hotp') {
    throw new OtpError('INVALID_OPTION', `type must be 'totp' or 'hotp', got ${String(type)}`);
  }
  const account = encodeURIComponent(checkName(options.account, 'account'));
  const issuer =
    options.issuer === undefined
      ? undefined
      : encodeURIComponent(checkName(options.issuer, 'issuer'));
  const params = [`secret=${secretText(options.secret)}`];
  if (issuer !== undefined) params.push(`issuer=${issuer}`);
  params.push(`algorithm=${checkAlgorithm(options.algorithm ?? 'SHA1')}`);
  params.push(`digits=${checkDigits(options.digits ?? 6)}`);
  if (type === 'totp') {
    if (options.counter !== undefined) {
      throw new OtpError('INVALID_OPTION', 'counter applies to hotp URIs only');
    }
    params.push(`period=${checkPeriod(options.period ?? 30)}`);
  } else {
    params.push(`counter=${nonNegativeInteger(options.counter ?? 0, 'counter')}`);
  }
  const label = issuer === undefined ? account : `${issuer}:${account}`;
  return `otpauth://${type}/${label}?${params.join('&')}`;
}
