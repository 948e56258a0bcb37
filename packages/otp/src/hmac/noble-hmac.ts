import { hmac } from '@noble/hashes/hmac.js';
import type { CHash } from '@noble/hashes/utils.js';
import { OtpError } from '../errors.js';
import type { HashAlgorithm } from '../types.js';
import type { HmacFactory } from './hmac-factory.js';

/**
 * An {@link HmacFactory} on `@noble/hashes` for the given hashes only, so an entry point that
 * passes just SHA-1 does not pull SHA-2 into a bundle.
 */
export function nobleHmac(hashes: Partial<Record<HashAlgorithm, CHash>>): HmacFactory {
  return (algorithm, key) => {
    const hash = hashes[algorithm];
    if (hash === undefined) {
      throw new OtpError(
        'INVALID_OPTION',
        `algorithm ${algorithm} is not available from this entry point; import it from '@twofold/otp'`,
      );
    }
    const keyed = hmac.create(hash, key);
    // One scratch instance and one output buffer per key: each candidate restores the keyed
    // state into the scratch instead of allocating a new HMAC.
    let scratch = keyed.clone();
    const out = new Uint8Array(keyed.outputLen);
    return (message) => {
      scratch = keyed._cloneInto(scratch);
      scratch.update(message);
      scratch.digestInto(out);
      return out;
    };
  };
}
