/** Writes a counter below 2^53 as the 8-byte big-endian message of RFC 4226 §5.2. */
export function writeCounter(message: Uint8Array, counter: number): void {
  // Division, not shifts: bitwise operators would cut the counter to 32 bits.
  for (let i = 7, rest = counter; i >= 0; i--, rest = Math.floor(rest / 256))
    message[i] = rest % 256;
}

/** RFC 4226 §5.3 dynamic truncation, as a number below 10^digits. */
export function truncate(mac: Uint8Array, digits: number): number {
  // Plain indexing: a DataView per candidate cost more than the comparison it serves.
  const offset = (mac[mac.length - 1] as number) & 0x0f;
  const binary =
    (((mac[offset] as number) & 0x7f) << 24) |
    ((mac[offset + 1] as number) << 16) |
    ((mac[offset + 2] as number) << 8) |
    (mac[offset + 3] as number);
  return binary % 10 ** digits;
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
