export type { Envelope, ErrorBody, ErrorEnvelope, SuccessEnvelope } from './envelope.js';
export { errorEnvelope, isEnvelope, successData, successMessage } from './envelope.js';
export { ERROR_CODES, ERROR_STATUS, type ErrorCode, isErrorCode, statusOf } from './error-codes.js';
export { matchRoute, type RouteMatch } from './match-route.js';
export { MESSAGES } from './messages.js';
export { API_PREFIX, BACKUP_CODES, LIFETIMES, LIMITS, TOTP } from './parameters.js';
export {
  type BodyRouteId,
  FRAMEWORK_ERRORS,
  type OptionalRequestBody,
  type RequestBody,
  type ResponseData,
  ROUTE_DOCS,
  type RouteDocs,
} from './route-docs.js';
export {
  type PathParams,
  ROUTE_IDS,
  ROUTES,
  type RouteAuth,
  type RouteDefinition,
  type RouteId,
  routePath,
} from './routes.js';
export type {
  AuthenticationResponseJSON,
  BackupCodesData,
  ChallengeMethod,
  ChallengeRefusedDetails,
  DeletePasskeyRequest,
  EmailSendData,
  EmailVerifiedData,
  LoginData,
  LoginRequest,
  LogoutRequest,
  MfaDisableRequest,
  MfaMethod,
  MfaRequiredDetails,
  MfaSetupData,
  MfaSetupRequest,
  MfaStatusData,
  MfaVerifyRequest,
  OutboxEntry,
  PasskeyData,
  PasskeysData,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialDescriptorJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RateLimitedDetails,
  RefreshData,
  RefreshRequest,
  RegenerateBackupCodesRequest,
  RegisterData,
  RegisterRequest,
  RegistrationResponseJSON,
  ResendVerificationRequest,
  UserInfo,
  VerifyBackupCodeRequest,
  VerifyEmailRequest,
  WebAuthnRegisteredData,
  WebAuthnRegisterOptionsRequest,
  WebAuthnRegisterVerifyRequest,
} from './schemas.js';
/**
 * The valibot schemas of every request body, `data` answer and error `details` (snake_case
 * wire shapes); the types of the same names are inferred from them.
 *
 * @example
 * ```ts
 * import { schemas } from '@twofold/contract';
 * import * as v from 'valibot';
 * v.is(schemas.MfaStatusData, { enabled: true, methods: ['totp'], backup_codes_remaining: 10 }); // true
 * v.is(schemas.MfaStatusData, { enabled: 'yes' }); // false
 * ```
 */
export * as schemas from './schemas.js';
export { normalizeTotpCode } from './totp-code.js';
export {
  hasRequestBody,
  isPlainEmail,
  isStorableText,
  type Validation,
  validateOptionalRequest,
  validateRequest,
} from './validators.js';
