import {
  type AuthenticationResponseJSON,
  type EmailSendData,
  type LoginData,
  type MfaRequiredDetails,
  type PublicKeyCredentialRequestOptionsJSON,
  ROUTES,
  type RouteId,
  type UserInfo,
} from '@twofold/contract';
import { TwofoldError } from './errors.js';
import { SEND, type Send } from './send.js';
import type { Session, TokenStore, User } from './session.js';
import { memoryTokenStore } from './session.js';
import { SessionManager, sessionFromLogin } from './session-manager.js';
import { type Call, type CallOptions, createTransport, type RetryOptions } from './transport.js';

/** Options of {@link createClient}. */
export interface ClientOptions {
  /**
   * The server's origin (and path prefix, if any), an absolute http(s) URL; the SDK adds
   * `/api/v1`, and drops it (and trailing slashes) when given. Anything else throws a
   * `TypeError` here, naming the value.
   */
  baseUrl: string;
  /** A fetch implementation (default: the global one). Tests pass `server.fetch`. */
  fetch?: typeof globalThis.fetch;
  /** Per attempt, in ms, or false. Default 10 000. */
  timeout?: number | false;
  /** Retries of idempotent (GET) requests on network failures and 408/429/502/503/504. */
  retry?: number | RetryOptions;
  /** Where the session is kept (default: in memory). */
  tokenStore?: TokenStore;
  /** Sent with every request. */
  headers?: Record<string, string>;
  /** Called whenever the session is set, refreshed or cleared. */
  onSessionChange?: (session: Session | null) => void;
}

/** Every method takes an optional abort signal. */
export interface Signal {
  signal?: AbortSignal;
}

export interface Authenticated {
  status: 'authenticated';
  session: Session;
}

/** A login waiting for its second factor. */
export interface MfaRequired {
  status: 'mfa_required';
  challenge: {
    id: string;
    /** The factors that can complete it, e.g. `['totp', 'backup_code']`. */
    methods: string[];
    expiresAt: Date;
    message: string;
    /**
     * When the user has a passkey (`methods` includes `'webauthn'`): the options for
     * `navigator.credentials.get()`. `passkeys(client).complete(result)` of
     * `@twofold/client/webauthn` runs that ceremony and completes the login.
     */
    webauthnOptions?: PublicKeyCredentialRequestOptionsJSON;
  };
  /**
   * Completes the login with a current TOTP code or an unused backup code, or with the
   * browser's answer to `challenge.webauthnOptions`.
   */
  complete(
    input: { code: string } | { webauthnResponse: AuthenticationResponseJSON },
    options?: Signal,
  ): Promise<Authenticated>;
}

export interface MfaSetup {
  /** The `otpauth://` URI to show as a QR code. */
  otpauthUri: string;
  /** The base32 secret, for manual entry. */
  secret: string;
  backupCodes: string[];
}

export interface MfaStatus {
  enabled: boolean;
  methods: string[];
  backupCodesRemaining: number;
}

export interface VerificationSent {
  sent: boolean;
  /** Empty unless the server exposes tokens (development). */
  verificationToken: string;
  message: string;
}

/** Proof of presence for sensitive changes: the password, or a current TOTP code. */
export type StepUpProof = { password: string } | { code: string };

/** The wire body of a {@link StepUpProof} (also used by the ./webauthn subpath). */
export const stepUpBody = (proof: StepUpProof): { password: string } | { totp_code: string } =>
  'password' in proof ? { password: proof.password } : { totp_code: proof.code };

const toUser = (user: UserInfo): User => ({
  id: user.id,
  username: user.username,
  roles: [...user.roles],
  permissions: [...user.permissions],
});

const toSent = (data: EmailSendData): VerificationSent => ({
  sent: data.sent,
  verificationToken: data.verification_token,
  message: data.message,
});

/**
 * The Twofold SDK for browsers, Node, workers and edge runtimes. Speaks the Twofold contract to
 * the reference server, the mock, and auth-framework servers.
 *
 * @example
 * ```ts
 * import { createClient } from '@twofold/client';
 * const client = createClient({ baseUrl: 'https://auth.example.com' });
 * const result = await client.auth.login({ username: 'ada', password: 'correct horse battery staple' });
 * result.status; // 'mfa_required'
 * // then, with the code from her authenticator app: await result.complete({ code })
 * ```
 */
