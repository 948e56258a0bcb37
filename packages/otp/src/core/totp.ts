import type { HmacFactory } from '../hmac/hmac-factory.js';
import { timeStep } from '../options.js';
import type { TotpFunction } from '../types.js';
import { hotpWith } from './hotp.js';

/** RFC 6238 TOTP (the HOTP of the time step), bound to an HMAC implementation. */
export function createTotp(hmac: HmacFactory): TotpFunction {
  return (secret, options) => hotpWith(hmac, secret, timeStep(options), options);
}
