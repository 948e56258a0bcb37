import { LIMITS } from '@twofold/contract';
import { TwofoldConfigError } from './config-error.js';
import type { PasswordHasher } from './crypto/password-hasher.js';
import { keyMaterial } from './crypto/server-keys.js';
import type { TrustProxy } from './http/client-address.js';
import type { CorsOptions, CorsPolicy } from './http/cors.js';
import type { Mailer } from './mail/mailer.js';
import { runtimeBuiltin } from './runtime-builtin.js';
import type { Store } from './store/store.js';
import { resolveWebAuthn, type WebAuthnConfig, type WebAuthnOptions } from './webauthn-options.js';

/** Where log lines go; `console` by default. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
}

/** A user as the `otpauth://` account label sees it. */
export interface TotpAccountUser {
  id: string;
  username: string;
  email: string;
}

/** Options of {@link createTwofoldServer}. Only the two keys are required. */
export interface TwofoldServerOptions {
  /** Master secret (>= 32 bytes of random material): token signing and the code pepper derive from it. */
  secret: string | Uint8Array;
  /** Key material (>= 32 bytes) for encrypting TOTP secrets at rest. */
  encryptionKey: string | Uint8Array;
  /**
   * Earlier encryption keys, for decryption only, while rotating `encryptionKey`: a secret one of
   * them opens is sealed again under `encryptionKey` when it is next used. The store keeps a check
   * value of the keys it was first used with, and a server whose `secret` or `encryptionKey`
   * differs (and is no rotation from a key listed here) refuses to start.
   */
  previousEncryptionKeys?: readonly (string | Uint8Array)[];
  /**
   * Required, so that no deployment ends up in development mode by omission: `development`
   * exposes the dev outbox (every verification token, unauthenticated) and tokens in responses.
   */
  mode: 'development' | 'production';
  /**
   * Storage; an in-memory store by default (lost on restart). Or a function that opens one: it
   * is called once, after the options are checked, so a bad option never touches a database.
   */
  store?: Store | (() => Promise<Store>);
  /** Delivers verification emails; in development the outbox records them either way. Required in production. */
  mailer?: Mailer;
  /**
   * Password KDF. Default scrypt (N=2^17, r=8, p=1): through `node:crypto` on the libuv pool
   * where the runtime has it (Node, Bun, Deno), else in JavaScript on the calling thread.
   */
  passwordHasher?: PasswordHasher;
  /**
   * Password hashes computed at once (each may take 128 MiB); the rest queue. Default: one fewer
   * than the cores where the runtime tells (`node:os`), at least 1 and at most 4; else 4.
   */
  maxConcurrentPasswordHashes?: number;
  /** The clock, in milliseconds since the epoch (tests and the mock set it). */
  now?: () => number;
  /**
   * Browser origins allowed to call the API. Default: in development, pages on `localhost`,
   * `127.0.0.1` and `[::1]` (any port); in production, none.
   */
  cors?: CorsOptions;
  /** How many proxies in front may be believed about the client address (X-Forwarded-For). */
  trustProxy?: TrustProxy;
  /** The `iss` of tokens and the issuer shown in authenticator apps. */
  tokenIssuer?: string;
  tokenAudience?: string;
  accessTokenTtlSeconds?: number;
  refreshTokenTtlSeconds?: number;
  /** Issuer of the `otpauth://` URI (default `AuthFramework`, as the crate). */
  totpIssuer?: string;
  /** Account label of the `otpauth://` URI (default: the user id, as the crate). */
  totpAccount?: (user: TotpAccountUser) => string;
  /** Put the verification token in API responses (default: in development only). */
  exposeVerificationTokens?: boolean;
  /** Email a verification link on registration (default false). */
  sendVerificationOnRegister?: boolean;
  /** Require `{password}` or `{totp_code}` to regenerate backup codes (default true; false = crate behaviour). */
  requireStepUpForBackupCodes?: boolean;
  /**
   * Require `{password}` to enrol a first factor (`/mfa/setup`, passkey `register/options` while
   * MFA is off), so a stolen access token cannot enrol its holder's authenticator (default true;
   * false = crate behaviour).
   */
  requirePasswordToEnrol?: boolean;
  /** Where this server is reached; the default link of verification emails leads to its page (default `http://127.0.0.1:8787`). */
  publicUrl?: string;
  /**
   * Where the link in verification emails leads: an absolute http(s) URL with `{token}` exactly
   * once, replaced by the URL-encoded token, e.g. `https://app.example.com/verify-email?token={token}`.
   * Default `{publicUrl}/verify-email?token={token}`: the page this server serves, which
   * verifies only when the user presses its button (a GET never consumes the token).
   */
  verifyUrl?: string;
  /** Product name in emails (default `Twofold`). */
  productName?: string;
  /** Passkeys as a second factor (spec §5); without it the passkey routes answer `WEBAUTHN_NOT_CONFIGURED`. */
  webauthn?: WebAuthnOptions;
  /** Attempt and resend limits and the body size limit (defaults from the contract). */
  limits?: Partial<Record<keyof typeof LIMITS, number>>;
  logger?: Logger;
}

