import * as v from 'valibot';
import {
  AuthenticationResponseJSON,
  PasskeyData,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from './webauthn-schemas.js';

export * from './webauthn-schemas.js';

// Request bodies. A missing string field reads as '' so the route's own "is required" message
// applies; a field of another type is a validation error; unknown fields are dropped.
const text = (field: string) =>
  v.optional(v.string(`${field} must be a string`), '') as v.OptionalSchema<
    v.StringSchema<string>,
    ''
  >;
const optionalText = (field: string) => v.optional(v.string(`${field} must be a string`));

export const RegisterRequest = v.object({
  username: text('username'),
  email: text('email'),
  password: text('password'),
});
export const LoginRequest = v.object({
  username: text('username'),
  password: text('password'),
  challenge_id: optionalText('challenge_id'),
  mfa_code: optionalText('mfa_code'),
  /** Twofold: completes the challenge with a passkey instead of `mfa_code` (spec §2.1). */
  webauthn_response: v.optional(
    v.object(AuthenticationResponseJSON.entries, 'webauthn_response must be an object'),
  ),
});
export const RefreshRequest = v.object({ refresh_token: text('refresh_token') });
export const LogoutRequest = v.object({ refresh_token: optionalText('refresh_token') });
export const MfaVerifyRequest = v.object({ totp_code: text('totp_code') });
/** Twofold: `backup_code` in place of `totp_code` for a user who lost the authenticator. */
export const MfaDisableRequest = v.object({
  password: text('password'),
  totp_code: text('totp_code'),
  backup_code: optionalText('backup_code'),
});
/**
 * Twofold: `/mfa/setup` takes the password for a first enrolment (a stolen access token must not
 * enrol its holder's authenticator), and while MFA is enabled (spec §6 rule 3) starts a
 * replacement secret only with the password plus a current TOTP code or a backup code. The
 * crate's setup takes no body; without a password while MFA is on the answer stays
 * `MFA_ALREADY_ENABLED`.
 */
export const MfaSetupRequest = v.object({
  password: optionalText('password'),
  totp_code: optionalText('totp_code'),
  backup_code: optionalText('backup_code'),
});
/** The step-up proof Twofold requires to regenerate backup codes (spec §3 rule 4). */
export const RegenerateBackupCodesRequest = v.object({
  password: optionalText('password'),
  totp_code: optionalText('totp_code'),
});
/** A passkey's name: at most 64 characters, no control characters (the server trims it). */
const passkeyName = v.optional(
  v.pipe(
    v.string('name must be a string'),
    v.maxLength(64, 'name must be at most 64 characters'),
    // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing them is the point.
    v.regex(/^[^\u0000-\u001f\u007f]*$/, 'name must not contain control characters'),
  ),
);
/**
 * Twofold: a step-up proof is required to add a passkey, so a stolen access token cannot add a
 * factor of its own: `{password}` for the first factor, `{password}` or `{totp_code}` once MFA
 * is enabled.
 */
export const WebAuthnRegisterOptionsRequest = v.object({
  name: passkeyName,
  password: optionalText('password'),
  totp_code: optionalText('totp_code'),
});
export const WebAuthnRegisterVerifyRequest = v.object({
  response: v.object(RegistrationResponseJSON.entries, 'response must be an object'),
  name: passkeyName,
});
/** The step-up proof that removing a passkey takes (spec §5). */
export const DeletePasskeyRequest = v.object({
  password: optionalText('password'),
  totp_code: optionalText('totp_code'),
});
export const VerifyBackupCodeRequest = v.object({ backup_code: text('backup_code') });
export const VerifyEmailRequest = v.object({ token: text('token') });
export const ResendVerificationRequest = v.object({ email: text('email') });

// Response `data` shapes.
const strings = v.array(v.string());

export const UserInfo = v.object({
  id: v.string(),
  username: v.string(),
  roles: strings,
  permissions: strings,
});
export const RegisterData = v.object({
  user_id: v.string(),
  username: v.string(),
  email: v.string(),
});
export const LoginData = v.object({
  access_token: v.string(),
  refresh_token: v.string(),
  token_type: v.literal('Bearer'),
  expires_in: v.number(),
  user: UserInfo,
});
export const RefreshData = v.object({
  access_token: v.string(),
  token_type: v.literal('Bearer'),
  expires_in: v.number(),
});
export const MfaSetupData = v.object({
  qr_code: v.string(),
  secret: v.string(),
  backup_codes: strings,
});
/** The second factors a user can have turned on (`status.methods`). */
export const MfaMethod = v.picklist(['totp', 'webauthn']);
/** What completes a login challenge (`details.methods` of `MFA_REQUIRED`). */
export const ChallengeMethod = v.picklist(['totp', 'backup_code', 'webauthn']);
export const MfaStatusData = v.object({
  enabled: v.boolean(),
  methods: v.array(MfaMethod),
  backup_codes_remaining: v.number(),
});
export const BackupCodesData = strings;
export const EmailSendData = v.object({
  sent: v.boolean(),
  verification_token: v.string(),
  message: v.string(),
});
export const EmailVerifiedData = v.object({
  verified: v.literal(true),
  user_id: v.string(),
  message: v.string(),
});
export const WebAuthnRegisteredData = v.object({
  ...PasskeyData.entries,
  /** The 10 backup codes, shown once, when the passkey is the user's first second factor. */
  backup_codes: v.optional(strings),
});
export const PasskeysData = v.array(PasskeyData);
export const OutboxEntry = v.object({
  to: v.string(),
  subject: v.string(),
  text: v.string(),
  link: v.string(),
  token: v.string(),
  sent_at: v.string(),
});
export const OutboxData = v.array(OutboxEntry);

// Error `details` shapes.
export const MfaRequiredDetails = v.object({
  challenge_id: v.string(),
  mfa_type: v.literal('totp_or_backup_code'),
  expires_at: v.string(),
  /**
   * Twofold: seconds the challenge has left when answered, so a client can time it on its own
   * clock (a device clock minutes off would misread `expires_at`).
   */
  expires_in: v.number(),
  message: v.string(),
  methods: v.array(ChallengeMethod),
  /** When the user has a passkey: the options for `navigator.credentials.get()`. */
  webauthn_options: v.optional(PublicKeyCredentialRequestOptionsJSON),
});
export const RateLimitedDetails = v.object({ retry_after_seconds: v.number() });
/**
 * Twofold: why login step 2 refused a code (`MFA_INVALID_CODE`); `attempts_remaining` is the
 * number of wrong codes the challenge still takes, present while it lives.
 */
export const ChallengeRefusedDetails = v.object({
  reason: v.picklist(['wrong_code', 'expired', 'exhausted']),
  attempts_remaining: v.optional(v.number()),
});

export type RegisterRequest = v.InferOutput<typeof RegisterRequest>;
export type LoginRequest = v.InferOutput<typeof LoginRequest>;
export type RefreshRequest = v.InferOutput<typeof RefreshRequest>;
export type LogoutRequest = v.InferOutput<typeof LogoutRequest>;
export type MfaVerifyRequest = v.InferOutput<typeof MfaVerifyRequest>;
export type MfaDisableRequest = v.InferOutput<typeof MfaDisableRequest>;
export type MfaSetupRequest = v.InferOutput<typeof MfaSetupRequest>;
export type RegenerateBackupCodesRequest = v.InferOutput<typeof RegenerateBackupCodesRequest>;
export type VerifyBackupCodeRequest = v.InferOutput<typeof VerifyBackupCodeRequest>;
export type WebAuthnRegisterOptionsRequest = v.InferOutput<typeof WebAuthnRegisterOptionsRequest>;
export type WebAuthnRegisterVerifyRequest = v.InferOutput<typeof WebAuthnRegisterVerifyRequest>;
export type DeletePasskeyRequest = v.InferOutput<typeof DeletePasskeyRequest>;
export type WebAuthnRegisteredData = v.InferOutput<typeof WebAuthnRegisteredData>;
export type PasskeysData = v.InferOutput<typeof PasskeysData>;
export type VerifyEmailRequest = v.InferOutput<typeof VerifyEmailRequest>;
export type ResendVerificationRequest = v.InferOutput<typeof ResendVerificationRequest>;
export type UserInfo = v.InferOutput<typeof UserInfo>;
export type RegisterData = v.InferOutput<typeof RegisterData>;
export type LoginData = v.InferOutput<typeof LoginData>;
export type RefreshData = v.InferOutput<typeof RefreshData>;
export type MfaSetupData = v.InferOutput<typeof MfaSetupData>;
export type MfaStatusData = v.InferOutput<typeof MfaStatusData>;
export type BackupCodesData = v.InferOutput<typeof BackupCodesData>;
export type EmailSendData = v.InferOutput<typeof EmailSendData>;
export type EmailVerifiedData = v.InferOutput<typeof EmailVerifiedData>;
export type OutboxEntry = v.InferOutput<typeof OutboxEntry>;
export type MfaRequiredDetails = v.InferOutput<typeof MfaRequiredDetails>;
export type MfaMethod = v.InferOutput<typeof MfaMethod>;
export type ChallengeMethod = v.InferOutput<typeof ChallengeMethod>;
export type RateLimitedDetails = v.InferOutput<typeof RateLimitedDetails>;
export type ChallengeRefusedDetails = v.InferOutput<typeof ChallengeRefusedDetails>;
