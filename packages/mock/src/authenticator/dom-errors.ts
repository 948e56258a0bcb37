// The DOMExceptions a browser rejects `navigator.credentials.create()`/`.get()` with, so code
// under test sees what it sees in production (`error.name`).

export const notAllowed = (): DOMException =>
  new DOMException(
    'The operation either timed out or was not allowed. See: https://www.w3.org/TR/webauthn-2/#sctn-privacy-considerations-client.',
    'NotAllowedError',
  );

export const invalidState = (): DOMException =>
  new DOMException(
    'The user attempted to register an authenticator that contains one of the credentials already registered with the relying party.',
    'InvalidStateError',
  );

export const notSupported = (): DOMException =>
  new DOMException(
    'The software authenticator supports only ES256 (alg -7), which pubKeyCredParams does not include.',
    'NotSupportedError',
  );