/** The options with every default filled in and every value checked: what each part reads. */
export interface ServerConfig {
  development: boolean;
  secret: Uint8Array;
  encryptionKey: Uint8Array;
  previousEncryptionKeys: Uint8Array[];
  /** The configured mailer, if any (development adds the outbox on top). */
  mailer: Mailer | undefined;
  passwordHasher: PasswordHasher | undefined;
  maxConcurrentPasswordHashes: number;
  now: () => number;
  cors: CorsPolicy;
  trustProxy: TrustProxy;
  tokenIssuer: string;
  tokenAudience: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  totpIssuer: string;
  totpAccount: (user: TotpAccountUser) => string;
  exposeVerificationTokens: boolean;
  sendVerificationOnRegister: boolean;
  requireStepUpForBackupCodes: boolean;
  requirePasswordToEnrol: boolean;
  /** Without a trailing slash. */
  publicUrl: string;
  /** The link template, with `{token}` exactly once. */
  verifyUrl: string;
  productName: string;
  webauthn: WebAuthnConfig | undefined;
  limits: Record<keyof typeof LIMITS, number>;
  logger: Logger;
}

const consoleLogger: Logger = {
  info: (message) => console.info(message),
  warn: (message) => console.warn(message),
  error: (message, error) => console.error(message, error),
};

function positiveInteger(option: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new TwofoldConfigError(option, `must be a positive integer, got ${value}`);
  }
  return value;
}

function httpUrl(option: string, value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new TwofoldConfigError(option, `must be an absolute http(s) URL, got ${value}`);
  }
  return value.replace(/\/+$/, '');
}

/** The CORS policy: exact origins checked (a path or a trailing slash would never match). */
function corsPolicy(cors: CorsOptions | undefined, development: boolean): CorsPolicy {
  const origins = cors?.origins ?? [];
  for (const origin of origins) {
    let parsed: string | undefined;
    try {
      parsed = new URL(origin).origin;
    } catch {
      parsed = undefined;
    }
    if (parsed !== origin || !/^https?:/.test(origin)) {
      throw new TwofoldConfigError(
        'cors.origins',
        `entries must be origins such as https://app.example (scheme://host[:port], no path or trailing slash), got ${origin}`,
      );
    }
  }
  return { origins: [...origins], loopback: cors?.loopback ?? development };
}

/** The verification link template: checked like {@link httpUrl}, with `{token}` exactly once. */
function verifyUrlTemplate(value: string | undefined, publicUrl: string): string {
  if (value === undefined) return `${publicUrl}/verify-email?token={token}`;
  if (typeof value !== 'string' || value.split('{token}').length !== 2) {
    throw new TwofoldConfigError(
      'verifyUrl',
      `must contain {token} exactly once (where the link carries the token), got ${value}`,
    );
  }
  // Checked with a token in place: what the URL parser sees is what a mail client opens.
  httpUrl('verifyUrl', value.replace('{token}', 'token'));
  return value;
}

