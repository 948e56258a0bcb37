import type { LoginData } from '@twofold/contract';
import { TwofoldError } from './errors.js';
import type { Session, TokenStore } from './session.js';
import type { Call } from './transport.js';

/** Refresh this long before the access token expires, to absorb clock skew and latency. */
const EXPIRY_MARGIN_MS = 30_000;

/** Codes with which servers refuse an expired or revoked access token. */
const STALE_TOKEN_CODES = new Set(['INVALID_TOKEN', 'AUTH_ERROR']);

export function sessionFromLogin(data: LoginData, now: number): Session {
  return {
    accessToken: data.access_token,
    refreshToken: data.refresh_token,
    tokenType: 'Bearer',
    expiresAt: now + data.expires_in * 1000,
    user: { ...data.user },
  };
}

/**
 * Owns the session: stores it, announces changes, and refreshes the access token once when it
 * has expired, with every concurrent caller waiting on that one refresh.
 */
export class SessionManager {
  readonly #store: TokenStore;
  readonly #call: Call;
  readonly #onChange: ((session: Session | null) => void) | undefined;
  #refreshing: Promise<Session> | undefined;

  constructor(
    store: TokenStore,
    call: Call,
    onChange: ((session: Session | null) => void) | undefined,
  ) {
    this.#store = store;
    this.#call = call;
    this.#onChange = onChange;
  }

  async current(): Promise<Session | null> {
    return this.#store.get();
  }

  async replace(session: Session | null): Promise<void> {
    await this.#store.set(session);
    this.#onChange?.(session);
  }

  /** Exchanges the refresh token for a new access token; concurrent callers share one exchange. */
  refresh(signal?: AbortSignal): Promise<Session> {
    this.#refreshing ??= this.#exchange(signal).finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  async #exchange(signal: AbortSignal | undefined): Promise<Session> {
    const session = await this.current();
    if (session === null) {
      throw new TwofoldError({ code: 'UNAUTHORIZED', message: 'Not logged in' });
    }
    try {
      const data = await this.#call('auth.refresh', {
        body: { refresh_token: session.refreshToken },
        signal,
      });
      const next: Session = {
        ...session,
        accessToken: data.access_token,
        expiresAt: Date.now() + data.expires_in * 1000,
      };
      await this.replace(next);
      return next;
    } catch (error) {
      // A refused refresh token ends the session; a network failure does not.
      if (error instanceof TwofoldError && error.status >= 400 && error.status < 500)
        await this.replace(null);
      throw error;
    }
  }

  /**
   * Runs a bearer request with a fresh access token: refreshes first when the token is about to
   * expire, and refreshes once and retries once when the server calls it stale anyway.
   */
  async withToken<T>(run: (token: string) => Promise<T>, signal?: AbortSignal): Promise<T> {
    let session = await this.current();
    if (session === null)
      throw new TwofoldError({ code: 'UNAUTHORIZED', message: 'Not logged in' });
    if (session.expiresAt - EXPIRY_MARGIN_MS <= Date.now()) session = await this.refresh(signal);
    try {
      return await run(session.accessToken);
    } catch (error) {
      if (!(error instanceof TwofoldError) || !STALE_TOKEN_CODES.has(error.code)) throw error;
      let refreshed: Session;
      try {
        refreshed = await this.refresh(signal);
      } catch (refreshError) {
        // A refused refresh confirms the original verdict; report that, not the refresh.
        if (
          refreshError instanceof TwofoldError &&
          refreshError.status >= 400 &&
          refreshError.status < 500
        )
          throw error;
        throw refreshError;
      }
      return run(refreshed.accessToken);
    }
  }
}
