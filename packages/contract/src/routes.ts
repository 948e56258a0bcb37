import type { GenericSchema } from 'valibot';
import type { ErrorCode } from './error-codes.js';
import * as s from './schemas.js';

/** Who may call a route: anyone, anyone with an optional token, or a bearer token holder. */
export type RouteAuth = 'public' | 'optional' | 'bearer';

export interface RouteDefinition {
  method: 'GET' | 'POST' | 'DELETE';
  /** Path below {@link API_PREFIX}. */
  path: string;
  auth: RouteAuth;
  summary: string;
  /** JSON body schema; absent for routes without a body. */
  request?: GenericSchema;
  /** Schema of `data` on success; absent when the success carries only `message`. */
  response?: GenericSchema;
  /** The success `message`, for message-only successes. */
  successMessage?: string;
  /** Error codes this route answers with, besides the framework ones every route may send. */
  errors: readonly ErrorCode[];
  /** Served in development mode only. */
  developmentOnly?: boolean;
}

const codeAttempt: readonly ErrorCode[] = ['MFA_INVALID_CODE', 'RATE_LIMITED'];
const bearer: readonly ErrorCode[] = ['UNAUTHORIZED', 'INVALID_TOKEN'];

/** The route table of the contract (spec §2–§4), keyed by route id. */
export const ROUTES = {
  'auth.register': {
    method: 'POST',
    path: '/auth/register',
    auth: 'public',
    summary: 'Create an account',
    request: s.RegisterRequest,
    response: s.RegisterData,
    errors: ['VALIDATION_ERROR', 'CONFLICT'],
  },
  'auth.login': {
    method: 'POST',
    path: '/auth/login',
    auth: 'public',
    summary: 'Log in; answers MFA_REQUIRED with a challenge when a second factor is needed',
    request: s.LoginRequest,
    response: s.LoginData,
    errors: ['VALIDATION_ERROR', 'INVALID_CREDENTIALS', 'MFA_REQUIRED', ...codeAttempt],
  },
  'auth.refresh': {
    method: 'POST',
    path: '/auth/refresh',
    auth: 'public',
    summary: 'Exchange a refresh token for a new access token',
    request: s.RefreshRequest,
    response: s.RefreshData,
    errors: ['VALIDATION_ERROR', 'INVALID_TOKEN'],
  },
  'auth.logout': {
    method: 'POST',
    path: '/auth/logout',
    auth: 'optional',
    summary: 'Revoke the presented access token and the given refresh token',
    request: s.LogoutRequest,
    successMessage: 'Successfully logged out',
    errors: ['VALIDATION_ERROR'],
  },
  'auth.validate': {
    method: 'GET',
    path: '/auth/validate',
    auth: 'bearer',
    summary: 'Describe the user of the bearer token',
    response: s.UserInfo,
    errors: bearer,
  },
  'mfa.setup': {
    method: 'POST',
    path: '/mfa/setup',
    auth: 'bearer',
    summary: 'Start TOTP enrolment: a pending secret and backup codes, valid 10 minutes',
    response: s.MfaSetupData,
    errors: [...bearer, 'MFA_ALREADY_ENABLED'],
  },
  'mfa.verify': {
    method: 'POST',
    path: '/mfa/verify',
    auth: 'bearer',
    summary: 'Confirm enrolment with a TOTP code from the pending secret',
    request: s.MfaVerifyRequest,
    successMessage: 'MFA enabled successfully',
    errors: ['VALIDATION_ERROR', ...bearer, 'MFA_NOT_PENDING', ...codeAttempt],
  },
  'mfa.disable': {
    method: 'POST',
    path: '/mfa/disable',
    auth: 'bearer',
    summary: 'Turn MFA off with the password and a current TOTP code',
    request: s.MfaDisableRequest,
    successMessage: 'MFA disabled successfully',
    errors: ['VALIDATION_ERROR', ...bearer, 'MFA_UNAUTHORIZED', 'MFA_NOT_ENABLED', ...codeAttempt],
  },
  'mfa.status': {
    method: 'GET',
    path: '/mfa/status',
    auth: 'bearer',
    summary: 'Whether MFA is on, by which methods, and how many backup codes remain',
    response: s.MfaStatusData,
    errors: bearer,
  },
  'mfa.regenerateBackupCodes': {
    method: 'POST',
    path: '/mfa/regenerate-backup-codes',
    auth: 'bearer',
    summary: 'Replace every backup code; needs the password or a current TOTP code',
    request: s.RegenerateBackupCodesRequest,
    response: s.BackupCodesData,
    errors: ['VALIDATION_ERROR', ...bearer, 'MFA_NOT_ENABLED', 'MFA_UNAUTHORIZED', ...codeAttempt],
  },
  'mfa.verifyBackupCode': {
    method: 'POST',
    path: '/mfa/verify-backup-code',
    auth: 'bearer',
    summary: 'Check and consume one backup code',
    request: s.VerifyBackupCodeRequest,
    successMessage: 'Backup code verified',
    errors: ['VALIDATION_ERROR', ...bearer, 'MFA_ERROR', ...codeAttempt],
  },
  'email.send': {
    method: 'POST',
    path: '/auth/verify-email/send',
    auth: 'bearer',
    summary: "Email a verification link to the user's address",
    response: s.EmailSendData,
    errors: [...bearer, 'EMAIL_DELIVERY_FAILED'],
  },
  'email.verify': {
    method: 'POST',
    path: '/auth/verify-email',
    auth: 'public',
    summary: 'Confirm an email address with the token from the email',
    request: s.VerifyEmailRequest,
    response: s.EmailVerifiedData,
    errors: ['VALIDATION_ERROR', 'INVALID_TOKEN'],
  },
  'email.resend': {
    method: 'POST',
    path: '/auth/resend-verification',
    auth: 'public',
    summary: 'Send a new verification email; answers alike whether or not the address exists',
    request: s.ResendVerificationRequest,
    response: s.EmailSendData,
    errors: ['VALIDATION_ERROR', 'RATE_LIMITED'],
  },
  'dev.outbox': {
    method: 'GET',
    path: '/dev/outbox',
    auth: 'public',
    summary: 'Development mode only: the emails sent to `?to=`, newest first',
    response: s.OutboxData,
    errors: [],
    developmentOnly: true,
  },
} as const satisfies Record<string, RouteDefinition>;

/** A route id such as `'mfa.verify'`. */
export type RouteId = keyof typeof ROUTES;

/** Every route id, in table order. */
export const ROUTE_IDS: readonly RouteId[] = Object.keys(ROUTES) as RouteId[];

/** Error codes any route may answer with (framework-level failures, spec §1). */
export const FRAMEWORK_ERRORS: readonly ErrorCode[] = [
  'VALIDATION_ERROR',
  'NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'INTERNAL_ERROR',
];
