import { type JWTPayload, jwtVerify, SignJWT } from 'jose';
import { randomId } from '../crypto/random.js';
import type { Store } from '../store/store.js';

export type TokenScope = 'access' | 'refresh';

const VERIFIED_CACHE_SIZE = 10_000;

/** Where a revoked token id is kept until the token would have expired anyway. */
export const revokedKey = (jti: string) => `revoked:${jti}`;

export interface TokenSettings {
  key: Uint8Array;
  issuer: string;
  audience: string;
  accessTtlSeconds: number;
  refreshTtlSeconds: number;
  now: () => number;
}

export interface IssuedToken {
  token: string;
  expiresIn: number;
}

/**
 * The login a token belongs to: its access and refresh tokens share `id`. `generation` is the
 * user's session generation when it was issued; ending the user's other sessions moves the
 * generation on (see `sessionIsCurrent`).
 */
export interface SessionClaims {
  id: string;
  generation: number;
}

export interface VerifiedToken {
  userId: string;
  jti: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
  /** Tokens issued before sessions had ids have id '' and generation 0. */
  session: SessionClaims;
}

/**
 * HS256 JWTs with `iss`, `aud`, `sub`, `exp`, `jti` and a `scope` of `access` or `refresh`:
 * a refresh token is never accepted where an access token is expected (spec §2.1), and a
 * revoked `jti` (logout) is refused until the token would have expired anyway.
 */
export class TokenService {
  readonly #settings: TokenSettings;
  readonly #store: Store;
  /** Imported once: handing jose raw bytes would re-import the key on every sign and verify. */
  readonly #key: Promise<CryptoKey>;
  readonly #verified = new Map<string, JWTPayload>();

  constructor(settings: TokenSettings, store: Store) {
    this.#settings = settings;
    this.#store = store;
    this.#key = crypto.subtle.importKey(
      'raw',
      settings.key as Uint8Array<ArrayBuffer>,
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign', 'verify'],
    );
  }

  async issue(userId: string, scope: TokenScope, session: SessionClaims): Promise<IssuedToken> {
    const { issuer, audience, now } = this.#settings;
    const key = await this.#key;
    const expiresIn =
      scope === 'access' ? this.#settings.accessTtlSeconds : this.#settings.refreshTtlSeconds;
    const issuedAt = Math.floor(now() / 1000);
    const token = await new SignJWT({ scope, sid: session.id, sgen: session.generation })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(issuer)
      .setAudience(audience)
      .setSubject(userId)
      .setJti(randomId('tok'))
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + expiresIn)
      .sign(key);
    return { token, expiresIn };
  }

  /** The claims of a token whose signature, issuer and audience checked out once. */
  async #claims(token: string): Promise<JWTPayload | undefined> {
    const known = this.#verified.get(token);
    if (known !== undefined) return known;
    const { issuer, audience, now } = this.#settings;
    try {
      const { payload } = await jwtVerify(token, await this.#key, {
        issuer,
        audience,
        algorithms: ['HS256'],
        currentDate: new Date(now()),
        requiredClaims: ['sub', 'jti', 'exp'],
      });
      // WebCrypto verifies asynchronously on the thread pool (~0.1 ms a call); a client reuses
      // its access token for an hour, so remember verified tokens (the exact string) and check
      // only expiry, scope and revocation again on later uses. Oldest first out past the cap.
      if (this.#verified.size >= VERIFIED_CACHE_SIZE) {
        const oldest = this.#verified.keys().next().value;
        if (oldest !== undefined) this.#verified.delete(oldest);
      }
      this.#verified.set(token, payload);
      return payload;
    } catch {
      return undefined;
    }
  }

  /**
   * The token's subject if it is genuine, unexpired and of `scope`, without the revocation
   * check: for a caller that reads `revokedKey(jti)` together with other keys in one round trip.
   */
  async verifyUnlessRevoked(token: string, scope: TokenScope): Promise<VerifiedToken | undefined> {
    const payload = await this.#claims(token);
    if (payload === undefined) return undefined;
    const { sub, jti, exp } = payload;
    if (payload.scope !== scope || !sub || !jti || !exp) return undefined;
    if (exp * 1000 <= this.#settings.now()) return undefined;
    const session = {
      id: typeof payload.sid === 'string' ? payload.sid : '',
      generation: typeof payload.sgen === 'number' ? payload.sgen : 0,
    };
    return { userId: sub, jti, exp, session };
  }

  /** The token's subject if it is genuine, unexpired, of `scope` and not revoked. */
  async verify(token: string, scope: TokenScope): Promise<VerifiedToken | undefined> {
    const verified = await this.verifyUnlessRevoked(token, scope);
    if (verified === undefined) return undefined;
    if ((await this.#store.get(revokedKey(verified.jti))) !== undefined) return undefined;
    return verified;
  }

  /** Refuses the token from now until its own expiry. */
  async revoke(token: VerifiedToken): Promise<void> {
    const ttlMs = Math.max(1000, token.exp * 1000 - this.#settings.now());
    await this.#store.set(revokedKey(token.jti), true, { ttlMs });
  }
}
