export type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@twofold/contract';
export type { PasskeyErrorCode } from './errors.js';
export type { PasskeyAuthenticator } from './webauthn/authenticator.js';
export {
  type Passkey,
  type Passkeys,
  type PasskeysOptions,
  passkeys,
  type RegisteredPasskey,
  type RegisterPasskeyInput,
} from './webauthn/passkeys.js';
