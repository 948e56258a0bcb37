import { jwtVerify, SignJWT } from 'jose';
import { randomId } from '../crypto/random.js';
import type { Store } from '../store/store.js';

export type TokenScope = 'access' | 'refresh';

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

export interface VerifiedToken {
  userId: string;
  jti: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

/**
 * HS256 JWTs with `iss`, `aud`, `sub`, `exp`, `jti` and a `scope` of `access` or `refresh`:
 * a refresh token is never accepted where an access token is expected (spec §2.1), and a
 * revoked `jti` (logout) is refused until the token would have expired anyway.
 */
export class TokenService {
  readonly #settings: TokenSettings;
  readonly #store: Store;

  constructor(settings: TokenSettings, store: Store) {
    this.#settings = settings;
    this.#store = store;
  }

  async issue(userId: string, scope: TokenScope): Promise<IssuedToken> {
    const { key, issuer, audience, now } = this.#settings;
    const expiresIn =
      scope === 'access' ? this.#settings.accessTtlSeconds : this.#settings.refreshTtlSeconds;
    const issuedAt = Math.floor(now() / 1000);
    const token = await new SignJWT({ scope })
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

  /** The token's subject if it is genuine, unexpired, of `scope` and not revoked. */
  async verify(token: string, scope: TokenScope): Promise<VerifiedToken | undefined> {
    const { key, issuer, audience, now } = this.#settings;
    let payload: Awaited<ReturnType<typeof jwtVerify>>['payload'];
    try {
      ({ payload } = await jwtVerify(token, key, {
        issuer,
        audience,
        algorithms: ['HS256'],
        currentDate: new Date(now()),
        requiredClaims: ['sub', 'jti', 'exp'],
      }));
    } catch {
      return undefined;
    }
    const { sub, jti, exp } = payload;
    if (payload.scope !== scope || !sub || !jti || !exp) return undefined;
    if ((await this.#store.get(`revoked:${jti}`)) !== undefined) return undefined;
    return { userId: sub, jti, exp };
  }

  /** Refuses the token from now until its own expiry. */
  async revoke(token: VerifiedToken): Promise<void> {
    const ttlMs = Math.max(1000, token.exp * 1000 - this.#settings.now());
    await this.#store.set(`revoked:${token.jti}`, true, { ttlMs });
  }
}
