/** Powers of ten by code length, so truncation does no exponentiation per candidate. */
const MODULI = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8];

/** Writes a counter below 2^53 as the 8-byte big-endian message of RFC 4226 §5.2. */
export function writeCounter(message: Uint8Array, counter: number): void {
  const high = Math.floor(counter / 0x1_0000_0000);
  const low = counter >>> 0;
  message[0] = high >>> 24;
  message[1] = high >>> 16;
  message[2] = high >>> 8;
  message[3] = high;
  message[4] = low >>> 24;
  message[5] = low >>> 16;
  message[6] = low >>> 8;
  message[7] = low;
}

/** RFC 4226 §5.3 dynamic truncation, as a number below 10^digits. */
export function truncate(mac: Uint8Array, digits: number): number {
  const view = new DataView(mac.buffer, mac.byteOffset, mac.byteLength);
  const offset = view.getUint8(mac.byteLength - 1) & 0x0f;
  return (view.getUint32(offset) & 0x7fff_ffff) % (MODULI[digits] as number);
}

/** A code value as the zero-padded string users type. */
export function formatCode(value: number, digits: number): string {
  return value.toString().padStart(digits, '0');
}

/**
 * The code as a number, or -1 when it is not exactly `digits` ASCII digits. Never throws,
 * whatever the input: codes are attacker-controlled.
 */
export function parseCode(code: unknown, digits: number): number {
  if (typeof code !== 'string' || code.length !== digits) return -1;
  let value = 0;
  for (let i = 0; i < digits; i++) {
    const digit = code.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** 1 when a === b, else 0, without a data-dependent branch (both below 2^31). */
export function equalBit(a: number, b: number): number {
  const diff = a ^ b;
  return ((diff | -diff) >>> 31) ^ 1;
}
