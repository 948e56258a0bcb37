import type { HmacFactory } from '../hmac/hmac-factory.js';
import { checkSecret, hotpSettings, invalidOption, nonNegativeInteger } from '../options.js';
import type { HotpFunction, HotpOptions } from '../types.js';
import { formatCode, truncate, writeCounter } from './otp-value.js';

function counterMessage(counter: number | bigint): Uint8Array {
  const message = new Uint8Array(8);
  if (typeof counter === 'bigint') {
    if (counter < 0n || counter >> 64n !== 0n) {
      throw invalidOption('counter', 'an integer from 0 to 2^64 - 1', counter);
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