export function createClient(options: ClientOptions) {
  const call: Call = createTransport(options);
  const sessions = new SessionManager(
    options.tokenStore ?? memoryTokenStore(),
    call,
    options.onSessionChange,
  );

  /** Calls a route, with the session's access token when the route table says it is bearer. */
  const send: Send = <Id extends RouteId>(route: Id, options: CallOptions<Id>) =>
    ROUTES[route].auth === 'bearer'
      ? sessions.withToken((token) => call(route, { ...options, token }), options.signal)
      : call(route, options);

  async function authenticate(data: LoginData): Promise<Authenticated> {
    const session = sessionFromLogin(data, Date.now());
    await sessions.replace(session);
    return { status: 'authenticated', session };
  }

  const auth = {
    async register(
      input: { username: string; email: string; password: string },
      { signal }: Signal = {},
    ) {
      const data = await send('auth.register', { body: input, signal });
      return { userId: data.user_id, username: data.username, email: data.email };
    },

    async login(
      input: { username: string; password: string },
      { signal }: Signal = {},
    ): Promise<Authenticated | MfaRequired> {
      try {
        return await authenticate(await send('auth.login', { body: input, signal }));
      } catch (error) {
        if (!(error instanceof TwofoldError) || error.code !== 'MFA_REQUIRED') throw error;
        const details = (error.details ?? {}) as Partial<MfaRequiredDetails>;
        if (typeof details.challenge_id !== 'string') {
          throw new TwofoldError({
            code: 'INVALID_RESPONSE',
            message: 'MFA_REQUIRED without challenge_id',
            status: error.status,
            details: error.details,
          });
        }
        const challengeId = details.challenge_id;
        const webauthnOptions = details.webauthn_options;
        return {
          status: 'mfa_required',
          challenge: {
            id: challengeId,
            methods: Array.isArray(details.methods)
              ? [...details.methods]
              : ['totp', 'backup_code'],
            expiresAt: new Date(details.expires_at ?? Number.NaN),
            message: details.message ?? error.message,
            ...(webauthnOptions && { webauthnOptions }),
          },
          async complete(answer, completeOptions: Signal = {}) {
            const body = {
              ...input,
              challenge_id: challengeId,
              ...('code' in answer
                ? { mfa_code: answer.code }
                : { webauthn_response: answer.webauthnResponse }),
            };
            return authenticate(await send('auth.login', { body, signal: completeOptions.signal }));
          },
        };
      }
    },

    async refresh({ signal }: Signal = {}): Promise<Session> {
      return sessions.refresh(signal);
    },

    /** Revokes the tokens on the server and always forgets the session locally. */
    async logout({ signal }: Signal = {}): Promise<void> {
      const session = await sessions.current();
      await sessions.replace(null);
      if (session === null) return;
      await call('auth.logout', {
        token: session.accessToken,
        body: { refresh_token: session.refreshToken },
        signal,
      });
    },

    async validate({ signal }: Signal = {}): Promise<User> {
      return toUser(await send('auth.validate', { signal }));
    },

    /** The stored session, if any. */
    session: (): Promise<Session | null> => sessions.current(),
  };

  const setupCall = async (signal?: AbortSignal): Promise<MfaSetup> => {
    const data = await send('mfa.setup', { signal });
    return { otpauthUri: data.qr_code, secret: data.secret, backupCodes: [...data.backup_codes] };
  };
  let setupInFlight: Promise<MfaSetup> | undefined;

  const mfa = {
    /**
     * Starts TOTP enrolment. Calls without a signal while one is in flight share its request
     * (React StrictMode runs effects twice): one pending secret on the server, and every caller
     * shows that one. A call with a signal goes alone, so aborting it never fails another caller.
     */
    setup({ signal }: Signal = {}): Promise<MfaSetup> {
      if (signal) return setupCall(signal);
      setupInFlight ??= setupCall().finally(() => {
        setupInFlight = undefined;
      });
      return setupInFlight;
    },
    async verify(code: string, { signal }: Signal = {}): Promise<void> {
      await send('mfa.verify', { body: { totp_code: code }, signal });
    },
    async disable(
      input: { password: string; code: string },
      { signal }: Signal = {},
    ): Promise<void> {
      await send('mfa.disable', {
        body: { password: input.password, totp_code: input.code },
        signal,
      });
    },
    async status({ signal }: Signal = {}): Promise<MfaStatus> {
      const data = await send('mfa.status', { signal });
      return {
        enabled: data.enabled,
        methods: [...data.methods],
        backupCodesRemaining: data.backup_codes_remaining,
      };
    },
    async regenerateBackupCodes(proof: StepUpProof, { signal }: Signal = {}): Promise<string[]> {
      const body = stepUpBody(proof);
      return [...(await send('mfa.regenerateBackupCodes', { body, signal }))];
    },
    async verifyBackupCode(code: string, { signal }: Signal = {}): Promise<void> {
      await send('mfa.verifyBackupCode', { body: { backup_code: code }, signal });
    },
  };

  const email = {
    async sendVerification({ signal }: Signal = {}): Promise<VerificationSent> {
      return toSent(await send('email.send', { signal }));
    },
    async verify(token: string, { signal }: Signal = {}) {
      const data = await send('email.verify', { body: { token }, signal });
      return { verified: data.verified, userId: data.user_id, message: data.message };
    },
    async resend(address: string, { signal }: Signal = {}): Promise<VerificationSent> {
      return toSent(await send('email.resend', { body: { email: address }, signal }));
    },
  };

  // The ./webauthn subpath calls bearer routes through this client's session handling; a
  // registry symbol (not an export) lets a copy of the subpath from another install find it.
  return Object.defineProperty({ auth, mfa, email }, SEND, { value: send });
}

/** A client made by {@link createClient}. */
export type TwofoldClient = ReturnType<typeof createClient>;
