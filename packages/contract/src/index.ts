export type { Envelope, ErrorBody, ErrorEnvelope, SuccessEnvelope } from './envelope.js';
export { errorEnvelope, isEnvelope, successData, successMessage } from './envelope.js';
export { ERROR_CODES, ERROR_STATUS, type ErrorCode, isErrorCode, statusOf } from './error-codes.js';
export { matchRoute, type RouteMatch } from './match-route.js';
export { MESSAGES } from './messages.js';
export { API_PREFIX, BACKUP_CODES, LIFETIMES, LIMITS, TOTP } from './parameters.js';
export {
  type BodyRouteId,
  FRAMEWORK_ERRORS,
  type RequestBody,
  type ResponseData,
  ROUTE_DOCS,
  type RouteDocs,
} from './route-docs.js';
export { ROUTE_IDS, ROUTES, type RouteAuth, type RouteDefinition, type RouteId } from './routes.js';
export type {
  BackupCodesData,
  EmailSendData,
  EmailVerifiedData,
  LoginData,
  LoginRequest,
  LogoutRequest,
  MfaDisableRequest,
  MfaRequiredDetails,
  MfaSetupData,
  MfaStatusData,
  MfaVerifyRequest,
  OutboxEntry,
  RateLimitedDetails,
  RefreshData,
  RefreshRequest,
  RegenerateBackupCodesRequest,
  RegisterData,
  RegisterRequest,
  ResendVerificationRequest,
  UserInfo,
  VerifyBackupCodeRequest,
  VerifyEmailRequest,
} from './schemas.js';
export * as schemas from './schemas.js';
export { hasRequestBody, type Validation, validateRequest } from './validators.js';
