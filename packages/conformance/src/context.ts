import { API_PREFIX, ERROR_STATUS, type ErrorCode } from '@twofold/contract';
import { base32Decode, totp } from '@twofold/otp';
import {
  AddressBudgetSpent,
  CheckFailure,
  ensure,
  NotApplicable,
  type Profile,
  show,
} from './check.js';
import type {
  PasskeyAuthenticator,
  PasskeyAuthenticatorOptions,
  WebAuthnTarget,
} from './webauthn-target.js';

/** A clock the suite may move (the mock's, or an in-process server's). */
export interface ClockControl {
  now(): number;
  advance(ms: number): void;
}

/** What a target offers the suite. */
export interface Target {
  /** Where the contract lives (the suite adds `/api/v1`). */
  baseUrl: string;
  /** Default: the global fetch. */
  fetch?: typeof globalThis.fetch;
  profile?: Profile;
  /** Offered by the mock and in-process servers; checks that need it are "not applicable" without. */
  clock?: ClockControl;
  /**
   * True when the target counts attempts per `X-Forwarded-For` (a trusted proxy in front), so
   * the suite can give each check its own client address and per-client limits do not add up
   * across checks.
   */
  distinctClients?: boolean;
  /** How the target's passkeys are configured (spec §5); the passkey checks are "not applicable" without. */
  webauthn?: WebAuthnTarget;
}

/** Response JSON as checks read it: any member may be missing, so checks test before trusting. */
// biome-ignore lint/suspicious/noExplicitAny: checks inspect arbitrary server answers member by member
export type Json = any;

export interface Reply {
  status: number;
  headers: Headers;
  /** The parsed JSON body, or undefined when it is not JSON (read member by member, unchecked). */
  body: Json;
  text: string;
}

export interface CallInit {
  body?: unknown;
  token?: string;
  headers?: Record<string, string>;
  raw?: string;
}

export interface TestUser {
  username: string;
  email: string;
  password: string;
  id: string;
  accessToken: string;
  refreshToken: string;
}

export interface EnrolledUser extends TestUser {
  secret: string;
  backupCodes: string[];
  /** The code for the step after the one enrolment used (accepted by the ±1 window, not yet used). */
  nextCode(): string;
}

let sequence = 0;
const runId = Math.random().toString(36).slice(2, 8);

/** What each check runs with: calls, fresh users, codes, tokens, and the target's powers. */
export class CheckContext {
  readonly profile: Profile;
  readonly #target: Target;
  readonly #fetch: typeof globalThis.fetch;
  readonly #client: string;

  constructor(target: Target, checkIndex: number) {
    this.#target = target;
    this.profile = target.profile ?? 'twofold';
    this.#fetch = target.fetch ?? globalThis.fetch;
    // 198.18.0.0/15 is for benchmarking: never a real client.
    this.#client = `198.18.${Math.floor(checkIndex / 250) % 250}.${(checkIndex % 250) + 1}`;
  }