/**
 * Hashes run on the libuv pool; one core stays free for everything else. On 2 cores, status p99
 * while logins run: 1.5x idle with one hash at a time, 3.6x with four (`pnpm bench`).
 */
function defaultHashConcurrency(): number {
  const os = runtimeBuiltin<{ availableParallelism?: () => number }>('node:os');
  const cores = os?.availableParallelism?.();
  return cores === undefined ? 4 : Math.min(4, Math.max(1, cores - 1));
}

/**
 * Checks the options and fills in the defaults, once, at creation: a mistake is a
 * {@link TwofoldConfigError} naming the option, never a failure on the first request.
 */
export function resolveOptions(options: TwofoldServerOptions): ServerConfig {
  if (options.mode !== 'development' && options.mode !== 'production') {
    throw new TwofoldConfigError('mode', "must be 'development' or 'production'");
  }
  const development = options.mode === 'development';
  const secret = keyMaterial(options.secret, 'secret');
  const encryptionKey = keyMaterial(options.encryptionKey, 'encryptionKey');
  const previousEncryptionKeys = (options.previousEncryptionKeys ?? []).map((key, index) =>
    keyMaterial(key, `previousEncryptionKeys[${index}]`),
  );
  if (!development && options.mailer === undefined) {
    throw new TwofoldConfigError(
      'mailer',
      'is required in production mode (verification emails must reach users)',
    );
  }
  const limits: Record<keyof typeof LIMITS, number> = { ...LIMITS };
  for (const [name, value] of Object.entries(options.limits ?? {})) {
    if (!Object.hasOwn(LIMITS, name)) {
      throw new TwofoldConfigError(`limits.${name}`, 'is not a limit Twofold knows');
    }
    const limit = name as keyof typeof LIMITS;
    limits[limit] = positiveInteger(`limits.${name}`, value, LIMITS[limit]);
  }
  const trustProxy = options.trustProxy ?? false;
  if (trustProxy !== false && (!Number.isSafeInteger(trustProxy) || trustProxy < 0)) {
    throw new TwofoldConfigError(
      'trustProxy',
      `must be false or a number of proxies, got ${trustProxy}`,
    );
  }
  const publicUrl = httpUrl('publicUrl', options.publicUrl ?? 'http://127.0.0.1:8787');
  return {
    development,
    secret,
    encryptionKey,
    previousEncryptionKeys,
    mailer: options.mailer,
    passwordHasher: options.passwordHasher,
    maxConcurrentPasswordHashes: positiveInteger(
      'maxConcurrentPasswordHashes',
      options.maxConcurrentPasswordHashes,
      defaultHashConcurrency(),
    ),
    now: options.now ?? Date.now,
    cors: corsPolicy(options.cors, development),
    trustProxy,
    tokenIssuer: options.tokenIssuer ?? 'twofold',
    tokenAudience: options.tokenAudience ?? 'twofold',
    accessTokenTtlSeconds: positiveInteger(
      'accessTokenTtlSeconds',
      options.accessTokenTtlSeconds,
      3600,
    ),
    refreshTokenTtlSeconds: positiveInteger(
      'refreshTokenTtlSeconds',
      options.refreshTokenTtlSeconds,
      30 * 24 * 3600,
    ),
    totpIssuer: options.totpIssuer ?? 'AuthFramework',
    totpAccount: options.totpAccount ?? ((user) => user.id),
    exposeVerificationTokens: options.exposeVerificationTokens ?? development,
    sendVerificationOnRegister: options.sendVerificationOnRegister ?? false,
    requireStepUpForBackupCodes: options.requireStepUpForBackupCodes ?? true,
    requirePasswordToEnrol: options.requirePasswordToEnrol ?? true,
    publicUrl,
    verifyUrl: verifyUrlTemplate(options.verifyUrl, publicUrl),
    productName: options.productName ?? 'Twofold',
    webauthn: resolveWebAuthn(options.webauthn),
    limits,
    logger: options.logger ?? consoleLogger,
  };
}
