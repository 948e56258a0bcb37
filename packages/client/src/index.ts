export {
  type Authenticated,
  type ClientOptions,
  createClient,
  type MfaRequired,
  type MfaSetup,
  type MfaStatus,
  type Signal,
  type StepUpProof,
  type TwofoldClient,
  type VerificationSent,
} from './client.js';
export {
  isTwofoldError,
  type PasskeyErrorCode,
  type TransportErrorCode,
  TwofoldError,
  type TwofoldErrorCode,
  type TwofoldErrorInit,
} from './errors.js';
export {
  memoryTokenStore,
  type Session,
  type TokenStore,
  type User,
  type WebStorage,
  webStorageTokenStore,
} from './session.js';
export type { RetryOptions } from './transport.js';
