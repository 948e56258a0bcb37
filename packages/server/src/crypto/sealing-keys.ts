import { open, seal } from './secret-box.js';

/** What {@link SealingKeys.open} found: the plain bytes, and whether a previous key sealed them. */
export interface Opened {
  plain: Uint8Array;
  /** Sealed under a previous key: re-seal under the current one. */
  stale: boolean;
}

/**
 * The encryption key for secrets at rest, plus previous keys kept for decryption only while a
 * rotation is under way: everything new is sealed under the current key, and what a previous key
 * opens is reported stale, so its owner can seal it again under the current one.
 */
export class SealingKeys {
  readonly #current: CryptoKey;
  readonly #previous: readonly CryptoKey[];

  constructor(current: CryptoKey, previous: readonly CryptoKey[] = []) {
    this.#current = current;
    this.#previous = previous;
  }

  seal(plain: Uint8Array, context: string): Promise<string> {
    return seal(this.#current, plain, context);
  }

  /** Opens with the current key, else with each previous one; throws when none opens it. */
  async open(box: string, context: string): Promise<Opened> {
    try {
      return { plain: await open(this.#current, box, context), stale: false };
    } catch (error) {
      for (const key of this.#previous) {
        try {
          return { plain: await open(key, box, context), stale: true };
        } catch {
          // Not this one either.
        }
      }
      throw error;
    }
  }
}
