import type { HmacFactory } from '../hmac/hmac-factory.js';
import { checkSecret, hotpSettings, nonNegativeInteger } from '../options.js';
import { OtpError } from '../errors.js';
import type { HotpFunction, HotpOptions } from '../types.js';
import { formatCode, truncate, writeCounter } from './otp-value.js';

const MAX_COUNTER = (1n << 64n) - 1n;

function counterMessage(counter: number | bigint): Uint8Array {
  const message = new Uint8Array(8);
  if (typeof counter === 'bigint') {
    if (counter < 0n || counter > MAX_COUNTER) {
      throw new OtpError('INVALID_OPTION', 'counter must fit in 64 unsigned bits');
    }
    new DataView(message.buffer).setBigUint64(0, counter);
  } else {
    writeCounter(message, nonNegativeInteger(counter, 'counter'));
  }
  return message;
}

/** RFC 4226 HOTP with the given HMAC implementation. */
export function hotpWith(
  hmac: HmacFactory,
  secret: Uint8Array,
  counter: number | bigint,
  options?: HotpOptions,
): string {
  const { digits, algorithm } = hotpSettings(options);
  const mac = hmac(algorithm, checkSecret(secret));
  return formatCode(truncate(mac(counterMessage(counter)), digits), digits);
}

/** `hotp` bound to an HMAC implementation. */
export function createHotp(hmac: HmacFactory): HotpFunction {
  return (secret, counter, options) => hotpWith(hmac, secret, counter, options);
}