  get clock(): ClockControl {
    if (this.#target.clock === undefined)
      throw new NotApplicable('needs a controllable clock (mock or in-process)');
    return this.#target.clock;
  }

  /** The time the target's codes are computed at. */
  now(): number {
    return this.#target.clock?.now() ?? Date.now();
  }

  /** The target's passkey configuration. */
  get webauthn(): WebAuthnTarget {
    if (this.#target.webauthn === undefined) {
      throw new NotApplicable(
        "needs the target's passkey configuration (Target.webauthn; CLI --rp-id and --origin)",
      );
    }
    return this.#target.webauthn;
  }

  /**
   * A fresh software authenticator for the target's origin, claiming its allowed AAGUID
   * unless `settings` say otherwise.
   */
  authenticator(settings: Partial<PasskeyAuthenticatorOptions> = {}): PasskeyAuthenticator {
    const { origin, allowedAaguid, authenticator } = this.webauthn;
    if (authenticator === undefined) {
      throw new NotApplicable(
        'needs a software authenticator (Target.webauthn.authenticator; the CLI loads @twofold/mock/authenticator)',
      );
    }
    return authenticator({
      origin,
      ...(allowedAaguid === undefined ? {} : { aaguid: allowedAaguid }),
      ...settings,
    });
  }

  requireDistinctClients(): void {
    if (!this.#target.distinctClients) {
      throw new NotApplicable(
        'needs a target that counts attempts per X-Forwarded-For (a trusted proxy)',
      );
    }
  }

  async call(method: string, path: string, init: CallInit = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...init.headers };
    if (this.#target.distinctClients) headers['X-Forwarded-For'] ??= this.#client;
    if (init.token !== undefined) headers.Authorization = `Bearer ${init.token}`;
    let body = init.raw;
    if (init.body !== undefined) {
      body = JSON.stringify(init.body);
      headers['Content-Type'] ??= 'application/json';
    }
    const url = `${this.#target.baseUrl.replace(/\/+$/, '')}${API_PREFIX}${path}`;
    const response = await this.#fetch(url, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
    });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: response.status, headers: response.headers, body: parsed, text };
  }

  /**
   * A `RATE_LIMITED` answer where the check expected something else, from a target that counts
   * all checks against one address: the address's budget is spent (not applicable), not a
   * verdict on the rule the check is about. With distinct clients every check has its own
   * address, so there it stays a failure.
   */
  #budgetSpent(reply: Reply, what: string): void {
    if (!this.#target.distinctClients && reply.body?.error?.code === 'RATE_LIMITED') {
      throw new AddressBudgetSpent(reply.headers.get('Retry-After'), what);
    }
  }

  /**
   * Asserts that exactly one of `replies` (concurrent uses of one single-use thing) succeeded.
   * None succeeding with `RATE_LIMITED` among them, from a target that counts all checks
   * against one address, means the address's budget is spent (see `success`).
   */
  exactlyOneSucceeded(replies: Reply[], what: string): void {
    const succeeded = replies.filter((reply) => reply.body?.success === true).length;
    const limited = replies.find((reply) => reply.body?.error?.code === 'RATE_LIMITED');
    if (succeeded === 0 && limited !== undefined) this.#budgetSpent(limited, what);
    ensure(succeeded === 1, `${succeeded} of ${replies.length} ${what} succeeded`);
  }

  /** Asserts a success envelope and returns its `data`. */
  success(reply: Reply, what: string): Json {
    this.#budgetSpent(reply, what);
    ensure(
      reply.body?.success === true,
      `${what}: expected success, got ${reply.status} ${show(reply.body ?? reply.text)}`,
    );
    ensure(reply.status === 200, `${what}: success must be HTTP 200, got ${reply.status}`);
    return reply.body.data;
  }

  /**
   * Asserts an error envelope with `code`; under the twofold profile also the contract's status,
   * under auth-framework the crate's (`crateStatus`, when it is known).
   */
  failure(reply: Reply, code: ErrorCode | (string & {}), what: string, crateStatus?: number): void {
    const body = reply.body;
    if (code !== 'RATE_LIMITED') this.#budgetSpent(reply, what);
    ensure(
      body?.success === false,
      `${what}: expected error ${code}, got ${reply.status} ${show(body ?? reply.text)}`,
    );
    ensure(body.error?.code === code, `${what}: expected code ${code}, got ${show(body.error)}`);
    ensure(typeof body.error?.message === 'string', `${what}: error.message must be a string`);
    const expected =
      this.profile === 'twofold' ? (ERROR_STATUS as Record<string, number>)[code] : crateStatus;
    if (expected !== undefined)
      ensure(
        reply.status === expected,
        `${what}: ${code} must be HTTP ${expected}, got ${reply.status}`,
      );
  }

  /** A fresh registered and logged-in user (unique names per run). */
  async user(prefix = 'cf'): Promise<TestUser> {
    sequence++;
    const username = `${prefix}_${runId}_${sequence}`;
    const email = `${username}@conformance.example`;
    const password = 'Conformance-password-1';
    const registered = await this.call('POST', '/auth/register', {
      body: { username, email, password },
    });
    const id = this.success(registered, 'register')?.user_id;
    const login = await this.call('POST', '/auth/login', { body: { username, password } });
    const data = this.success(login, 'login');
    return {
      username,
      email,
      password,
      id,
      accessToken: data.access_token,
      refreshToken: data.refresh_token,
    };
  }

  /** The TOTP code of `secret` at the target's time, `offsetSteps` steps away. */
  code(secret: string, offsetSteps = 0): string {
    return totp(base32Decode(secret), { time: this.now() + offsetSteps * 30_000 });
  }

  /** `POST /mfa/setup` for `user`, with the password a first enrolment takes. */
  setup(user: TestUser): Promise<Reply> {
    return this.call('POST', '/mfa/setup', {
      token: user.accessToken,
      body: { password: user.password },
    });
  }

  /** A user with MFA enabled through setup + verify. */
  async enrolled(prefix = 'cf'): Promise<EnrolledUser> {
    const user = await this.user(prefix);
    const setup = this.success(await this.setup(user), 'setup');
    const verified = await this.call('POST', '/mfa/verify', {
      token: user.accessToken,
      body: { totp_code: this.code(setup.secret) },
    });
    this.success(verified, 'verify');
    return {
      ...user,
      secret: setup.secret,
      backupCodes: setup.backup_codes,
      nextCode: () => this.code(setup.secret, 1),
    };
  }

  /** Starts a login for an MFA user and returns the challenge id. */
  async challenge(user: TestUser): Promise<string> {
    const reply = await this.call('POST', '/auth/login', {
      body: { username: user.username, password: user.password },
    });
    this.failure(reply, 'MFA_REQUIRED', 'login step 1', 401);
    const id = reply.body.error.details?.challenge_id;
    ensure(typeof id === 'string', 'MFA_REQUIRED without details.challenge_id');
    return id;
  }

  /** Login step 2: completes `challengeId` for `user` with a TOTP or backup code. */
  completeLogin(user: TestUser, challengeId: string, code: string | undefined): Promise<Reply> {
    return this.call('POST', '/auth/login', {
      body: {
        username: user.username,
        password: user.password,
        challenge_id: challengeId,
        mfa_code: code,
      },
    });
  }

  /** A verification token for the user: from the response, else from the development outbox. */
  async emailToken(user: TestUser): Promise<string> {
    const sent = this.success(
      await this.call('POST', '/auth/verify-email/send', { token: user.accessToken }),
      'send',
    );
    if (typeof sent?.verification_token === 'string' && sent.verification_token !== '')
      return sent.verification_token;
    const outbox = await this.call('GET', `/dev/outbox?to=${encodeURIComponent(user.email)}`);
    const token = outbox.body?.success === true ? outbox.body.data?.[0]?.token : undefined;
    if (typeof token !== 'string')
      throw new NotApplicable('needs verification tokens in responses or the development outbox');
    return token;
  }
}

export { CheckFailure };
