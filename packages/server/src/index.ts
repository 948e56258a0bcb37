export type { PasskeyInfo, SeededUser, SeedPasskey, SeedUser, ServerAdmin } from './admin.js';
export { TwofoldConfigError } from './config-error.js';
export {
  type PasswordHasher,
  RECOMMENDED_SCRYPT,
  type ScryptParameters,
  scryptPasswordHasher,
} from './crypto/password-hasher.js';
export type { TrustProxy } from './http/client-address.js';
export type { CorsOptions } from './http/cors.js';
export type { Answer, IncomingRequest } from './http/exchange.js';
export { type ErrorResponseOptions, errorResponse } from './http/respond.js';
export type { Mailer, VerificationEmail } from './mail/mailer.js';
export type { Logger, TotpAccountUser, TwofoldServerOptions } from './options.js';
export { type ConnectionInfo, createTwofoldServer, type TwofoldServer } from './server.js';
export { MemoryStore, type MemoryStoreEntry } from './store/memory-store.js';
export {
  type Store,
  type StoreEntry,
  StoreUnavailableError,
  type WindowHit,
  type WriteOptions,
} from './store/store.js';
export type { AuthenticatorInfo, WebAuthnOptions } from './webauthn-options.js';
