export { createSoftwareAuthenticator } from './authenticator/create-software-authenticator.js';
export type {
  AuthenticationOptionsInput,
  CredentialDescriptorInput,
  RegistrationOptionsInput,
  SoftwareAuthenticationResponse,
  SoftwareAuthenticator,
  SoftwareAuthenticatorOptions,
  SoftwareCredential,
  SoftwareRegistrationResponse,
} from './authenticator/types.js';
