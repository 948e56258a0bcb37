import { type Bytes, concatBytes } from './bytes.js';

// WebCrypto signs ECDSA as raw r||s (IEEE P1363); WebAuthn carries ES256 signatures as an
// ASN.1 DER `SEQUENCE { INTEGER r, INTEGER s }` (WebAuthn §6.5.5), so the bytes are re-wrapped.

function derInteger(value: Uint8Array): Uint8Array {
  let start = 0;
  while (start < value.length - 1 && value[start] === 0) start++;
  const digits = value.subarray(start);
  // A set top bit would read as negative: DER integers are two's complement.
  const body = (digits[0] ?? 0) & 0x80 ? concatBytes(Uint8Array.of(0), digits) : digits;
  return concatBytes(Uint8Array.of(0x02, body.length), body);
}

/** The DER encoding of a raw `r||s` ECDSA signature (64 bytes for P-256). */
export function rawToDerSignature(raw: Uint8Array): Bytes {
  const half = raw.length / 2;
  const body = concatBytes(derInteger(raw.subarray(0, half)), derInteger(raw.subarray(half)));
  return concatBytes(Uint8Array.of(0x30, body.length), body);
}
