import type { GenericSchema, InferOutput } from 'valibot';
import type { ErrorCode } from './error-codes.js';
import { MESSAGES } from './messages.js';
import type { ROUTES, RouteId } from './routes.js';
import * as s from './schemas.js';

/** What a route takes and answers: for validators, servers and the OpenAPI document. */
export interface RouteDocs {
  summary: string;
  /** JSON body schema; absent for routes without a body. */
  request?: GenericSchema;
  /**
   * A JSON body the route reads when given but never requires (Twofold additions to a route the
   * crate calls without a body); such a route has no `request`.
   */
  optionalRequest?: GenericSchema;
  /** Schema of `data` on success; absent when the success carries only `message`. */
  response?: GenericSchema;
  /** The success `message`, for message-only successes. */
  successMessage?: string;
  /** Error codes this route answers with, besides the framework ones every route may send. */
  errors: readonly ErrorCode[];
  /**
   * The body is validated before the bearer token is checked, as the crate does on these
   * routes (spec §1, order of checks); elsewhere authentication comes first.
   */
  validatesBeforeAuth?: true;
}

const codeAttempt: readonly ErrorCode[] = ['MFA_INVALID_CODE', 'RATE_LIMITED'];
const bearer: readonly ErrorCode[] = ['UNAUTHORIZED', 'INVALID_TOKEN'];

/**
 * What each route's docs must hold, by the route table: a message-only route names its
 * message, every other route the schema of its `data`. A mismatch fails to compile.
 */
type RouteDocsTable = {
  [Id in RouteId]: (typeof ROUTES)[Id] extends { answers: 'message' }
    ? RouteDocs & { successMessage: string; response?: never }
    : RouteDocs & { response: GenericSchema; successMessage?: never };
};

/**
 * Bodies, answers and errors of every route, keyed like {@link ROUTES}.
 *
 * @example
 * ```ts
 * import { ROUTE_DOCS } from '@twofold/contract';
 * ROUTE_DOCS['mfa.verify'].successMessage; // 'MFA enabled successfully'
 * ROUTE_DOCS['mfa.verify'].errors.includes('MFA_NOT_PENDING'); // true
 * ```
 */
