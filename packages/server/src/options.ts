import type { LIMITS } from '@twofold/contract';
import type { PasswordHasher } from './crypto/password-hasher.js';
import type { TrustProxy } from './http/client-address.js';
import type { CorsOptions } from './http/cors.js';
import type { Mailer } from './mail/mailer.js';
import type { Store } from './store/store.js';

/** Where log lines go; `console` by default. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
}

/** Options of {@link createTwofoldServer}. Only the two keys are required. */
export interface TwofoldServerOptions {
  /** Master secret (>= 32 bytes of random material): token signing and the code pepper derive from it. */
  secret: string | Uint8Array;
  /** Key material (>= 32 bytes) for encrypting TOTP secrets at rest. */
  encryptionKey: string | Uint8Array;
  /**
   * Required, so that no deployment ends up in development mode by omission: `development`
   * exposes the dev outbox (every verification token, unauthenticated) and tokens in responses.
   */
  mode: 'development' | 'production';
  /** Storage; an in-memory store by default (lost on restart). */
  store?: Store;
  /** Delivers verification emails; in development the outbox records them either way. Required in production. */
  mailer?: Mailer;
  /** Password KDF; scrypt (N=2^17, r=8, p=1) in JavaScript by default. */
  passwordHasher?: PasswordHasher;
  /** Password hashes computed at once (each may take 128 MiB); the rest queue. Default 4. */
  maxConcurrentPasswordHashes?: number;
  /** The clock, in milliseconds since the epoch (tests and the mock set it). */
  now?: () => number;
  /** Browser origins allowed to call the API. */
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
  totpAccount?: (user: { id: string; username: string; email: string }) => string;
  /** Put the verification token in API responses (default: in development only). */
  exposeVerificationTokens?: boolean;
  /** Email a verification link on registration (default false). */
  sendVerificationOnRegister?: boolean;
  /** Require `{password}` or `{totp_code}` to regenerate backup codes (default true; false = crate behaviour). */
  requireStepUpForBackupCodes?: boolean;
  /** Base of the link in verification emails (default `http://127.0.0.1:8787`). */
  publicUrl?: string;
  /** Product name in emails (default `Twofold`). */
  productName?: string;
  /** Attempt and resend limits and the body size limit (defaults from the contract). */
  limits?: Partial<Record<keyof typeof LIMITS, number>>;
  logger?: Logger;
}
