import type { Hash } from '@noble/hashes/utils.js';
import { invalidOption } from '../options.js';
import type { HashAlgorithm } from '../types.js';
import type { HmacFactory } from './hmac-factory.js';

// biome-ignore lint/suspicious/noExplicitAny: noble's hash instances are typed Hash<Self>.
type HashState = Hash<any>;

/**
 * A noble hash class such as `_SHA1`. The classes, unlike the `sha1` function objects, leave
 * noble's hasher-factory code out of bundles.
 */
export type HashClass = new () => HashState;

type Engine = (key: Uint8Array, message: Uint8Array) => Uint8Array;

/**
 * RFC 2104 HMAC over one noble hash that reuses every buffer and hash instance: keying
 * restores a blank state and absorbs the ipad/opad blocks, and each MAC restores the keyed
 * states with `_cloneInto`, so verifying a window allocates almost nothing (fresh noble HMAC
 * instances cost more than the SHA-1 compressions themselves). The keyed states stay until
 * the next key is loaded.
 */
function hmacEngine(Hash: HashClass): Engine {
  const blank = new Hash();
  const inner = new Hash();
  const outer = new Hash();
  let work = new Hash();
  const pad = new Uint8Array(blank.blockLen);
  const out = new Uint8Array(blank.outputLen);
  let loadedKey: Uint8Array | undefined;

  const load = (key: Uint8Array) => {
    pad.fill(0);
    pad.set(key.length > pad.length ? new Hash().update(key).digest() : key);
    for (let i = 0; i < pad.length; i++) pad[i] = (pad[i] as number) ^ 0x36;
    blank._cloneInto(inner).update(pad);
    for (let i = 0; i < pad.length; i++) pad[i] = (pad[i] as number) ^ 0x36 ^ 0x5c;
    blank._cloneInto(outer).update(pad);
    pad.fill(0);
    loadedKey = key;
  };

  return (key, message) => {
    // Keyed once per key; MAC functions of different keys may interleave.
    if (loadedKey !== key) load(key);
    work = inner._cloneInto(work);
    work.update(message).digestInto(out);
    work = outer._cloneInto(work);
    work.update(out).digestInto(out);
    return out;
  };
}

/**
 * An {@link HmacFactory} on `@noble/hashes` for the given hashes only, so an entry point that
 * passes just SHA-1 does not pull SHA-2 into a bundle.
 */
export function nobleHmac(hashes: Partial<Record<HashAlgorithm, HashClass>>): HmacFactory {
  const engines: Partial<Record<HashAlgorithm, Engine>> = {};
  return (algorithm, key) => {
    const Hash = hashes[algorithm];
    if (Hash === undefined) {
      throw invalidOption('algorithm', "SHA1 here (SHA-2 is in '@twofold/otp')", algorithm);
    }
    engines[algorithm] ??= hmacEngine(Hash);
    const engine = engines[algorithm];
    // A private copy: the caller may reuse or wipe its array, and identity marks the loaded key.
    const ownKey = key.slice();
    return (message) => engine(ownKey, message);
  };
}
