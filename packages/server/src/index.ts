export type { SeededUser, SeedUser, ServerAdmin } from './admin.js';
export {
  defaultPasswordHasher,
  nobleScrypt,
  type PasswordHasher,
  RECOMMENDED_SCRYPT,
  type ScryptFunction,
  type ScryptParameters,
  scryptHasher,
} from './crypto/password-hasher.js';
export type { TrustProxy } from './http/client-address.js';
export type { CorsOptions } from './http/cors.js';
export { matchRoute, type RouteMatch } from './http/router.js';
export { composeVerificationEmail, type Mailer, type VerificationEmail } from './mail/mailer.js';
export type { Logger, TwofoldServerOptions } from './options.js';
export { type ConnectionInfo, createTwofoldServer, type TwofoldServer } from './server.js';
export { MemoryStore } from './store/memory-store.js';
export {
  type Counter,
  type Store,
  type StoreEntry,
  updateWithRetry,
  type WriteOptions,
} from './store/store.js';
