import {
  type AuthenticationResponseJSON,
  type ChallengeMethod,
  type EmailSendData,
  type LoginData,
  type MfaMethod,
  type MfaRequiredDetails,
  type MfaSetupRequest,
  normalizeTotpCode,
  type PublicKeyCredentialRequestOptionsJSON,
  type RequestBody,
  ROUTES,
  type RouteId,
  type UserInfo,
} from '@twofold/contract';
import { TwofoldError } from './errors.js';
import { sharedInFlight } from './in-flight.js';
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
    methods: ChallengeMethod[];
    /**
     * When the server stops taking answers, on this device's clock (from the server's
     * `expires_in` where it sends one, so a device clock minutes off does not matter).
     */
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
   * Completes the login with a current TOTP code (spaces and hyphens allowed) or an unused
   * backup code, or with the browser's answer to `challenge.webauthnOptions`. An identical call
   * while one is in flight (a double click) shares its request.
   *
   * @throws {TwofoldError} `MFA_INVALID_CODE` (see `reason`, `attemptsRemaining`),
   * `WEBAUTHN_VERIFICATION_FAILED`, `RATE_LIMITED` (`retryAfter`), `INVALID_CREDENTIALS`,
   * `VALIDATION_ERROR`; `CHALLENGE_EXPIRED` without a request once `expiresAt` has passed;
   * transport codes.
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
  /** The second factors turned on: `'totp'`, `'webauthn'` (passkeys). */
  methods: MfaMethod[];
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
  'password' in proof ? { password: proof.password } : { totp_code: normalizeTotpCode(proof.code) };

/**
 * The password plus a second factor, to turn MFA off or move to a new authenticator: a current
 * TOTP code, or (the authenticator is lost) an unused backup code.
 */
export type FactorProof =
  | { password: string; code: string }
  | { password: string; backupCode: string };

// A backup code stands in for the TOTP code: the server reads the missing totp_code as ''.
const factorBody = (proof: FactorProof) =>
  ('code' in proof
    ? { password: proof.password, totp_code: normalizeTotpCode(proof.code) }
    : { password: proof.password, backup_code: proof.backupCode }) as RequestBody<'mfa.disable'>;

/** Past its `expiresAt`: the server would refuse any answer to the challenge. */
export const isExpired = (challenge: MfaRequired['challenge']): boolean =>
  Date.now() >= challenge.expiresAt.getTime();

