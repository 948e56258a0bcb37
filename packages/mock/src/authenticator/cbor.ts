import { type Bytes, concatBytes, utf8 } from './bytes.js';

// The few CBOR (RFC 8949) items an authenticator writes: unsigned and negative integers, byte
// and text strings, and maps. Maps keep the caller's key order, so the caller writes them in
// CTAP2 canonical order (shorter key encodings first) where it matters, as in a COSE key.

/** A value this encoder writes; a `Map` keeps integer keys (COSE), an object has text keys. */
export type CborValue = number | string | Uint8Array | Map<number | string, CborValue> | CborMap;
export interface CborMap {
  [key: string]: CborValue;
}

function head(major: number, length: number): Bytes {
  const type = major << 5;
  if (length < 24) return Uint8Array.of(type | length);
  if (length < 0x100) return Uint8Array.of(type | 24, length);
  if (length < 0x10000) return Uint8Array.of(type | 25, length >> 8, length & 0xff);
  if (length <= 0xffffffff) {
    const out = new Uint8Array(5);
    out[0] = type | 26;
    new DataView(out.buffer).setUint32(1, length);
    return out;
  }
  throw new RangeError(`CBOR length or integer too large: ${length}`);
}

/** The CBOR encoding of `value`. */
export function encodeCbor(value: CborValue): Bytes {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new TypeError(`CBOR: only integers, got ${value}`);
    return value >= 0 ? head(0, value) : head(1, -1 - value);
  }
  if (typeof value === 'string') {
    const bytes = utf8(value);
    return concatBytes(head(3, bytes.length), bytes);
  }
  if (value instanceof Uint8Array) return concatBytes(head(2, value.length), value);
  const entries = value instanceof Map ? [...value] : Object.entries(value);
  return concatBytes(
    head(5, entries.length),
    ...entries.flatMap(([key, item]) => [encodeCbor(key), encodeCbor(item)]),
  );
}