export const ROUTE_DOCS = {
  'auth.register': {
    summary: 'Create an account',
    request: s.RegisterRequest,
    response: s.RegisterData,
    errors: ['VALIDATION_ERROR', 'CONFLICT'],
  },
  'auth.login': {
    summary: 'Log in; answers MFA_REQUIRED with a challenge when a second factor is needed',
    request: s.LoginRequest,
    response: s.LoginData,
    errors: [
      'VALIDATION_ERROR',
      'INVALID_CREDENTIALS',
      'MFA_REQUIRED',
      'WEBAUTHN_VERIFICATION_FAILED',
      ...codeAttempt,
    ],
  },
  'auth.refresh': {
    summary: 'Exchange a refresh token for a new access token',
    request: s.RefreshRequest,
    response: s.RefreshData,
    errors: ['VALIDATION_ERROR', 'INVALID_TOKEN'],
  },
  'auth.logout': {
    summary: 'Revoke the presented access token and the given refresh token',
    request: s.LogoutRequest,
    successMessage: MESSAGES.loggedOut,
    errors: ['VALIDATION_ERROR'],
  },
  'auth.validate': {
    summary: 'Describe the user of the bearer token',
    response: s.UserInfo,
    errors: bearer,
  },
  'mfa.setup': {
    summary:
      'Start TOTP enrolment: a pending secret and backup codes, valid 10 minutes; while MFA is on, only with the password plus a current TOTP code or a backup code (the old secret stays active until /mfa/verify)',
    optionalRequest: s.MfaSetupRequest,
    response: s.MfaSetupData,
    errors: [
      'VALIDATION_ERROR',
      ...bearer,
      'MFA_ALREADY_ENABLED',
      'MFA_UNAUTHORIZED',
      ...codeAttempt,
    ],
  },
  'mfa.verify': {
    summary: 'Confirm enrolment with a TOTP code from the pending secret',
    request: s.MfaVerifyRequest,
    successMessage: MESSAGES.mfaEnabled,
    validatesBeforeAuth: true,
    errors: ['VALIDATION_ERROR', ...bearer, 'MFA_NOT_PENDING', ...codeAttempt],
  },
  'mfa.disable': {
    summary: 'Turn MFA off with the password and a current TOTP code or a backup code',
    request: s.MfaDisableRequest,
    successMessage: MESSAGES.mfaDisabled,
    validatesBeforeAuth: true,
    errors: ['VALIDATION_ERROR', ...bearer, 'MFA_UNAUTHORIZED', 'MFA_NOT_ENABLED', ...codeAttempt],
  },
  'mfa.status': {
    summary: 'Whether MFA is on, by which methods, and how many backup codes remain',
    response: s.MfaStatusData,
    errors: bearer,
  },
  'mfa.regenerateBackupCodes': {
    summary: 'Replace every backup code; needs the password or a current TOTP code',
    request: s.RegenerateBackupCodesRequest,
    response: s.BackupCodesData,
    errors: ['VALIDATION_ERROR', ...bearer, 'MFA_NOT_ENABLED', 'MFA_UNAUTHORIZED', ...codeAttempt],
  },
  'mfa.verifyBackupCode': {
    summary: 'Check and consume one backup code',
    request: s.VerifyBackupCodeRequest,
    successMessage: MESSAGES.backupCodeVerified,
    validatesBeforeAuth: true,
    errors: ['VALIDATION_ERROR', ...bearer, 'MFA_ERROR', ...codeAttempt],
  },
  'webauthn.registerOptions': {
    summary:
      'Start adding a passkey: creation options for navigator.credentials.create(); once MFA is on, needs the password or a current TOTP code',
    request: s.WebAuthnRegisterOptionsRequest,
    response: s.PublicKeyCredentialCreationOptionsJSON,
    errors: [
      'VALIDATION_ERROR',
      ...bearer,
      'MFA_UNAUTHORIZED',
      'WEBAUTHN_LIMIT_REACHED',
      'WEBAUTHN_NOT_CONFIGURED',
      ...codeAttempt,
    ],
  },
  'webauthn.registerVerify': {
    summary:
      'Finish adding a passkey; answers the 10 backup codes too when it is the first second factor',
    request: s.WebAuthnRegisterVerifyRequest,
    response: s.WebAuthnRegisteredData,
    errors: [
      'VALIDATION_ERROR',
      ...bearer,
      'WEBAUTHN_CHALLENGE_INVALID',
      'WEBAUTHN_VERIFICATION_FAILED',
      'WEBAUTHN_NOT_ALLOWED',
      'WEBAUTHN_CREDENTIAL_EXISTS',
      'WEBAUTHN_LIMIT_REACHED',
      'WEBAUTHN_NOT_CONFIGURED',
    ],
  },
  'webauthn.credentials': {
    summary: "The user's passkeys: id, name, when added and when last used",
    response: s.PasskeysData,
    errors: [...bearer, 'WEBAUTHN_NOT_CONFIGURED'],
  },
  'webauthn.deleteCredential': {
    summary:
      'Remove a passkey with the password or a current TOTP code; removing the last second factor turns MFA off',
    request: s.DeletePasskeyRequest,
    successMessage: MESSAGES.passkeyRemoved,
    errors: [
      'VALIDATION_ERROR',
      ...bearer,
      'MFA_UNAUTHORIZED',
      'NOT_FOUND',
      'WEBAUTHN_NOT_CONFIGURED',
      ...codeAttempt,
    ],
  },
  'email.send': {
    summary: "Email a verification link to the user's address",
    response: s.EmailSendData,
    errors: [...bearer, 'EMAIL_DELIVERY_FAILED'],
  },
  'email.verify': {
    summary: 'Confirm an email address with the token from the email',
    request: s.VerifyEmailRequest,
    response: s.EmailVerifiedData,
    errors: ['VALIDATION_ERROR', 'INVALID_TOKEN'],
  },
  'email.resend': {
    summary: 'Send a new verification email; answers alike whether or not the address exists',
    request: s.ResendVerificationRequest,
    response: s.EmailSendData,
    errors: ['VALIDATION_ERROR', 'RATE_LIMITED'],
  },
  'dev.outbox': {
    summary: 'Development mode only: the emails sent to `?to=`, newest first',
    response: s.OutboxData,
    errors: [],
  },
} as const satisfies RouteDocsTable;

type Docs = typeof ROUTE_DOCS;

/** Routes whose request has a JSON body (and so a validator). */
export type BodyRouteId = {
  [Id in RouteId]: Docs[Id] extends { request: GenericSchema } ? Id : never;
}[RouteId];

/** The validated request body of a route; `undefined` for routes that take none. */
export type RequestBody<Id extends RouteId> = Docs[Id] extends {
  request: infer Schema extends GenericSchema;
}
  ? InferOutput<Schema>
  : undefined;

/** The optional body of a route (see `RouteDocs.optionalRequest`); `undefined` for others. */
export type OptionalRequestBody<Id extends RouteId> = Docs[Id] extends {
  optionalRequest: infer Schema extends GenericSchema;
}
  ? InferOutput<Schema>
  : undefined;

/** The `data` of a route's success envelope; `undefined` for routes that answer only a `message`. */
export type ResponseData<Id extends RouteId> = Docs[Id] extends {
  response: infer Schema extends GenericSchema;
}
  ? InferOutput<Schema>
  : undefined;

/**
 * Error codes any route may answer with (framework-level failures, spec §1).
 *
 * @example
 * ```ts
 * import { FRAMEWORK_ERRORS } from '@twofold/contract';
 * FRAMEWORK_ERRORS.includes('METHOD_NOT_ALLOWED'); // true
 * ```
 */
export const FRAMEWORK_ERRORS: readonly ErrorCode[] = [
  'VALIDATION_ERROR',
  'NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'INTERNAL_ERROR',
];
