import { type Bytes, utf8 } from './bytes.js';

// CollectedClientData (WebAuthn §5.8.1) as a browser serialises it: type, challenge, origin,
// crossOrigin, in that order (the order §5.8.1.1 prescribes for the limited verification
// algorithm).

export function clientDataJSON(
  type: 'webauthn.create' | 'webauthn.get',
  challenge: string,
  origin: string,
): Bytes {
  return utf8(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
}