/** The local refusal of an answer to an expired challenge (no request is sent). */
export const challengeExpired = (): TwofoldError =>
  new TwofoldError({
    code: 'CHALLENGE_EXPIRED',
    message: 'The login challenge expired: log in again',
  });

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

  // Overlapping identical calls with the same signal (or none) share one request.
  const shared = sharedInFlight();

  async function authenticate(data: LoginData): Promise<Authenticated> {
    const session = sessionFromLogin(data, Date.now());
    await sessions.replace(session);
    return { status: 'authenticated', session };
  }

  const auth = {
    /** @throws {TwofoldError} `VALIDATION_ERROR`, `CONFLICT` (username or email taken); transport codes. */
    async register(
      input: { username: string; email: string; password: string },
      { signal }: Signal = {},
    ) {
      const data = await send('auth.register', { body: input, signal });
      return { userId: data.user_id, username: data.username, email: data.email };
    },

    /**
     * Step 1 of a login: a session, or (MFA on) a challenge to {@link MfaRequired.complete}.
     *
     * @throws {TwofoldError} `INVALID_CREDENTIALS`, `RATE_LIMITED` (`retryAfter`),
     * `VALIDATION_ERROR`; transport codes.
     */
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
        const challenge: MfaRequired['challenge'] = {
          id: challengeId,
          methods: Array.isArray(details.methods) ? [...details.methods] : ['totp', 'backup_code'],
          expiresAt: new Date(
            typeof details.expires_in === 'number'
              ? Date.now() + details.expires_in * 1000
              : Date.parse(details.expires_at ?? ''),
          ),
          message: details.message ?? error.message,
          ...(webauthnOptions && { webauthnOptions }),
        };
        return {
          status: 'mfa_required',
          challenge,
          complete(answer, { signal }: Signal = {}) {
            // The server would refuse it (MFA_INVALID_CODE, reason expired): say so without asking.
            if (isExpired(challenge)) return Promise.reject(challengeExpired());
            const body = {
              ...input,
              challenge_id: challengeId,
              ...('code' in answer
                ? { mfa_code: normalizeTotpCode(answer.code) }
                : { webauthn_response: answer.webauthnResponse }),
            };
            return shared(`login ${JSON.stringify(body)}`, signal, async () =>
              authenticate(await send('auth.login', { body, signal })),
            );
          },
        };
      }
    },

    /** @throws {TwofoldError} `UNAUTHORIZED` (no session), `INVALID_TOKEN` (session ended); transport codes. */
    async refresh({ signal }: Signal = {}): Promise<Session> {
      return sessions.refresh(signal);
    },

    /**
     * Revokes the tokens on the server and always forgets the session locally.
     *
     * @throws {TwofoldError} transport codes (the session is forgotten all the same).
     */
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

    /** @throws {TwofoldError} `UNAUTHORIZED` (no session), `INVALID_TOKEN`; transport codes. */
    async validate({ signal }: Signal = {}): Promise<User> {
      return toUser(await send('auth.validate', { signal }));
    },

    /** The stored session, if any. */
    session: (): Promise<Session | null> => sessions.current(),
  };

  const setup = (body: MfaSetupRequest, signal: AbortSignal | undefined) =>
    shared(`setup ${JSON.stringify(body)}`, signal, async (): Promise<MfaSetup> => {
      const data = await send('mfa.setup', { body, signal });
      return { otpauthUri: data.qr_code, secret: data.secret, backupCodes: [...data.backup_codes] };
    });

  const mfa = {
    /**
     * Starts TOTP enrolment with the user's password (a stolen access token alone must not
     * enrol an authenticator): a pending secret, confirmed by {@link verify}. Overlapping calls
     * share one request (React StrictMode runs effects twice): one pending secret on the
     * server, and every caller shows that one. Confirming it ends the user's other sessions.
     *
     * @throws {TwofoldError} `MFA_UNAUTHORIZED` (no or a wrong password), `MFA_ALREADY_ENABLED`
     * (see {@link replace}), `RATE_LIMITED`, `UNAUTHORIZED`, `INVALID_TOKEN`; transport codes.
     */
    setup({ password, signal }: { password: string } & Signal): Promise<MfaSetup> {
      return setup({ password }, signal);
    },
    /**
     * While MFA is on, starts a new TOTP secret (a new phone, or a lost one: prove it with a
     * backup code). The old secret and backup codes keep working until {@link verify} confirms
     * the new one.
     *
     * @throws {TwofoldError} `MFA_UNAUTHORIZED` (wrong password), `MFA_INVALID_CODE`,
     * `RATE_LIMITED`, `VALIDATION_ERROR`, `UNAUTHORIZED`, `INVALID_TOKEN`; transport codes.
     */
    replace(proof: FactorProof, { signal }: Signal = {}): Promise<MfaSetup> {
      return setup(factorBody(proof), signal);
    },
    /**
     * Confirms the pending secret with a current code of it (spaces and hyphens allowed).
     *
     * @throws {TwofoldError} `MFA_INVALID_CODE`, `MFA_NOT_PENDING`, `RATE_LIMITED`,
     * `VALIDATION_ERROR`, `UNAUTHORIZED`, `INVALID_TOKEN`; transport codes.
     */
    verify(code: string, { signal }: Signal = {}): Promise<void> {
      const body = { totp_code: normalizeTotpCode(code) };
      return shared(`verify ${body.totp_code}`, signal, async () => {
        await send('mfa.verify', { body, signal });
      });
    },
    /**
     * Turns MFA off: every factor and backup code goes.
     *
     * @throws {TwofoldError} `MFA_UNAUTHORIZED` (wrong password), `MFA_INVALID_CODE`,
     * `MFA_NOT_ENABLED`, `RATE_LIMITED`, `VALIDATION_ERROR`, `UNAUTHORIZED`, `INVALID_TOKEN`;
     * transport codes.
     */
    async disable(proof: FactorProof, { signal }: Signal = {}): Promise<void> {
      await send('mfa.disable', { body: factorBody(proof), signal });
    },
    /** @throws {TwofoldError} `UNAUTHORIZED`, `INVALID_TOKEN`; transport codes. */
    async status({ signal }: Signal = {}): Promise<MfaStatus> {
      const data = await send('mfa.status', { signal });
      return {
        enabled: data.enabled,
        methods: [...data.methods],
        backupCodesRemaining: data.backup_codes_remaining,
      };
    },
    /**
     * @throws {TwofoldError} `MFA_UNAUTHORIZED` (wrong password), `MFA_INVALID_CODE`,
     * `MFA_NOT_ENABLED`, `RATE_LIMITED`, `VALIDATION_ERROR`, `UNAUTHORIZED`, `INVALID_TOKEN`;
     * transport codes.
     */
    async regenerateBackupCodes(proof: StepUpProof, { signal }: Signal = {}): Promise<string[]> {
      const body = stepUpBody(proof);
      return [...(await send('mfa.regenerateBackupCodes', { body, signal }))];
    },
    /**
     * Uses up one backup code.
     *
     * @throws {TwofoldError} `MFA_INVALID_CODE`, `MFA_ERROR`, `RATE_LIMITED`, `VALIDATION_ERROR`,
     * `UNAUTHORIZED`, `INVALID_TOKEN`; transport codes.
     */
    async verifyBackupCode(code: string, { signal }: Signal = {}): Promise<void> {
      await send('mfa.verifyBackupCode', { body: { backup_code: code }, signal });
    },
  };

  const email = {
    /** @throws {TwofoldError} `EMAIL_DELIVERY_FAILED`, `UNAUTHORIZED`, `INVALID_TOKEN`; transport codes. */
    async sendVerification({ signal }: Signal = {}): Promise<VerificationSent> {
      return toSent(await send('email.send', { signal }));
    },
    /** @throws {TwofoldError} `INVALID_TOKEN` (unknown, used or expired link), `VALIDATION_ERROR`; transport codes. */
    async verify(token: string, { signal }: Signal = {}) {
      const data = await send('email.verify', { body: { token }, signal });
      return { verified: data.verified, userId: data.user_id, message: data.message };
    },
    /** @throws {TwofoldError} `RATE_LIMITED` (`retryAfter`), `VALIDATION_ERROR`; transport codes. */
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
