/**
 * The exact human messages of the contract (spec §2–§4), shared by server, mock and suite.
 *
 * @example
 * ```ts
 * import { MESSAGES } from '@twofold/contract';
 * MESSAGES.totpSixDigits; // 'TOTP code must be 6 digits'
 * ```
 */
export const MESSAGES = {
  // §2 authentication
  loginFieldsRequired: 'Username and password are required',
  challengeFieldsTogether: 'challenge_id and mfa_code must be provided together',
  invalidCredentials: 'Invalid username or password',
  registerConflict: 'An account with the provided details already exists',
  registerFieldsRequired: 'Username, email and password are required',
  usernameFormat: 'Username must be 3 to 64 letters, digits, dots, hyphens or underscores',
  emailFormat: 'Email address is invalid',
  passwordLength: 'Password must be 8 to 1024 characters',
  mfaRequired: 'Multi-factor authentication required',
  mfaRequiredHint: 'Provide your current TOTP code or a backup code to complete login',
  challengeInvalid: 'Invalid or expired MFA challenge or code',
  refreshTokenRequired: 'Refresh token is required',
  refreshTokenInvalid: 'Invalid or expired refresh token',
  loggedOut: 'Successfully logged out',
  authRequired: 'Authentication required',
  tokenInvalid: 'Invalid or expired token',
  // §3 MFA
  totpRequired: 'TOTP code is required',
  totpSixDigits: 'TOTP code must be 6 digits',
  totpInvalid: 'Invalid TOTP code',
  mfaNotPending: 'No pending MFA setup found. Call /mfa/setup first.',
  mfaEnabled: 'MFA enabled successfully',
  disableFieldsRequired: 'Password and TOTP code are required',
  incorrectPassword: 'Incorrect password',
  mfaNotEnabled: 'MFA is not enabled for this account',
  mfaAlreadyEnabled: 'MFA is already enabled for this account; disable it first',
  mfaDisabled: 'MFA disabled successfully',
  disableOneCode: 'Provide totp_code or backup_code, not both',
  setupStepUpRequired:
    'Provide a current TOTP code or a backup code with your password to replace the authenticator',
  stepUpRequired: 'Provide your password or a current TOTP code to regenerate backup codes',
  enrolPasswordRequired: 'Provide your password to set up a second factor',
  verificationQueued:
    'Verification email queued: the mail relay did not take it yet, and it is retried until it does',
  backupCodeRequired: 'Backup code is required',
  noBackupCodes: 'No backup codes found for this account',
  backupCodeInvalid: 'Invalid or already-used backup code',
  backupCodeVerified: 'Backup code verified',
  // §5 WebAuthn
  webauthnStepUpRequired:
    'Provide your password or a current TOTP code to add a passkey while MFA is enabled',
  webauthnDeleteStepUpRequired: 'Provide your password or a current TOTP code to remove a passkey',
  webauthnChallengeInvalid:
    'The passkey registration is unknown, expired or already finished; start it again',
  webauthnVerificationFailed: 'The passkey response could not be verified',
  webauthnNotAllowed: "This authenticator is not allowed by the server's passkey policy",
  webauthnCredentialExists: 'This passkey is already registered',
  webauthnLimitReached: 'This account holds the most passkeys it may (20); remove one first',
  webauthnNotConfigured: 'Passkeys are not configured on this server',
  passkeyNotFound: 'No passkey with this id',
  passkeyRemoved: 'Passkey removed',
  mfaRequiredHintPasskey:
    'Provide your current TOTP code, a backup code or your passkey to complete login',
  challengeAnswerOne: 'Send either mfa_code or webauthn_response with challenge_id, not both',
  // §4 email verification
  verificationTokenRequired: 'Verification token is required',
  verificationTokenInvalid: 'Verification token is invalid or expired',
  emailVerified: 'Email address verified successfully',
  emailRequired: 'Email address is required',
  emailAlreadyVerified: 'Email is already verified',
  verificationSent: 'Verification token generated. Use POST /auth/verify-email to confirm.',
  resendAccepted: 'If an account with that email exists, a verification token has been generated.',
  emailDeliveryFailed: 'The verification email could not be sent; try again later',
  // framework
  rateLimited: 'Too many attempts; try again later',
  notFound: 'Not found',
  methodNotAllowed: 'Method not allowed',
  payloadTooLarge: 'Request body is too large',
  unsupportedMediaType: 'Request body must be application/json',
  invalidJson: 'Request body must be valid JSON',
  bodyNotObject: 'Request body must be a JSON object',
  unstorableText: 'Text must not contain NUL or unpaired surrogate characters',
  internalError: 'Internal server error',
  serviceUnavailable: 'Temporarily unavailable; try again shortly',
} as const;
